/**
 * The drivers of a choice: SHAP contributions of the configuration's hyperparameters (and model) on this dataset to
 * the score the trees predict for it — the members' mean, blended with the ranking head's score where the head
 * shares the pick (`headShare`, scoring.ts), so the drivers explain what chose the configuration.
 */
import type { RegionShap } from "../explain/region-shap.ts";
import type { DatasetFeatures } from "../learner/features.ts";
import type { HpValue } from "../metadata/schema.ts";
import { fmt, roundTo } from "../util/format.ts";
import type { Candidate } from "./candidates.ts";
import type { Recommendation } from "./schema.ts";

export type Drivers = Recommendation["drivers"];

/** Drivers an answer states: the strongest few. */
const MAX_DRIVERS = 6;

export function driversOf(shap: RegionShap, dataset: DatasetFeatures, cfg: Candidate, caveats: ReadonlyMap<string, string> = new Map(), headShare = 0): Drivers {
  const g = shap.grouped(dataset, cfg, headShare);
  return g.groups
    .map((name, j) => ({ name, kind: g.kinds[j], contribution: g.values[j] }))
    // Only what the configuration sets: a hyperparameter of another model's space is no driver of this choice.
    .filter((d) => d.kind === "model" || (d.kind === "hp" && cfg.hyperparameters[d.name] !== null && cfg.hyperparameters[d.name] !== undefined))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, MAX_DRIVERS)
    .map((d) => {
      const caveat = caveats.get(d.name);
      return { name: d.name, value: valueText(d.name === "model" ? cfg.model : cfg.hyperparameters[d.name]), contribution: roundTo(d.contribution, 4), ...(caveat ? { caveat } : {}) };
    });
}

const valueText = (v: HpValue | undefined) => (v === undefined || v === null ? "unset" : fmt(v));
