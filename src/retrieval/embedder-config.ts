/**
 * What is persisted about the embedder beside an index, so a loaded index embeds queries exactly as its
 * documents were embedded (and refuses an embedder that would not).
 */
import type { Embeddings } from "@langchain/core/embeddings";
import { z } from "zod";
import { MetaFeatureStats } from "./meta-feature-stats.ts";

export const DeterministicConfig = z.object({
  kind: z.literal("deterministic"),
  textDim: z.number().int().positive(),
  categoryDim: z.number().int().positive(),
  /** Block weights; the cosine of two full vectors is the w²-weighted mean of the blocks' cosines. */
  weights: z.object({ meta: z.number().nonnegative(), category: z.number().nonnegative(), text: z.number().nonnegative() }),
  /** z-scores are divided by this before the projection onto the sphere (see DeterministicEmbeddings). */
  metaScale: z.number().positive(),
  stats: MetaFeatureStats,
});
export type DeterministicConfig = z.infer<typeof DeterministicConfig>;

export const LlamaConfig = z.object({
  kind: z.literal("llama"),
  /** The file name only: the same model may live elsewhere on the machine that loads the index. */
  model: z.string(),
  dimension: z.number().int().positive(),
});
export type LlamaConfig = z.infer<typeof LlamaConfig>;

export const EmbedderConfig = z.discriminatedUnion("kind", [DeterministicConfig, LlamaConfig]);
export type EmbedderConfig = z.infer<typeof EmbedderConfig>;

/** An embedder that can say how it was configured (every embedder an index is built with). */
export interface ConfiguredEmbeddings extends Embeddings {
  config(): EmbedderConfig;
}
