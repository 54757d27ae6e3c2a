/**
 * The built-in offline embedder. A vector has three blocks, each of unit length (or zero when the text has
 * nothing for it), weighted, and the whole normalised so that inner product = cosine:
 *   1. meta-features: standardised (stats from the past datasets), projected onto a sphere;
 *   2. domain/modality: hashed one-hot tokens;
 *   3. words: signed hashing of unigrams and bigrams with sublinear tf.
 * Pure functions of the text and the config: the same text always gives the same vector.
 */
import { Embeddings } from "@langchain/core/embeddings";
import type { DeterministicConfig } from "./embedder-config.ts";
import type { EvidenceDocument } from "./document.ts";
import { hashFeatures, wordFeatures } from "./feature-hashing.ts";
import { computeMetaFeatureStats, standardise, type MetaFeatureStats, type StatsOptions } from "./meta-feature-stats.ts";
import { parseMetaLine } from "./meta-line.ts";
import { normalise } from "./vectors.ts";

export interface DeterministicOptions {
  textDim?: number;
  categoryDim?: number;
  weights?: Partial<DeterministicConfig["weights"]>;
  metaScale?: number;
}

const DEFAULTS = { textDim: 256, categoryDim: 64, weights: { meta: 1, category: 0.5, text: 0.5 } };

/**
 * Inverse stereographic projection R^n -> S^n. Normalising the z-scores themselves would keep only their
 * direction (a dataset 0.1σ and one 3σ above average in every feature would coincide); on the sphere,
 * cos(p(x), p(y)) = 1 - 2|x-y|² / ((1+|x|²)(1+|y|²)), which falls as the datasets move apart.
 */
function sphere(x: number[]): number[] {
  const r2 = x.reduce((a, b) => a + b * b, 0);
  return [...x.map((v) => (2 * v) / (1 + r2)), (r2 - 1) / (1 + r2)];
}

export class DeterministicEmbeddings extends Embeddings {
  private readonly cfg: DeterministicConfig;

  constructor(config: DeterministicConfig) {
    super({});
    this.cfg = config;
  }

  /** Builds the embedder with standardisation statistics from the dataset documents' meta-features. */
  static fit(docs: readonly EvidenceDocument[], options: DeterministicOptions = {}, statsOptions?: StatsOptions): DeterministicEmbeddings {
    const rows = docs.filter((d) => d.kind === "dataset" && d.metadata.metaFeatures).map((d) => d.metadata.metaFeatures!);
    return DeterministicEmbeddings.withStats(computeMetaFeatureStats(rows, statsOptions), options);
  }

  static withStats(stats: MetaFeatureStats, options: DeterministicOptions = {}): DeterministicEmbeddings {
    const n = Object.keys(stats.features).length;
    return new DeterministicEmbeddings({
      kind: "deterministic",
      textDim: options.textDim ?? DEFAULTS.textDim,
      categoryDim: options.categoryDim ?? DEFAULTS.categoryDim,
      weights: { ...DEFAULTS.weights, ...options.weights },
      // Typical standardised points then lie near radius 1, where the projection is least distorted.
      metaScale: options.metaScale ?? Math.sqrt(Math.max(n, 1)),
      stats,
    });
  }

  config(): DeterministicConfig {
    return this.cfg;
  }

  get dimension(): number {
    return Object.keys(this.cfg.stats.features).length + 1 + this.cfg.categoryDim + this.cfg.textDim;
  }

  embed(text: string): number[] {
    const { metaFeatures, domain, modality, body } = parseMetaLine(text);
    const { weights, stats, metaScale, categoryDim, textDim } = this.cfg;
    const nStats = Object.keys(stats.features).length;
    const hasMeta = Object.keys(metaFeatures).some((k) => k in stats.features);
    const meta = hasMeta ? sphere(standardise(stats, metaFeatures).map((z) => z / metaScale)) : new Array<number>(nStats + 1).fill(0);
    const categories = [domain && `domain=${domain}`, modality && `modality=${modality}`].filter((t): t is string => !!t);
    const category = normalise(hashFeatures(categories, categoryDim, "category:"));
    const words = normalise(hashFeatures(wordFeatures(body), textDim));
    return normalise([
      ...meta.map((v) => v * weights.meta),
      ...category.map((v) => v * weights.category),
      ...words.map((v) => v * weights.text),
    ]);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }
}
