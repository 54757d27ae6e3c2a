/**
 * One small real pack (MedQuickTune, 2 seeds x 30 rounds, ~5 s) trained through the CLI, then used for the
 * shap checks (additivity, python-xgboost reference, bad rows) and for corrupted-pack errors.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { loadPack, type Pack } from "../../../src/learner/pack.ts";
import { InputError } from "../../../src/util/errors.ts";
import { explainWithReference, referenceAvailable } from "../../../scripts/reference/xgb-reference.ts";
import { copyPack, dataEnv, DEFAULT_PACK, runCli, tempDir } from "./helpers.ts";

const env = dataEnv();
const skip = env ? false : "HPOREC_DATA (MedQuickTune) is not available";
let packDir = "";

before(() => {
  if (!env) return;
  packDir = path.join(tempDir("hporec-train-"), "med");
  const r = runCli(["train", "--data", "medquicktune", "--seeds", "2", "--rounds", "30", "--out", packDir, "--json"], env);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.ok(report.train.spearman > 0.5, `in-sample Spearman ${report.train.spearman}`);
});

test("train: the pack loads, has its seeds, explanations and index, and answers a recommendation", { skip }, () => {
  const pack = loadPack(packDir);
  assert.equal(pack.manifest.seeds, 2);
  // The ranking head: one refitted twin per outcome model, same trees, other leaves.
  assert.equal(pack.manifest.head, "ranking");
  assert.equal(pack.learner.head.length, 2);
  assert.deepEqual(pack.learner.head[1].left, pack.learner.outcome[1].left);
  assert.notDeepEqual(pack.learner.head[1].value, pack.learner.outcome[1].value);
  assert.equal(pack.manifest.metaDataset.name, "medquicktune");
  assert.ok(pack.manifest.files["explanations.json"]);
  const r = runCli(["recommend", "--pack", packDir, "--samples", "400", "--classes", "3", "--image-size", "96", "--channels", "1", "--modality", "mri", "--candidates", "200", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(pack.space.models.includes(JSON.parse(r.stdout).recommendation.model));
});

test("train: the pack is calibrated on held-out datasets; answers state that range, the track record, and print the configuration they scored", { skip }, async () => {
  const pack = loadPack(packDir);
  const cal = pack.calibration!;
  assert.ok(cal, "calibration.json");
  assert.equal(cal.datasets, 6, "every MedQuickTune dataset was held out once");
  assert.ok(cal.acceptable >= 0 && cal.acceptable <= 6 && cal.low <= cal.high && cal.level === 0.8);
  const r = runCli(["recommend", "--pack", packDir, "--samples", "400", "--classes", "3", "--image-size", "96", "--channels", "1", "--modality", "mri", "--candidates", "300", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const rec = JSON.parse(r.stdout);
  const p = rec.recommendation.predicted;
  assert.deepEqual(rec.trackRecord, { level: 0.8, datasets: 6, acceptable: cal.acceptable, meanScore: Number(cal.meanScore.toFixed(3)) });
  // The stated range is the prediction plus the calibrated residual bounds (clamped to what was observed).
  assert.ok(Math.abs(p.interval[0] - Math.max(p.metric + cal.low, p.interval[0])) < 0.01 && p.interval[0] <= p.metric + cal.low + 0.01);
  assert.ok(p.interval[1] <= p.metric + cal.high + 0.01);
  assert.match(rec.justification, new RegExp(`On 6 past datasets held out of training, picks made this way were acceptable .* on ${cal.acceptable}`));
  assert.doesNotMatch(rec.justification, /better than about \d+%/);
  // MedQuickTune has continuous hyperparameters: the printed configuration, scored again, gives the same prediction.
  const { loadRecommender } = await import("../../../src/recommend/load-recommender.ts");
  const engine = loadRecommender(packDir, async () => rec.similarDatasets);
  const again = engine.score({ dataset: { metaFeatures: rec.dataset.metaFeatures, modality: "mri" } }, [{ id: "x", origin: "printed", model: rec.recommendation.model, hyperparameters: rec.recommendation.hyperparameters }], await engine.neighbours({ metaFeatures: rec.dataset.metaFeatures, modality: "mri" }, 5))[0];
  assert.ok(Math.abs(again.mean - p.score) < 1e-4, `re-scored ${again.mean} vs printed ${p.score}`);
  const continuous = Object.entries(rec.recommendation.hyperparameters).filter(([k, v]) => typeof v === "number" && pack.space.searchSpace.hyperparameters[k]?.type === "float" && !pack.space.searchSpace.hyperparameters[k].values);
  assert.ok(continuous.length > 0, "the pick has continuous values to print");
});

const describe = (e: Error) => (e instanceof InputError ? e.describe() : e.message);

/** Encoded rows of the pack's past winners; NaN (inactive hyperparameters) set to 0: the CSV takes numbers only. */
function pastRows(pack: Pack, n: number) {
  const ds = pack.datasets.slice(0, n);
  const rows = pack.learner.encoder.encode(ds.map((d) => ({ dataset: d, config: d.topRuns[0] }))).map((v) => (Number.isNaN(v) ? 0 : v));
  return { rows, n: ds.length, columns: pack.featureMap.columns.map((c) => c.name) };
}

/** RFC 4180: a field with a comma or a quote is quoted (some pack columns are named like "opt_betas=[0.9, 0.99]"). */
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function writeRowsCsv(columns: string[], rows: Float32Array, n: number, order = columns.map((_, i) => i)): string {
  const file = path.join(tempDir("hporec-shap-"), "rows.csv");
  const lines = [order.map((c) => csvField(columns[c])).join(",")];
  for (let r = 0; r < n; r++) lines.push(order.map((c) => String(rows[r * columns.length + c])).join(","));
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

/** Runs `hporec shap` on rows and checks additivity against the pack's own prediction, and model 0 against xgboost. */
function checkShap(dir: string, sample: number, t: { skip(msg: string): void }) {
  const pack = loadPack(dir);
  const cols = runCli(["shap", "--pack", dir, "--columns"]);
  assert.equal(cols.status, 0, cols.stderr);
  const { rows, n, columns } = pastRows(pack, sample);
  assert.deepEqual(JSON.parse(cols.stdout), columns);
  const file = writeRowsCsv(columns, rows, n, columns.map((_, i) => columns.length - 1 - i)); // any column order
  const ens = runCli(["shap", "--pack", dir, "--rows", file, "--json"]);
  assert.equal(ens.status, 0, ens.stderr);
  const e = JSON.parse(ens.stdout);
  assert.deepEqual(e.columns, columns);
  const mean = pack.learner.predictRows(rows, n).mean;
  e.rows.forEach((row: { shap: number[]; prediction: number }, r: number) => {
    const sum = row.shap.reduce((a, b) => a + b, 0) + e.expectedValue;
    assert.ok(Math.abs(sum - mean[r]) < 1e-4, `row ${r}: SHAP sum ${sum} vs prediction ${mean[r]}`);
    assert.ok(Math.abs(row.prediction - mean[r]) < 1e-4);
  });

  if (!referenceAvailable()) return t.skip("python3-xgboost is not installed (apt install python3-xgboost)");
  const one = JSON.parse(runCli(["shap", "--pack", dir, "--rows", file, "--model", "0", "--json"]).stdout);
  const ref = explainWithReference(gunzipSync(readFileSync(path.join(dir, "models", "outcome-0.xgb.gz"))), rows, columns.length);
  const w = columns.length + 1;
  one.rows.forEach((row: { shap: number[] }, r: number) => {
    row.shap.forEach((v, c) => assert.ok(Math.abs(v - ref.contribs[r * w + c]) < 1e-4, `row ${r} ${columns[c]}: ${v} vs xgboost ${ref.contribs[r * w + c]}`));
    assert.ok(Math.abs(one.expectedValue - ref.contribs[r * w + w - 1]) < 1e-4);
  });
}

test("shap: SHAP + expected value = the pack's prediction; --model 0 equals python-xgboost's pred_contribs", { skip }, (t) => checkShap(packDir, 6, t));

test("shap on the default pack (columns with commas, quoted in the CSV)", (t) => checkShap(DEFAULT_PACK, 4, t));

test("shap: wrong columns, NaN cells, a missing --rows or an unknown pack exit 2 with the fix", { skip }, () => {
  const { rows, n, columns } = pastRows(loadPack(packDir), 2);
  const dir = tempDir("hporec-shap-");
  const wrong = path.join(dir, "wrong.csv");
  writeFileSync(wrong, `${columns.slice(1).join(",")},colour\n${columns.slice(1).map(() => "0").join(",")},1\n`);
  const withNaN = writeRowsCsv(columns, rows.map((v, i) => (i === 3 ? NaN : v)), n);
  const cases: [string[], RegExp][] = [
    [["--rows", wrong], new RegExp(`wrong\\.csv:1: wrong columns: missing ${columns[0]}; unknown colour;\\n  fix: .*hporec shap --columns`)],
    [["--rows", withNaN], new RegExp(`rows\\.csv:2: column ${columns[3]}: "NaN" is not a finite number\\n  fix: every cell must be a number`)],
    [[], /--rows: missing --rows <csv>/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(["shap", "--pack", packDir, ...args]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  const none = runCli(["shap", "--pack", path.join(dir, "no-pack"), "--columns"]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--pack: pack folder not found: .*no-pack\n  fix: pass a pack folder .*or build one: hporec train --data <meta-dataset> --out .*no-pack/);
});

test("a corrupt or incompatible pack is rejected with what is wrong and how to rebuild it (exit 2)", { skip }, () => {
  const corruptions: [string, (dir: string) => void, RegExp][] = [
    [
      "a flipped byte in a model",
      (dir) => {
        const f = path.join(dir, "models", "outcome-1.xgb.gz");
        const b = readFileSync(f);
        b[b.length >> 1] ^= 0xff;
        writeFileSync(f, b);
      },
      /pack file is corrupt \(checksum mismatch\): models\/outcome-1\.xgb\.gz/,
    ],
    ["no manifest", (dir) => rmSync(path.join(dir, "manifest.json")), /not a pack \(no manifest\.json\)/],
    [
      "another format version",
      (dir) => {
        const f = path.join(dir, "manifest.json");
        writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(f, "utf8")), version: 99 }));
      },
      /incompatible pack: format "hporec-pack" version 99, expected hporec-pack version 1/,
    ],
    ["a missing model file", (dir) => rmSync(path.join(dir, "models", "cost.xgb.gz")), /pack file missing: models\/cost\.xgb\.gz/],
  ];
  corruptions.forEach(([what, corrupt, message], i) => {
    const dir = copyPack(packDir);
    corrupt(dir);
    assert.throws(() => loadPack(dir), (e: Error) => message.test(e.message) && /rebuild it with: hporec train --out /.test(describe(e)), what);
    if (i > 0) return; // the CLI's way of reporting an InputError is the same for all: checked once
    const r = runCli(["explain", "--pack", dir]);
    assert.equal(r.status, 2, `${what}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /fix: rebuild it with: hporec train --out /);
  });
  // A meta-dataset where a pack is expected is named as one, with how to train a pack from it.
  const md = runCli(["explain", "--pack", path.join(env!.HPOREC_DATA, "medquicktune")]);
  assert.equal(md.status, 2);
  assert.match(md.stderr, /this is a meta-dataset, not a pack[^\n]*\n {2}fix: train a pack from it: hporec train --data .*medquicktune --out <pack folder>/);
  // A relative --pack that is not there says where it was looked for, and how to get the built-in pack.
  const missing = runCli(["explain", "--pack", "no/such/pack"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /pack folder not found: .*no\/such\/pack\n {2}fix: .*a relative path is read from .*leave --pack out for the built-in .*models\/default/);
});
