/**
 * The small-data record of a pack (`hporec train --small-data-record`): how its recipe does on datasets smaller
 * than every training dataset, a regime the training data cannot speak for — the pick and top three on each
 * dataset's real runs, and a study of a few told results on the same pools — so that an answer for a dataset
 * that small states what held there rather than the pack's own track record.
 */
import { precheckTestSet } from "../metadata/check.ts";
import type { MetaDataset } from "../metadata/schema.ts";
import { ACCEPTABLE_REGRET } from "../learner/meta-learner.ts";
import type { Calibration, TransferRecord } from "../recommend/calibration.ts";
import { extrapolationCheck, smallerThanPast } from "../recommend/extrapolation.ts";
import { InputError } from "../util/errors.ts";
import { hporecRanker, type HporecRankerOptions } from "./hporec-ranker.ts";
import { evaluate } from "./protocol.ts";
import { randomTrialsToMatch } from "./random-search.ts";
import { evaluateStudies } from "./study-eval.ts";
import type { RankedDatasetResult } from "./types.ts";

/** Told results after which the record states the study's best-so-far: the "a handful of trials". */
export const RECORD_STUDY_TRIALS = 5;

/**
 * Trained on `train`, each dataset of `test` is ranked by its real runs with the range the pack states
 * (`calibration`), as `hporec eval --train <train> --test <test>` does on its first draw, and a study is run on
 * the same pools as `hporec eval --trials 5 --test <test>` does; `warn` gets the train/test precheck's warnings
 * (namesakes kept apart, test runs that do not fit the training data).
 */
export async function smallDataRecord(train: MetaDataset, test: MetaDataset, options: HporecRankerOptions, calibration: Calibration, warn: (w: string) => void = () => {}): Promise<TransferRecord> {
  checkSmallerThanPast(train, test);
  const { train: renamed, warnings } = precheckTestSet(train, test);
  for (const w of warnings) warn(w);
  const r = await evaluate({ train: renamed, test, makeRanker: hporecRanker(options, calibration), portfolio: false, randomSearch: [], tpe: false });
  const study = await evaluateStudies({ train: renamed, test, trials: [RECORD_STUDY_TRIALS], ranker: options, tpe: false });
  const records = r.hporec.datasets;
  const mean = (f: (x: RankedDatasetResult) => number) => records.reduce((a, x) => a + f(x), 0) / records.length;
  // What random search needs for as good an expected best on the same runs (undefined: more than the curve's 50).
  const randomTrials = (score: number) => randomTrialsToMatch(r.randomSearchCurve, score);
  const meanScore = mean((x) => x.top1);
  const top3Score = mean((x) => x.top3);
  const studyScore = study.aggregate.find((a) => a.method === "hporec")!.curve[0].mean;
  return {
    source: test.name,
    datasets: records.length,
    acceptable: records.filter((x) => x.regret <= ACCEPTABLE_REGRET).length,
    catastrophic: records.filter((x) => x.catastrophic).length,
    meanScore,
    top3Score,
    randomTrials: randomTrials(meanScore),
    randomTrialsTop3: randomTrials(top3Score),
    covered: records.filter((x) => x.prediction?.covered === true).length,
    study: { trials: RECORD_STUDY_TRIALS, score: studyScore, randomTrials: randomTrials(studyScore) },
  };
}

/** Refuses (InputError on --small-data-record) test datasets that are not all smaller than every training dataset. */
export function checkSmallerThanPast(train: MetaDataset, test: MetaDataset): void {
  const outside = extrapolationCheck(train.datasets);
  const notSmaller = test.datasets.filter((d) => !smallerThanPast(outside(d))).map((d) => d.id);
  if (notSmaller.length)
    throw new InputError(
      `${notSmaller.length} datasets of ${test.name} are not smaller than every dataset of ${train.name} (${notSmaller.join(", ")}): a small-data record must come from datasets below the past range of samples or samples per class`,
      "--small-data-record",
      `give a meta-dataset whose datasets all have fewer samples (or samples per class) than the smallest of ${train.name}`,
    );
}
