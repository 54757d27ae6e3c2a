/** The LLM flags shared by recommend and judge; each falls back to its HPOREC_LLM_* variable (src/llm/llm-config.ts). */
import type { Command } from "commander";

export function addLlmOptions(cmd: Command): Command {
  return cmd
    .option("--llm <gguf|uri>", "local GGUF model (path, hf:owner/repo:quant or https URL) for the LLM writer and judge (env HPOREC_LLM)")
    .option("--llm-url <url>", "OpenAI-compatible server instead of a local model, e.g. http://localhost:8080/v1 (env HPOREC_LLM_URL)")
    .option("--llm-model <name>", "model name to request from --llm-url (env HPOREC_LLM_MODEL)")
    .option("--llm-threads <n>", "CPU threads of the local model (env HPOREC_LLM_THREADS)")
    .option("--llm-context <tokens>", "context size of the local model (env HPOREC_LLM_CONTEXT)")
    .option("--llm-max-tokens <n>", "generation limit per answer (env HPOREC_LLM_MAX_TOKENS)")
    .option("--llm-gpu <auto|cpu>", "use a GPU when available (env HPOREC_LLM_GPU)")
    .option("--llm-offline", "never download a model URI; use the cached file (env HPOREC_LLM_OFFLINE)");
}

