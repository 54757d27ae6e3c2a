import { InvalidArgumentError } from "commander";

/** Parser for an integer flag within [min, max]; commander reports the flag, value and range (exit 2). */
export function intOption(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = v.trim() === "" ? Number.NaN : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/** Parser for a number flag within [min, max]. */
export function numberOption(flag: string, min: number, max: number): (v: string) => number {
  return (v) => {
    // Number("") is 0: an empty value (an unset shell variable) must not pass as zero.
    const n = v.trim() === "" ? Number.NaN : Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return n;
  };
}

/**
 * Parser for `key=value,...` overrides of a settings object: keys must exist in `defaults`, and each value takes the
 * type of its default (a number, true/false, or one of `choices[key]` for strings).
 */
export function settingsOption<T extends object>(flag: string, defaults: T, choices: Partial<Record<keyof T, readonly string[]>> = {}): (v: string) => Partial<T> {
  return (v) => {
    const out: Record<string, unknown> = {};
    for (const pair of v.split(",").filter((p) => p.trim())) {
      const [key, value = ""] = pair.split("=").map((s) => s.trim());
      if (!(key in defaults)) throw new InvalidArgumentError(`${flag}: unknown setting ${JSON.stringify(key)}; known: ${Object.keys(defaults).join(", ")}`);
      const d = (defaults as Record<string, unknown>)[key];
      const allowed = (choices as Record<string, readonly string[] | undefined>)[key];
      if (typeof d === "number") {
        const n = Number(value);
        if (value === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${flag}: ${key} must be a number, got ${JSON.stringify(value)}`);
        out[key] = n;
      } else if (typeof d === "boolean") {
        if (value !== "true" && value !== "false") throw new InvalidArgumentError(`${flag}: ${key} must be true or false, got ${JSON.stringify(value)}`);
        out[key] = value === "true";
      } else {
        if (allowed && !allowed.includes(value)) throw new InvalidArgumentError(`${flag}: ${key} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
        out[key] = value;
      }
    }
    return out as Partial<T>;
  };
}
