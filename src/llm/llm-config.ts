/**
 * Which LLM, if any: `--llm <gguf|URI>` (env HPOREC_LLM) for a local model, or `--llm-url` (HPOREC_LLM_URL) for
 * an OpenAI-compatible server. Neither means no LLM: callers use their deterministic writers.
 */
import { InputError } from "../util/errors.ts";
import { env } from "../config.ts";
import type { JsonGenerator } from "./json-generator.ts";
import { apiBase } from "./api-base.ts";
import { LazyJsonGenerator } from "./lazy-generator.ts";

export interface LlmFlags {
  llm?: string;
  llmUrl?: string;
  llmModel?: string;
  llmApiKey?: string;
  /** "auto" or "false"/"cpu". */
  llmGpu?: string;
  llmThreads?: string | number;
  llmContext?: string | number;
  llmSequences?: string | number;
  llmMaxTokens?: string | number;
  /** Only use already downloaded model files. */
  llmOffline?: boolean;
}

/** Flags win over environment variables. Returns undefined when no LLM is configured. */
export function createJsonGenerator(flags: LlmFlags = {}, source: NodeJS.ProcessEnv = process.env): JsonGenerator | undefined {
  const fromEnv = env(source).llm;
  const get = <K extends keyof LlmFlags>(k: K) => flags[k] ?? fromEnv[k];
  const model = get("llm");
  const url = get("llmUrl");
  if (model && url) throw new InputError("both --llm and --llm-url are set", "--llm / --llm-url", "choose a local model or a server, not both");
  const maxTokens = positiveInt(get("llmMaxTokens"), "--llm-max-tokens");
  if (url) {
    const options = { url: apiBase(String(url)), model: str(get("llmModel")), apiKey: str(get("llmApiKey")), maxTokens };
    return new LazyJsonGenerator(async () => new (await import("./openai-json-generator.ts")).OpenAiJsonGenerator(options), {
      kind: "remote",
      location: options.url,
      model: options.model ?? "(server default)",
    });
  }
  if (!model) return undefined;
  const offline = get("llmOffline");
  const options = {
    model: String(model),
    gpu: gpuSetting(str(get("llmGpu"))),
    threads: positiveInt(get("llmThreads"), "--llm-threads"),
    contextSize: positiveInt(get("llmContext"), "--llm-context"),
    sequences: positiveInt(get("llmSequences"), "--llm-sequences"),
    maxTokens,
    download: offline === true || offline === "1" || offline === "true" ? (false as const) : ("auto" as const),
  };
  return new LazyJsonGenerator(async () => new (await import("./llama-runtime.ts")).LlamaRuntime(options), {
    kind: "local",
    location: options.model,
    model: options.model.split(/[\\/]/).pop() ?? options.model,
  });
}

function str(v: unknown): string | undefined {
  return v === undefined || v === "" ? undefined : String(v);
}

function positiveInt(v: unknown, where: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`not a positive integer: ${v}`, where);
  return n;
}

function gpuSetting(v: string | undefined): "auto" | false {
  if (v === undefined || v === "auto") return "auto";
  if (v === "false" || v === "cpu" || v === "0") return false;
  throw new InputError(`unknown GPU setting: ${v}`, "--llm-gpu", 'use "auto" or "cpu"');
}
