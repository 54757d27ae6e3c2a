/**
 * The retry-and-validate loop shared by the local and the remote generator: an attempt yields raw text, which
 * must parse as JSON and pass the zod schema; one retry with the next seed, then a failure result.
 */
import type { z } from "zod";
import { JSON_DEFAULTS, type JsonRequest, type JsonResult, type TokenUsage } from "./json-generator.ts";

export interface AttemptSettings {
  maxTokens: number;
  temperature: number;
  seed: number;
}

export interface AttemptOutput {
  text: string;
  tokens: TokenUsage;
  /** Set when generation stopped on the token limit: the JSON is then almost surely unfinished. */
  hitMaxTokens: boolean;
}

const MAX_ATTEMPTS = 2;

export async function generateWithRetry<S extends z.ZodType>(
  request: JsonRequest<S>,
  /** Read after the attempts: a remote server's model name is only known once it answered. */
  model: () => string,
  attempt: (settings: AttemptSettings) => Promise<AttemptOutput>,
  options: { parse?: (text: string) => unknown; maxTokens?: number } = {},
): Promise<JsonResult<z.output<S>>> {
  const start = performance.now();
  const tokens: TokenUsage = { prompt: 0, completion: 0 };
  const errors: string[] = [];
  const base: AttemptSettings = {
    maxTokens: request.maxTokens ?? options.maxTokens ?? JSON_DEFAULTS.maxTokens,
    temperature: request.temperature ?? JSON_DEFAULTS.temperature,
    seed: request.seed ?? JSON_DEFAULTS.seed,
  };
  for (let i = 0; ; i++) {
    let outcome: { ok: true; value: z.output<S> } | { ok: false; error: string };
    try {
      const out = await attempt({ ...base, seed: base.seed + i });
      tokens.prompt += out.tokens.prompt;
      tokens.completion += out.tokens.completion;
      outcome = validate(request.schema, out, base.maxTokens, options.parse ?? JSON.parse);
    } catch (e) {
      if (request.signal?.aborted) throw e;
      outcome = { ok: false, error: (e as Error).message };
    }
    const stats = () => {
      const ms = performance.now() - start;
      return { tokens, ms, tokensPerSecond: ms > 0 ? (tokens.completion * 1000) / ms : 0, attempts: i + 1, model: model() };
    };
    if (outcome.ok) return { ok: true, value: outcome.value, source: "llm", ...stats() };
    errors.push(`attempt ${i + 1}: ${outcome.error}`);
    if (i + 1 === MAX_ATTEMPTS) return { ok: false, error: errors.join("; "), ...stats() };
  }
}

function validate<S extends z.ZodType>(
  schema: S,
  out: AttemptOutput,
  maxTokens: number,
  parse: (text: string) => unknown,
): { ok: true; value: z.output<S> } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = parse(out.text);
  } catch (e) {
    const why = out.hitMaxTokens ? `stopped at maxTokens (${maxTokens}) before the JSON was complete` : "not valid JSON";
    return { ok: false, error: `${why}: ${(e as Error).message.split("\n")[0]} (${preview(out.text)})` };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `schema: ${issue.path.join(".") || "(root)"}: ${issue.message}` };
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
