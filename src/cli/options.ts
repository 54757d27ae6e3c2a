import { InvalidArgumentError } from "commander";

/** Parser for an integer flag within [min, max]; commander reports the flag, value and range (exit 2). */
export function intOption(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Parser for a number flag within [min, max]. */
export function numberOption(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
}
