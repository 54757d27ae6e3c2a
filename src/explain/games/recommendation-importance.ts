/**
 * "Importance for this dataset" in a recommendation: the tunability game on the new dataset, from the default
 * baseline, and the reduced search space adjusted by it. Hyperparameters whose tuning gains (almost) nothing on
 * this dataset are fixed at the recommended value; ones the global analysis fixed but that matter here are
 * searched again. Costs ~0.3-3 s (a 10-player exact game), so recommendations compute it only on request.
 */
import type { SearchSpace } from "../../metadata/schema.ts";
import type { Configuration, DatasetFeatures } from "../../learner/features.ts";
import type { Pack } from "../../learner/pack.ts";
import type { ReducedSpace } from "../reduced-space.ts";
import { fmt } from "../../util/format.ts";
import { datasetImportance } from "./dataset-importance.ts";
import type { ImportanceForDataset } from "./importance-section.ts";

export interface ImportanceRequest {
  /** Configurations sampled (default 1,000: enough to rank 10 players, ~1 s). */
  samples?: number;
  players?: number;
  seed?: number;
}

/** Below this share of the dataset's tunability a played hyperparameter is fixed in the reduced space. */
export const MIN_TUNABILITY_SHARE = 0.05;

export function importanceForDataset(pack: Pack, dataset: DatasetFeatures, opts: ImportanceRequest = {}): ImportanceForDataset {
  const r = datasetImportance(pack, dataset, { game: "tunability", samples: opts.samples ?? 1000, players: opts.players, seed: opts.seed, method: "exact" });
  const e = r.explanation;
  const total = e.shapley.reduce((s, v) => s + Math.max(0, v), 0);
  const n = e.players.length;
  const pairs = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push({ a: e.players[i], b: e.players[j], value: round(e.interactions![i * n + j]) });
  return {
    game: "tunability",
    valueLabel: r.valueLabel,
    baselineValue: round(e.empty),
    tunedValue: round(e.full),
    baseline: r.baseline,
    players: r.players
      .map((p, i) => ({ name: p.name, members: p.members, value: round(e.shapley[i]), share: total > 0 ? round(Math.max(0, e.shapley[i]) / total) : 0 }))
      .sort((a, b) => b.value - a.value),
    interactions: pairs.sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 5),
    samples: r.samples,
    seconds: Number(r.seconds.toFixed(3)),
  };
}

/** The reduced space with the played hyperparameters decided by their tunability on this dataset (the model list is kept). */
export function refineReducedSpace(reduced: ReducedSpace, space: SearchSpace, imp: ImportanceForDataset, recommended: Configuration, userFixed: Record<string, unknown> = {}): ReducedSpace {
  const out: ReducedSpace = {
    ...reduced,
    hyperparameters: { ...reduced.hyperparameters },
    fixed: { ...reduced.fixed },
    rationale: { ...reduced.rationale },
  };
  for (const p of imp.players) {
    const here = `${(p.share * 100).toFixed(1)}% of the tunability on this dataset`;
    for (const hp of p.members) {
      // The model's choice stays with the model list; a value the user fixed stays fixed.
      if (!(hp in space.hyperparameters) || hp in userFixed) continue;
      const value = recommended.hyperparameters[hp];
      if (p.share < MIN_TUNABILITY_SHARE && value !== null && value !== undefined) {
        delete out.hyperparameters[hp];
        out.fixed[hp] = value;
        out.rationale[hp] = `fixed at ${fmt(value)} (the recommendation's value): ${here}`;
      } else if (p.share >= MIN_TUNABILITY_SHARE && hp in out.fixed) {
        delete out.fixed[hp];
        out.hyperparameters[hp] = space.hyperparameters[hp];
        out.rationale[hp] = `searched in full: globally minor, but ${here}`;
      } else if (hp in out.hyperparameters) {
        out.rationale[hp] = `${out.rationale[hp] ?? "kept"}; ${here}`;
      }
    }
  }
  return out;
}

/** A recommendation with the section added and its reduced space refined (the hook `recommend` calls on request). */
export function withDatasetImportance<R extends { recommendation: Configuration; reducedSpace: ReducedSpace; constraints?: { fixed?: Record<string, unknown> } }>(
  pack: Pack,
  dataset: DatasetFeatures,
  rec: R,
  opts: ImportanceRequest = {},
): R & { importanceForDataset: ImportanceForDataset } {
  const imp = importanceForDataset(pack, dataset, opts);
  return { ...rec, importanceForDataset: imp, reducedSpace: refineReducedSpace(rec.reducedSpace, pack.space.searchSpace, imp, rec.recommendation, rec.constraints?.fixed) };
}

const round = (v: number) => Number(v.toFixed(5));
