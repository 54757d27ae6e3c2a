/**
 * Every error a client sees is `{error: {code, message, path}}`: zod issues, input errors, body-parser errors
 * (malformed JSON 400, too large 413), unknown routes (404). Internal errors are logged with their stack and
 * answered with a generic 500, so no stack trace or file path leaves the server.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { ConflictError, InputError } from "../util/errors.ts";
import { issueText, objectFields, valueAt } from "../util/zod-format.ts";
import { ApiError } from "./api-error.ts";

export { ApiError };

export interface ErrorBody {
  error: { code: string; message: string; path?: string };
}

/**
 * With the schema that failed, an unknown field's 400 also lists the fields the object takes there; with the value
 * that was parsed, it quotes what was sent at the issue's path (as sent: "abc", not the NaN a coercion made of it).
 */
export function fromZod(e: ZodError, prefix: string, schema?: unknown, sentValue?: unknown): ApiError {
  // Keys an object does not take beside a field it lacks (a card sent as `dataset`): the wrong shape explains both.
  const isPrefix = (p: readonly PropertyKey[], of: readonly PropertyKey[]) => p.length < of.length && p.every((k, i) => k === of[i]);
  const issue = e.issues.find((i) => i.code === "unrecognized_keys" && isPrefix(i.path, e.issues[0].path)) ?? e.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
  const more = e.issues.length > 1 ? ` (and ${e.issues.length - 1} more problem${e.issues.length > 2 ? "s" : ""})` : "";
  const fields = issue.code === "unrecognized_keys" && schema ? objectFields(schema, issue.path) : undefined;
  return new ApiError(400, "invalid_request", `${issueText(issue, valueAt(sentValue, issue.path))}${fields ? `; the fields here are ${fields.join(", ")}` : ""}${more}`, path);
}

export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return fromZod(err, "body");
  if (err instanceof ConflictError) return new ApiError(409, err.code, err.hint ? `${err.message}; ${err.hint}` : err.message, err.where);
  if (err instanceof InputError) return new ApiError(400, "invalid_input", err.hint ? `${err.message} (fix: ${err.hint})` : err.message, err.where);
  const e = err as { type?: string; status?: number; limit?: number; length?: number };
  // body-parser errors carry a type and a status (and, for a body too large, the limit in bytes).
  if (e?.type === "entity.too.large")
    return new ApiError(413, "payload_too_large", `request body of ${e.length ?? "more than"} bytes exceeds the limit of ${e.limit ?? "the server"} bytes; send less per request (e.g. split a batch), or start the server with a larger --body-limit`, "body");
  if (e?.type === "entity.parse.failed") return new ApiError(400, "malformed_json", "request body is not valid JSON", "body");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") return new ApiError(415, "unsupported_encoding", "unsupported body encoding", "body");
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) return new ApiError(e.status, "bad_request", "bad request", "body");
  return undefined;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const api = toApiError(err) ?? new ApiError(500, "internal_error", `internal error; see the server log for request ${req.id ?? "(no id)"}`);
  if (api.status >= 500) req.log?.error({ err }, "request failed");
  if (res.headersSent) return void res.end();
  res.status(api.status).json({ error: { code: api.code, message: api.message, ...(api.path ? { path: api.path } : {}) } } satisfies ErrorBody);
};

/** A body that is not JSON (text/plain, a form) is refused with 415 before anyone tries to read it. */
export const requireJsonBody: RequestHandler = (req, _res, next) =>
  next(req.is(["application/json", "+json"]) === false ? new ApiError(415, "unsupported_media_type", `send the body as application/json, not ${req.get("content-type") ?? "an unknown type"}`, "headers.content-type") : undefined);

/** Deeper than any request of this API (a handful of levels); a schema walking a deeper body recursively would overflow. */
export const MAX_BODY_DEPTH = 64;

/** A JSON body nested deeper than MAX_BODY_DEPTH is refused with 400 before a route reads it. */
export const limitBodyDepth: RequestHandler = (req, _res, next) =>
  next(deeperThan(req.body, MAX_BODY_DEPTH) ? new ApiError(400, "invalid_request", `the body is nested more than ${MAX_BODY_DEPTH} levels deep; no request of this API needs more than a few`, "body") : undefined);

/** Iterative, so that measuring a hostile body cannot overflow the stack either (cost: scripts/bench-body-depth.ts). */
export function deeperThan(value: unknown, limit: number): boolean {
  // Two parallel stacks holding containers only: no tuple or Object.values array per node (a sixth of a 1 MB
  // body's JSON.parse, where those took as long as the parse, and twice as long on deeply nested bodies).
  const nodes: object[] = [];
  const depths: number[] = [];
  const push = (v: unknown, depth: number) => {
    if (v === null || typeof v !== "object") return;
    nodes.push(v);
    depths.push(depth);
  };
  push(value, 0);
  while (nodes.length) {
    const v = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth >= limit) return true;
    if (Array.isArray(v)) for (const child of v) push(child, depth + 1);
    else for (const key in v) push(v[key], depth + 1);
  }
  return false;
}

export const notFound: RequestHandler = (req, _res, next) => next(new ApiError(404, "not_found", `no route for ${req.method} ${req.path}`, "path"));
