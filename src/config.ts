/**
 * Every HPOREC_* environment variable is read here and nowhere else. Command-line flags win over these (the
 * CLI passes its flags first); a library user passes options instead and may ignore the environment.
 * A malformed value is an InputError naming the variable, the value and the fix.
 */
import { InputError } from "./util/errors.ts";

/** The variables, by the name the code uses; `hporec --help` and the README list the same. */
export const ENV_VARS = {
  data: "HPOREC_DATA",
  pack: "HPOREC_PACK",
  embedModel: "HPOREC_EMBED_MODEL",
  progress: "HPOREC_PROGRESS",
  apiKey: "HPOREC_API_KEY",
  workers: "HPOREC_WORKERS",
  logLevel: "HPOREC_LOG_LEVEL",
  llm: "HPOREC_LLM",
  llmUrl: "HPOREC_LLM_URL",
  llmModel: "HPOREC_LLM_MODEL",
  llmApiKey: "HPOREC_LLM_API_KEY",
  llmGpu: "HPOREC_LLM_GPU",
  llmThreads: "HPOREC_LLM_THREADS",
  llmContext: "HPOREC_LLM_CONTEXT",
  llmSequences: "HPOREC_LLM_SEQUENCES",
  llmMaxTokens: "HPOREC_LLM_MAX_TOKENS",
  llmOffline: "HPOREC_LLM_OFFLINE",
  llmLog: "HPOREC_LLM_LOG",
  referencePython: "HPOREC_REFERENCE_PYTHON",
} as const;

export type EnvName = keyof typeof ENV_VARS;

export interface HporecEnv {
  /** Folder holding the meta-datasets (e.g. ../shared/metadata): `--data <name>` resolves inside it. */
  data?: string;
  /** Default pack folder (else the built-in models/default). */
  pack?: string;
  /** GGUF embedding model of the knowledge index. */
  embedModel?: string;
  /** true: always draw progress bars; false: never; undefined: on a terminal only. */
  progress?: boolean;
  /** Bearer key required on /v1. */
  apiKey?: string;
  /** Recommendation worker threads of `serve`. */
  workers?: number;
  logLevel?: string;
  /** LLM settings as strings (src/llm/llm-config.ts validates them, flags first). */
  llm: Partial<Record<"llm" | "llmUrl" | "llmModel" | "llmApiKey" | "llmGpu" | "llmThreads" | "llmContext" | "llmSequences" | "llmMaxTokens" | "llmOffline", string>>;
  /** Log node-llama-cpp's own messages. */
  llmLog: boolean;
  /** The Python with xgboost/optuna for reference checks (default Debian's /usr/bin/python3). */
  referencePython: string;
}

const LLM_KEYS = ["llm", "llmUrl", "llmModel", "llmApiKey", "llmGpu", "llmThreads", "llmContext", "llmSequences", "llmMaxTokens", "llmOffline"] as const;

/** The HPOREC_* settings of `source` (default: this process's environment); empty values count as unset. */
export function env(source: NodeJS.ProcessEnv = process.env): HporecEnv {
  const get = (k: EnvName) => {
    const v = source[ENV_VARS[k]];
    return v === undefined || v === "" ? undefined : v;
  };
  return {
    data: get("data"),
    pack: get("pack"),
    embedModel: get("embedModel"),
    progress: flag(get("progress"), "progress"),
    apiKey: get("apiKey"),
    workers: integer(get("workers"), "workers", 0, 64),
    logLevel: get("logLevel"),
    llm: Object.fromEntries(LLM_KEYS.flatMap((k) => (get(k) === undefined ? [] : [[k, get(k)!]]))),
    llmLog: flag(get("llmLog"), "llmLog") ?? false,
    referencePython: get("referencePython") ?? "/usr/bin/python3",
  };
}

function flag(v: string | undefined, k: EnvName): boolean | undefined {
  if (v === undefined) return undefined;
  if (["1", "true", "yes"].includes(v.toLowerCase())) return true;
  if (["0", "false", "no"].includes(v.toLowerCase())) return false;
  throw new InputError(`${JSON.stringify(v)} is not 0 or 1`, ENV_VARS[k], `set ${ENV_VARS[k]}=1 or ${ENV_VARS[k]}=0, or unset it`);
}

function integer(v: string | undefined, k: EnvName, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${JSON.stringify(v)} is not an integer from ${min} to ${max}`, ENV_VARS[k], `set ${ENV_VARS[k]} to a whole number, or unset it`);
  return n;
}
