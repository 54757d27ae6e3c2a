/** LLM calls with a deadline: past it (or on any failure) the caller's deterministic answer is used. */
import type { z } from "zod";
import type { JsonGenerator, JsonRequest, JsonResult } from "../llm/json-generator.ts";

export interface LlmOptions {
  generator?: JsonGenerator;
  /** Milliseconds before an LLM call is abandoned (default 20 s). */
  timeoutMs?: number;
  /** Called with the tokens of every finished call (metrics). */
  onTokens?: (prompt: number, completion: number) => void;
}

export const DEFAULT_TIMEOUT_MS = 20_000;

/** The promise's value, or undefined once `ms` have passed or if it rejects; the abort signal tells the callee. */
export async function withDeadline<T>(ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const ctl = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      ctl.abort();
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([run(ctl.signal).catch(() => undefined), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export async function generateWithDeadline<S extends z.ZodType>(opts: LlmOptions, req: JsonRequest<S>): Promise<JsonResult<z.output<S>> | undefined> {
  if (!opts.generator) return undefined;
  const generator = opts.generator;
  const r = await withDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, (signal) => generator.generateJson({ ...req, signal }));
  if (r) opts.onTokens?.(r.tokens.prompt, r.tokens.completion);
  return r;
}

/** The configured generator behind the deadline: past it, a failed result (the caller's fallback then answers). */
export function deadlineGenerator(opts: LlmOptions): JsonGenerator | undefined {
  const generator = opts.generator;
  if (!generator) return undefined;
  return {
    generateJson: async (req) =>
      (await generateWithDeadline(opts, req)) ?? {
        ok: false,
        error: `the LLM did not answer within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
        tokens: { prompt: 0, completion: 0 },
        ms: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        tokensPerSecond: 0,
        attempts: 1,
        model: generator.info().model,
      },
    info: () => generator.info(),
    // The configured generator belongs to the caller.
    dispose: async () => {},
  };
}
