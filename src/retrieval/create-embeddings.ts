/** Chooses the embedder: a GGUF model when one is configured, the built-in deterministic one otherwise. */
import path from "node:path";
import { InputError } from "../util/errors.ts";
import { env, ENV_VARS } from "../config.ts";
import { DeterministicEmbeddings, type DeterministicOptions } from "./deterministic-embeddings.ts";
import type { EvidenceDocument } from "./document.ts";
import type { ConfiguredEmbeddings, EmbedderConfig } from "./embedder-config.ts";

export interface EmbedderChoice {
  /** `--embed-model`; falls back to $HPOREC_EMBED_MODEL. */
  embedModel?: string;
  threads?: number;
}

export function resolveEmbedModel(flag?: string): string | undefined {
  const v = flag ?? env().embedModel;
  return v && v.trim() !== "" ? v : undefined;
}

async function llama(modelPath: string, threads?: number): Promise<ConfiguredEmbeddings> {
  // Loaded on demand: node-llama-cpp costs startup time that the default path never needs.
  const { LlamaEmbeddings } = await import("./llama-embeddings.ts");
  return LlamaEmbeddings.create({ modelPath, threads });
}

/** The embedder for building a new index from `docs` (the deterministic one fits its statistics on them). */
export async function embeddingsForBuild(
  docs: readonly EvidenceDocument[],
  choice: EmbedderChoice = {},
  options?: DeterministicOptions,
): Promise<ConfiguredEmbeddings> {
  const model = resolveEmbedModel(choice.embedModel);
  return model ? llama(model, choice.threads) : DeterministicEmbeddings.fit(docs, options);
}

/** The embedder that reproduces a stored index's vectors. `where` names the index for error messages. */
export async function embeddingsFromConfig(config: EmbedderConfig, choice: EmbedderChoice, where: string): Promise<ConfiguredEmbeddings> {
  if (config.kind === "deterministic") return new DeterministicEmbeddings(config);
  const model = resolveEmbedModel(choice.embedModel);
  if (!model) {
    throw new InputError(
      `the index was built with the embedding model ${config.model}, and none is configured`,
      where,
      `pass --embed-model <path to ${config.model}> (or set ${ENV_VARS.embedModel}), or rebuild the index without one`,
    );
  }
  if (path.basename(model) !== config.model) {
    throw new InputError(
      `the index was built with the embedding model ${config.model}, not ${path.basename(model)}`,
      where,
      `pass --embed-model <path to ${config.model}>, or rebuild the index with this model`,
    );
  }
  return llama(model, choice.threads);
}
