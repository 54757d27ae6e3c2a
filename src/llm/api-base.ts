/** The base URL of an OpenAI-compatible API from what a user typed (validated before any client is loaded). */
import { InputError } from "../util/errors.ts";

/** A URL without a path gets /v1 (llama.cpp server, vLLM and Ollama all serve the API there). */
export function apiBase(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`not a URL: ${url}`, "--llm-url", "e.g. http://127.0.0.1:8080/v1 (llama.cpp server) or http://127.0.0.1:11434/v1 (Ollama)");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new InputError(`not an http(s) URL: ${url}`, "--llm-url");
  const path = u.pathname.replace(/\/+$/, "");
  return `${u.origin}${path || "/v1"}`;
}
