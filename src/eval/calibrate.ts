/**
 * The calibration of a recipe (recommend/calibration.ts) from its own training datasets: a dataset-grouped
 * cross-validation (K folds) in which each held-out dataset's real runs are ranked by a model trained on the
 * other folds; the picks' residuals (real outcome - predicted metric) give the stated range. Used when a pack is
 * built and by `hporec eval --test`, so a new dataset's range never rests on its own outcomes.
 */
import type { MetaDataset } from "../metadata/schema.ts";
import { CALIBRATION_FILE } from "../learner/pack.ts";
import type { PackExtension } from "../learner/train-pack.ts";
import { calibrationFrom, type Calibration, type HeldOutPick } from "../recommend/calibration.ts";
import type { HporecRankerOptions } from "./hporec-ranker.ts";
import { datasetGroups, onlyDatasets, rankHeldOut } from "./nested.ts";
import { smallDataRecord } from "./small-data-record.ts";
import type { Objective, RankedDatasetResult } from "./types.ts";

export const CALIBRATION_FOLDS = 5;

/** Held-out picks of evaluation records (those whose ranker predicted a metric). */
export function heldOutPicks(records: readonly RankedDatasetResult[]): HeldOutPick[] {
  return records.flatMap((r) => (r.prediction ? [{ predicted: r.prediction.metric, outcome: r.pickOutcome, regret: r.regret, score: r.top1 }] : []));
}

export async function crossValidatedCalibration(
  md: MetaDataset,
  options: HporecRankerOptions,
  opts: { folds?: number; seed?: number; objective?: Objective; onFold?: () => void } = {},
): Promise<Calibration | undefined> {
  const groups = datasetGroups(
    md.datasets.map((d) => d.id),
    opts.folds ?? CALIBRATION_FOLDS,
    opts.seed ?? 0,
  );
  const picks: HeldOutPick[] = [];
  for (const g of groups) {
    picks.push(...heldOutPicks(await rankHeldOut(md, onlyDatasets(md, new Set(g)), options, opts.objective)));
    opts.onFold?.();
  }
  return calibrationFrom(picks);
}

/**
 * A pack extension that writes calibration.json from a cross-validation with the pack's own recipe, and with
 * `smallData` (a meta-dataset of datasets smaller than every training dataset) the record of the pack's picks on
 * them; `onStep` is told of each fold and of the record.
 */
export function calibrationExtension(options: HporecRankerOptions, onStep?: (what: "calibration fold" | "small-data record") => void, smallData?: { md: MetaDataset; warn: (w: string) => void }): PackExtension {
  return async (_learner, md, content) => {
    const calibration = await crossValidatedCalibration(md, options, { onFold: () => onStep?.("calibration fold") });
    if (!calibration) return;
    const small = smallData ? { smallerThanPast: await smallDataRecord(md, smallData.md, options, calibration, smallData.warn) } : {};
    if (smallData) onStep?.("small-data record");
    content.extraFiles = { ...content.extraFiles, [CALIBRATION_FILE]: `${JSON.stringify({ ...calibration, ...small }, null, 1)}\n` };
  };
}
