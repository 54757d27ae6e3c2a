/**
 * Explains a trained meta-learner on its own training data: global importance, interactions, good ranges
 * (overall and per domain), per-dataset drivers and the reduced search space. Stored in the pack as
 * explanations.json, so `explain`, evidence documents and recommendations read it instead of recomputing.
 */
import type { HpValue, MetaDataset } from "../metadata/schema.ts";
import type { MetaLearner } from "../learner/meta-learner.ts";
import { goodRanges, type GoodRange } from "./good-ranges.ts";
import { globalImportance, topInteractions, type Importance, type Interaction } from "./importance.ts";
import { reduceSpace, type ReducedSpace } from "./reduced-space.ts";
import { groupedShap } from "./shap-matrix.ts";
import { formatValueRange } from "../util/format.ts";
import { trainingLengthCaveats, type TrainingLengthCaveat } from "./training-length.ts";

export interface DatasetDrivers {
  /** The hyperparameters (and model) that moved predictions most on this dataset's runs. */
  importance: { name: string; meanAbsShap: number }[];
  /** For each of those, the value range / category that contributed most. */
  best: { name: string; value: string; meanShap: number }[];
}

export interface Explanations {
  rowsExplained: number;
  expectedValue: number;
  importance: Importance[];
  interactions: Interaction[];
  goodRanges: { overall: GoodRange[]; byDomain: Record<string, GoodRange[]> };
  reducedSpace: ReducedSpace;
  perDataset: Record<string, DatasetDrivers>;
  /** Hyperparameters whose effect in the past runs is how long they trained (absent in packs before 2026-11-30). */
  trainingLength?: TrainingLengthCaveat[];
}

/** The good ranges learnt on one domain's past datasets; undefined for a domain the pack has none of. */
export function domainRanges(ex: Explanations, domain: string | undefined): GoodRange[] | undefined {
  // Own keys only: a domain named like an Object method ("constructor") is simply unknown.
  return domain !== undefined && Object.hasOwn(ex.goodRanges.byDomain, domain) ? ex.goodRanges.byDomain[domain] : undefined;
}

export interface ExplainOptions {
  /** Runs explained per dataset (evenly spaced, deterministic). */
  rowsPerDataset?: number;
  /** Rows used for interaction values (costlier), spread over datasets; computed on the first seed's model. */
  interactionRows?: number;
}

export function explainLearner(learner: MetaLearner, md: MetaDataset, opts: ExplainOptions = {}): Explanations {
  const perDs = opts.rowsPerDataset ?? 20;
  const datasets = new Map(md.datasets.map((d) => [d.id, d]));
  const picked = stratified(md, perDs);
  const items = picked.map((i) => ({ dataset: datasets.get(md.runs[i].datasetId)!, config: md.runs[i] }));
  const rows = learner.encoder.encode(items);
  const shap = groupedShap(learner, rows, picked.length);
  const importance = globalImportance(shap);

  const nInt = Math.min(opts.interactionRows ?? 40, picked.length);
  const stride = picked.length / nInt;
  const intIdx = Array.from({ length: nInt }, (_, k) => Math.floor(k * stride));
  const intRows = new Float32Array(nInt * learner.encoder.nCols);
  intIdx.forEach((r, k) => intRows.set(rows.subarray(r * learner.encoder.nCols, (r + 1) * learner.encoder.nCols), k * learner.encoder.nCols));
  const interactions = topInteractions(learner, intRows, nInt, 15, learner.outcome.slice(0, 1));

  const ctx = {
    values: picked.map((i): Record<string, HpValue> => ({ ...md.runs[i].hyperparameters, model: md.runs[i].model })),
    domains: picked.map((i) => datasets.get(md.runs[i].datasetId)!.domain),
  };
  const overall = goodRanges(shap, ctx, md.searchSpace);
  const byDomain: Record<string, GoodRange[]> = {};
  for (const dom of new Set(ctx.domains)) {
    if (dom === undefined) continue;
    byDomain[dom] = goodRanges(shap, ctx, md.searchSpace, (r) => ctx.domains[r] === dom, 4);
  }

  const perDataset: Record<string, DatasetDrivers> = {};
  const g = shap.groups.length;
  for (const d of md.datasets) {
    const rowsOf = picked.flatMap((i, r) => (md.runs[i].datasetId === d.id ? [r] : []));
    if (!rowsOf.length) continue;
    const imp = shap.groups
      .map((name, j) => ({ name, kind: shap.kinds[j], meanAbsShap: rowsOf.reduce((s, r) => s + Math.abs(shap.values[r * g + j]), 0) / rowsOf.length }))
      .filter((x) => x.kind === "hp" || x.kind === "model")
      .sort((a, b) => b.meanAbsShap - a.meanAbsShap)
      .slice(0, 5);
    const set = new Set(rowsOf);
    const local = goodRanges(shap, ctx, md.searchSpace, (r) => set.has(r), 3);
    const best = imp.flatMap(({ name }) => {
      const r = local.find((x) => x.name === name);
      const top = r?.stats.reduce((a, b) => (b.meanShap > a.meanShap ? b : a));
      if (!top) return [];
      const value = formatValueRange(top, "..", 3);
      return [{ name, value, meanShap: top.meanShap }];
    });
    perDataset[d.id] = { importance: imp.map(({ name, meanAbsShap }) => ({ name, meanAbsShap })), best };
  }

  return {
    rowsExplained: picked.length,
    expectedValue: shap.expected,
    importance,
    interactions,
    goodRanges: { overall, byDomain },
    reducedSpace: reduceSpace(md.searchSpace, md.models, importance, overall),
    perDataset,
    trainingLength: trainingLengthCaveats(md),
  };
}

/** Up to `k` runs per dataset, evenly spaced in file order: deterministic and covering every dataset. */
function stratified(md: MetaDataset, k: number): number[] {
  const byDs = new Map<string, number[]>();
  md.runs.forEach((r, i) => {
    const l = byDs.get(r.datasetId) ?? [];
    l.push(i);
    byDs.set(r.datasetId, l);
  });
  const out: number[] = [];
  for (const idx of byDs.values()) {
    const n = Math.min(k, idx.length);
    for (let j = 0; j < n; j++) out.push(idx[Math.floor((j * idx.length) / n)]);
  }
  return out;
}
