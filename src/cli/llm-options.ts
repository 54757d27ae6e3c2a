/** The LLM flags of every command that runs an LLM; each falls back to its HPOREC_LLM_* variable (src/llm/llm-config.ts). */
import type { Command } from "commander";
import { intOption } from "./options.ts";

/** `use`: what the model does for the command. */
export function addLlmOptions(cmd: Command, use = "for the LLM writer and judge"): Command {
  return cmd
    .option("--llm <gguf|uri>", `local GGUF model (path, hf:owner/repo:quant or https URL) ${use} (env HPOREC_LLM)`)
    .option("--llm-url <url>", "OpenAI-compatible server instead of a local model, e.g. http://localhost:8080/v1 (env HPOREC_LLM_URL)")
    .option("--llm-model <name>", "model name to request from --llm-url (env HPOREC_LLM_MODEL)")
    .option("--llm-threads <n>", "CPU threads of the local model (env HPOREC_LLM_THREADS)")
    .option("--llm-context <tokens>", "context size of the local model (env HPOREC_LLM_CONTEXT)")
    .option("--llm-max-tokens <n>", "generation limit per answer (env HPOREC_LLM_MAX_TOKENS)")
    .option("--llm-gpu <auto|cpu>", "use a GPU when available (env HPOREC_LLM_GPU)")
    .option("--llm-offline", "never download a model URI; use the cached file (env HPOREC_LLM_OFFLINE)");
}


/** The chat's (terminal and server): the same flags, and a deadline after which an answer is the rule-based one. */
export function addLlmChatOptions(cmd: Command): Command {
  return addLlmOptions(cmd, "to read messages and word answers; without one, answers are rule-based").option(
    "--llm-timeout-ms <ms>",
    "LLM calls taking longer fall back to the rule-based answer",
    intOption("--llm-timeout-ms", 100, 600000),
    20000,
  );
}
