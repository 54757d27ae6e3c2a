/**
 * An error caused by the user's input (a file, a flag, a request body). It names what was wrong, the value and
 * the fix; the CLI prints it without a stack trace and exits with code 2, the server answers 400.
 */
export class InputError extends Error {
  constructor(
    message: string,
    /** Where the problem is: a file path with line/key, a flag name, a JSON path. */
    readonly where?: string,
    /** What would make it right. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = "InputError";
  }

  /** One readable message: "where: message (fix: hint)". */
  describe(): string {
    const parts = [this.where ? `${this.where}: ${this.message}` : this.message];
    if (this.hint) parts.push(`fix: ${this.hint}`);
    return parts.join("\n  ");
  }
}

/**
 * Input that contradicts what is already stored (a trial id told again with another result): the CLI exits 2 as
 * for any input error, the server answers 409 with `code`.
 */
export class ConflictError extends InputError {
  constructor(
    readonly code: string,
    message: string,
    where?: string,
    hint?: string,
  ) {
    super(message, where, hint);
    this.name = "ConflictError";
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
