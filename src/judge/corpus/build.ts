/**
 * A judge corpus with known truth for one pack: varied dataset cards (sizes, classes, resolutions, domains,
 * modalities like the pack's datasets; some with a time budget, model lists, a fixed value or another
 * objective) -> the recommender's real answers -> untouched lines (expected to pass, in the deterministic
 * writer's phrasing and an LLM-like one) and, for the first answers, one line per applicable kind of false or
 * missing claim (expected to fail). Lines are batch-style JSON: {ok, name, label, recommendation}.
 */
import type { Pack } from "../../learner/pack.ts";
import type { DatasetCard } from "../../metadata/card.ts";
import { describeDataset } from "../../metadata/describe/index.ts";
import { deriveMetaFeatures } from "../../metadata/meta-features.ts";
import type { Constraints } from "../../recommend/constraints.ts";
import type { Recommender } from "../../recommend/recommender.ts";
import type { Objective, RecommendRequest } from "../../recommend/request.ts";
import type { Recommendation } from "../../recommend/schema.ts";
import { createRng, type Rng } from "../../util/random.ts";
import { packKnowledge } from "../pack-knowledge.ts";
import type { Label } from "../evaluation.ts";
import { PERTURBATIONS, untouched, type CorpusEnv, type Style } from "./perturbations.ts";

export interface CorpusLine {
  ok: true;
  name: string;
  label: Label;
  recommendation: Recommendation;
}

export interface CorpusOptions {
  /** Answers (one per card); each gives two untouched lines. */
  cards: number;
  /** Answers that also get one line per kind of false claim (the first ones). */
  perturbed: number;
  seed?: number;
  /** Candidates sampled per recommendation (default 2,000, as served). */
  samples?: number;
  onAnswer?: (done: number, total: number) => void;
}

const STYLES: Style[] = ["writer", "llm"];

export async function buildCorpus(recommender: Recommender, opts: CorpusOptions): Promise<CorpusLine[]> {
  const { pack } = recommender;
  const rng = createRng(opts.seed ?? 18);
  const env = corpusEnv(pack, recommender, rng);
  const packName = pack.manifest.name;
  const lines: CorpusLine[] = [];
  for (let i = 0; i < opts.cards; i++) {
    const req = varied(pack, rng, i);
    const a = await recommender.recommend({ ...req, samples: opts.samples, seed: 1 + (i % 3) });
    const name = `${packName}-${i}`;
    const line = (style: Style, kind: string, expect: "pass" | "fail", recommendation: Recommendation): CorpusLine => ({ ok: true, name: `${name}/${style}/${kind}`, label: { kind, expect, style, pack: packName }, recommendation });
    for (const style of STYLES) lines.push(line(style, "untouched", "pass", untouched(a, style, rng)));
    if (i < opts.perturbed)
      for (const p of PERTURBATIONS)
        for (const style of STYLES) {
          const bad = p.apply(a, env, style);
          if (bad) lines.push(line(style, p.kind, "fail", bad));
        }
    opts.onAnswer?.(i + 1, opts.cards);
  }
  return lines;
}

export function corpusEnv(pack: Pack, recommender: Recommender, rng: Rng): CorpusEnv {
  const tol = packKnowledge(pack, recommender).tolerances;
  const qs = pack.datasets.flatMap((d) => d.quantiles);
  // tol.metric is 1% of the range: a moved claim is off by 11% of it (11 points of a 0-100 accuracy).
  return { pack, recommender, rng, metricShift: 11 * tol.metric, metricRange: [Math.min(...qs), Math.max(...qs)] };
}

/** A new dataset like the pack's (its modality, sizes around its range), with constraints now and then. */
export function varied(pack: Pack, rng: Rng, i: number): RecommendRequest {
  const past = pack.datasets;
  const like = past[rng.int(past.length)];
  const mf = like.metaFeatures;
  const spread = (v: number, f: number) => Math.max(2, Math.round(v * Math.exp((rng.next() * 2 - 1) * Math.log(f))));
  const modality = like.modality ?? "image";
  let dataset: RecommendRequest["dataset"];
  if (rng.next() < 0.3) {
    // A past dataset's meta-features, moved: what a user passing meta-features (not a card) sends.
    const n = spread(mf.n_samples ?? 1000, 3);
    const k = Math.min(n - 1, spread(mf.n_classes ?? 2, 2));
    const extra = Object.fromEntries(Object.entries(mf).filter(([key]) => !["n_samples", "n_classes", "log_n_samples", "samples_per_class", "log_samples_per_class"].includes(key)));
    dataset = { name: `moved-${like.id}-${i}`, metaFeatures: { ...extra, ...deriveMetaFeatures({ n_samples: n, n_classes: Math.max(2, k) }) }, domain: like.domain, modality };
  } else {
    const image = modality !== "tabular" && modality !== "text";
    const card: DatasetCard = {
      name: `card-${i}`,
      samples: spread(mf.n_samples ?? 2000, 10),
      classes: Math.max(2, spread(mf.n_classes ?? 5, 3)),
      modality,
      ...(image && { imageSize: [32, 64, 128, 224, 256, 384][rng.int(6)], channels: rng.next() < 0.25 ? 1 : 3 }),
      ...(mf.depth !== undefined && rng.next() < 0.7 && { depth: spread(mf.depth, 2) }),
      ...(like.domain && rng.next() < 0.6 && { domain: like.domain }),
    };
    const d = describeDataset(card);
    dataset = { name: d.name, metaFeatures: d.metaFeatures, domain: d.domain, modality: d.modality };
  }
  return { dataset, constraints: constraints(pack, rng), objective: objective(rng) };
}

function constraints(pack: Pack, rng: Rng): Constraints | undefined {
  const u = rng.next();
  const models = pack.space.models;
  if (u < 0.12 && pack.manifest.hasCost) {
    const times = pack.datasets.flatMap((d) => d.topRuns.flatMap((r) => (r.seconds ? [r.seconds] : [])));
    const median = times.sort((a, b) => a - b)[times.length >> 1] ?? 3600;
    return { budgetSeconds: Math.round(median * (0.3 + rng.next())) };
  }
  if (u < 0.2 && models.length > 3) return { allowModels: [...new Set([models[rng.int(models.length)], models[rng.int(models.length)]])] };
  if (u < 0.28 && models.length > 2) return { denyModels: [models[rng.int(models.length)]] };
  if (u < 0.34) {
    const numeric = Object.entries(pack.space.searchSpace.hyperparameters).filter(([, hp]) => (hp.type === "int" || hp.type === "float") && !hp.condition);
    if (numeric.length) {
      const [name, hp] = numeric[rng.int(numeric.length)] as [string, { low: number; high: number; type: string; values?: number[] }];
      const v = hp.values?.length ? hp.values[rng.int(hp.values.length)] : hp.low + (hp.high - hp.low) * rng.next();
      return { fixed: { [name]: hp.type === "int" ? Math.round(v) : Number(v.toPrecision(3)) } };
    }
  }
  return undefined;
}

function objective(rng: Rng): Objective | undefined {
  const u = rng.next();
  return u < 0.08 ? "balanced" : u < 0.14 ? "cost" : undefined;
}
