/** An error a client of the HTTP API sees: status, code, message and the path of the culprit. No imports, so the web app uses it too. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
