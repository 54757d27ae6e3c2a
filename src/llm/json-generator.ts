/**
 * The contract every LLM backend (local GGUF, OpenAI-compatible server) implements: one structured answer,
 * constrained to a zod schema. Generation problems are results, not exceptions, so a caller can always fall
 * back to its deterministic writer; configuration problems (a model that cannot be loaded) throw InputError.
 */
import type { z } from "zod";

export interface JsonRequest<S extends z.ZodType> {
  prompt: string;
  systemPrompt?: string;
  /** The answer's shape. Every object property must be required (use `.nullable()` for "unknown"). */
  schema: S;
  /** Name sent to OpenAI-compatible servers with the schema. */
  schemaName?: string;
  maxTokens?: number;
  temperature?: number;
  /** The retry uses seed + 1: the same seed would reproduce the same failure. */
  seed?: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  prompt: number;
  completion: number;
}

export interface GenerationStats {
  /** Summed over all attempts. */
  tokens: TokenUsage;
  ms: number;
  /** Completion tokens per second of wall time. */
  tokensPerSecond: number;
  attempts: number;
  /** Which model answered, for the answer's metadata. */
  model: string;
}

export type JsonResult<T> =
  | ({ ok: true; value: T; source: "llm" } & GenerationStats)
  | ({ ok: false; error: string } & GenerationStats);

export interface GeneratorInfo {
  kind: "local" | "remote";
  /** GGUF path or server URL. */
  location: string;
  model: string;
}

export interface JsonGenerator {
  generateJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<JsonResult<z.output<S>>>;
  info(): GeneratorInfo;
  dispose(): Promise<void>;
}

export const JSON_DEFAULTS = { maxTokens: 512, temperature: 0.2, seed: 1 } as const;
