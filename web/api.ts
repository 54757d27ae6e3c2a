/**
 * The HTTP API as the page uses it: same origin, JSON bodies, the API key (when the server has one) as a Bearer
 * header. Every failure becomes an ApiError carrying the server's {code, message, path}.
 */
import { ApiError } from "../src/server/api-error.ts";
import { SseParser, type SseEvent } from "./sse.ts";

/** The server's own error type (status 0: the server could not be reached). */
export { ApiError };

const KEY = "hporec.apiKey";
// Kept for the tab's session only: closing the tab forgets the key.
let apiKey = sessionStorage.getItem(KEY) ?? "";

export function setApiKey(key: string): void {
  apiKey = key.trim();
  if (apiKey) sessionStorage.setItem(KEY, apiKey);
  else sessionStorage.removeItem(KEY);
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...extra };
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; path?: string } };
    return new ApiError(res.status, error.code, error.message, error.path);
  } catch {
    return new ApiError(res.status, "http_error", `HTTP ${res.status}: ${text.slice(0, 200) || res.statusText}`);
  }
}

export async function api<T>(method: "GET" | "POST" | "DELETE", url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: headers(), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "network_error", `cannot reach the hporec server (${(e as Error).message}); is \`hporec serve\` running?`);
  }
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** POST with Accept: text/event-stream; yields the events as they arrive. */
export async function* streamEvents(url: string, body: unknown): AsyncGenerator<SseEvent> {
  const res = await fetch(url, { method: "POST", headers: headers({ accept: "text/event-stream" }), body: JSON.stringify(body) }).catch((e: Error) => {
    throw new ApiError(0, "network_error", `cannot reach the hporec server (${e.message})`);
  });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield* parser.push(value);
  }
}
