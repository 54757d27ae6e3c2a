/**
 * The small-data record (`hporec train --small-data-record`): a pack built from four MedQuickTune datasets states,
 * for a dataset smaller than every one of them, how its picks and a five-trial study did on the other two made that
 * small (their runs are real; only their sample count is lowered, which the trees see as the smallest past count).
 * Checked against `hporec eval --train … --test …` (and `--trials 5`) on the same data and recipe, a separate
 * command with its own aggregation. crlm and desmoid: large pools, where another recipe's study ends elsewhere.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { writeSaved } from "../../../src/metadata/saved.ts";
import { loadPack } from "../../../src/learner/pack.ts";
import { dataEnv, runCli, tempDir } from "./helpers.ts";

const env = dataEnv();
const skip = env ? false : "HPOREC_DATA (MedQuickTune) is not available";
const dir = tempDir("hporec-small-record-");
const trainDir = path.join(dir, "train");
const smallDir = path.join(dir, "small");
const packDir = path.join(dir, "pack");
const recipe = ["--seeds", "2", "--rounds", "30"];
const TEST = ["crlm", "desmoid"];

before(async () => {
  if (!env) return;
  const md = loadMetaDataset(path.join(env.HPOREC_DATA, "medquicktune"));
  const part = (keep: (id: string) => boolean, name: string, shrink = false) => ({
    ...md,
    name,
    datasets: md.datasets.filter((d) => keep(d.id)).map((d) => (shrink ? { ...d, metaFeatures: { ...d.metaFeatures, n_samples: 100 } } : d)),
    runs: md.runs.filter((r) => keep(r.datasetId)),
  });
  await writeSaved(trainDir, { metaDataset: part((id) => !TEST.includes(id), "med-four"), failures: [] });
  await writeSaved(smallDir, { metaDataset: part((id) => TEST.includes(id), "med-small", true), failures: [] });
});

test("train --small-data-record: the record agrees with hporec eval on the same datasets, and only a dataset that small is told it", { skip }, () => {
  const t = runCli(["train", "--data", trainDir, ...recipe, "--out", packDir, "--small-data-record", smallDir, "--json"], env);
  assert.equal(t.status, 0, t.stderr);
  const record = loadPack(packDir).calibration?.smallerThanPast;
  assert.ok(record, "calibration.json has the record");
  assert.equal(record.source, "med-small");
  assert.equal(record.datasets, 2);

  const e = runCli(["eval", "--train", trainDir, "--test", smallDir, ...recipe, "--no-tpe", "--json"], env);
  assert.equal(e.status, 0, e.stderr);
  const ev = JSON.parse(e.stdout);
  const agg = ev.hporec.aggregate;
  assert.ok(Math.abs(record.meanScore - agg.top1.mean) < 1e-9, `${record.meanScore} vs eval ${agg.top1.mean}`);
  assert.ok(Math.abs(record.top3Score - agg.top3.mean) < 1e-9);
  assert.equal(record.catastrophic, agg.catastrophic);
  assert.equal(record.covered, agg.coverage.covered, "the same stated range: the pack's calibration is eval --test's");
  assert.equal(record.acceptable, ev.hporec.datasets.filter((d: { regret: number }) => d.regret <= 0.3).length);
  // What random search needs for as good an expected best, read off the eval's own curve.
  const matching = (score: number) => ev.randomSearchCurve.find((p: { score: number }) => p.score >= score - 1e-9)?.evaluations;
  assert.equal(record.randomTrials, matching(agg.top1.mean));
  assert.equal(record.randomTrialsTop3, matching(agg.top3.mean));
  // The study part: what `hporec eval --trials 5 --test` reaches on the same pools.
  const s = runCli(["eval", "--train", trainDir, "--test", smallDir, ...recipe, "--trials", "5", "--no-tpe", "--json"], env);
  assert.equal(s.status, 0, s.stderr);
  const curve = JSON.parse(s.stdout).aggregate.find((a: { method: string }) => a.method === "hporec").curve;
  assert.equal(record.study?.trials, 5);
  assert.ok(Math.abs(record.study!.score - curve[0].mean) < 1e-9, `${record.study?.score} vs eval --trials ${curve[0].mean}`);
  assert.equal(record.study!.randomTrials, matching(curve[0].mean));

  const card = ["--classes", "2", "--image-size", "256", "--channels", "1", "--modality", "mri", "--candidates", "200", "--json"];
  const small = JSON.parse(runCli(["recommend", "--pack", packDir, "--samples", "100", ...card]).stdout);
  assert.ok(small.extrapolation.includes("n_samples"));
  assert.equal(small.trackRecord.smallerThanPast.datasets, 2);
  assert.match(small.justification, new RegExp(`on 2 datasets that small \\(med-small, never trained on\\), picks made this way were acceptable on ${record.acceptable} and further off on ${record.catastrophic}, and scored ${record.meanScore.toFixed(2)} on average`));
  assert.match(small.justification, new RegExp(`There, 5 told results of a study reached ${record.study!.score.toFixed(2)}`));
  const usual = JSON.parse(runCli(["recommend", "--pack", packDir, "--samples", "1500", ...card]).stdout);
  assert.equal(usual.trackRecord.smallerThanPast, undefined);
  assert.doesNotMatch(usual.justification, /datasets that small/);
});

test("train --small-data-record refuses datasets that are not smaller than every training dataset, naming them", { skip }, () => {
  const r = runCli(["train", "--data", trainDir, ...recipe, "--out", path.join(dir, "refused"), "--small-data-record", trainDir], env);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /4 datasets of med-four are not smaller than every dataset of med-four \(.*bflair.*\)/);
  assert.match(r.stderr, /--small-data-record/);
  const n = runCli(["train", "--data", trainDir, ...recipe, "--out", path.join(dir, "refused"), "--no-calibrate", "--small-data-record", smallDir], env);
  assert.equal(n.status, 2);
  assert.match(n.stderr, /drop --no-calibrate/);
});
