/**
 * The calibration of a recipe (recommend/calibration.ts) from its own training datasets: a dataset-grouped
 * cross-validation (K folds) in which each held-out dataset's real runs are ranked by a model trained on the
 * other folds; the picks' residuals (real outcome - predicted metric) give the stated range. Used when a pack is
 * built and by `hporec eval --test`, so a new dataset's range never rests on its own outcomes.
 */
import { precheckTestSet } from "../metadata/check.ts";
import type { MetaDataset } from "../metadata/schema.ts";
import { ACCEPTABLE_REGRET } from "../learner/meta-learner.ts";
import { CALIBRATION_FILE } from "../learner/pack.ts";
import type { PackExtension } from "../learner/train-pack.ts";
import { calibrationFrom, type Calibration, type HeldOutPick, type TransferRecord } from "../recommend/calibration.ts";
import { extrapolationCheck, smallerThanPast } from "../recommend/extrapolation.ts";
import { InputError } from "../util/errors.ts";
import { hporecRanker, type HporecRankerOptions } from "./hporec-ranker.ts";
import { datasetGroups, onlyDatasets, rankHeldOut } from "./nested.ts";
import { evaluate } from "./protocol.ts";
import { randomTrialsToMatch } from "./random-search.ts";
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
 * `smallData` (a meta-dataset of datasets smaller than every training dataset) the record of the pack's picks on them.
 */
export function calibrationExtension(options: HporecRankerOptions, onFold?: () => void, smallData?: { md: MetaDataset; warn: (w: string) => void }): PackExtension {
  return async (_learner, md, content) => {
    const calibration = await crossValidatedCalibration(md, options, { onFold });
    if (!calibration) return;
    const small = smallData ? { smallerThanPast: await smallDataRecord(md, smallData.md, options, calibration, smallData.warn) } : {};
    content.extraFiles = { ...content.extraFiles, [CALIBRATION_FILE]: `${JSON.stringify({ ...calibration, ...small }, null, 1)}\n` };
  };
}

/**
 * How the recipe's picks do on datasets smaller than every training dataset, a regime the training data cannot
 * speak for: trained on `train`, each dataset of `test` is ranked by its real runs, with the range the pack
 * states (`calibration`), as `hporec eval --train <train> --test <test>` does on its first draw (and with its
 * warnings: namesakes kept apart, test runs that do not fit the training data).
 */
export async function smallDataRecord(train: MetaDataset, test: MetaDataset, options: HporecRankerOptions, calibration: Calibration, warn: (w: string) => void = () => {}): Promise<TransferRecord> {
  const outside = extrapolationCheck(train.datasets);
  const notSmaller = test.datasets.filter((d) => !smallerThanPast(outside(d))).map((d) => d.id);
  if (notSmaller.length)
    throw new InputError(
      `${notSmaller.length} datasets of ${test.name} are not smaller than every dataset of ${train.name} (${notSmaller.join(", ")}): a small-data record must come from datasets below the past range of samples or samples per class`,
      "--small-data-record",
      `give a meta-dataset whose datasets all have fewer samples (or samples per class) than the smallest of ${train.name}`,
    );
  const { train: renamed, warnings } = precheckTestSet(train, test);
  for (const w of warnings) warn(w);
  const r = await evaluate({ train: renamed, test, makeRanker: hporecRanker(options, calibration), randomSearch: [], tpe: false });
  const records = r.hporec.datasets;
  const mean = (f: (x: RankedDatasetResult) => number) => records.reduce((a, x) => a + f(x), 0) / records.length;
  const meanScore = mean((x) => x.top1);
  const top3Score = mean((x) => x.top3);
  const randomTrials = randomTrialsToMatch(r.randomSearchCurve, meanScore);
  const randomTrialsTop3 = randomTrialsToMatch(r.randomSearchCurve, top3Score);
  return {
    source: test.name,
    datasets: records.length,
    acceptable: records.filter((x) => x.regret <= ACCEPTABLE_REGRET).length,
    catastrophic: records.filter((x) => x.catastrophic).length,
    meanScore,
    top3Score,
    ...(randomTrials ? { randomTrials } : {}),
    ...(randomTrialsTop3 ? { randomTrialsTop3 } : {}),
    covered: records.filter((x) => x.prediction?.covered === true).length,
  };
}
