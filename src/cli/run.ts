import { ZodError } from "zod";
import { InputError } from "../util/errors.ts";
import { formatZodError } from "../util/zod-format.ts";

/** Exit codes: 0 ok, 1 internal failure, 2 bad input (a flag, a file, a value). */
export const EXIT_BAD_INPUT = 2;

/** Wraps a command action: input errors print one clear message and exit 2; other errors exit 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      reportError(e);
    }
  };
}

/** Input errors print one clear message and set exit code 2; anything else is an internal error (exit 1). */
export function reportError(e: unknown): void {
  if (e instanceof InputError) {
    process.stderr.write(`hporec: ${e.describe()}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  } else if (e instanceof ZodError) {
    process.stderr.write(`hporec: invalid input\n${formatZodError(e)}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  } else {
    process.stderr.write(`hporec: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
}

/** Prints a value as pretty JSON on stdout (for --json). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}
