import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { comparePaired, poolPairs, readComparable, renderComparison, type ComparableResult } from "../../../src/eval/compare.ts";
import { summariseDraws, summariseStudyDraws } from "../../../src/eval/draws.ts";
import { aggregateRanked } from "../../../src/eval/metrics.ts";
import type { RankedDatasetResult } from "../../../src/eval/types.ts";
import { InputError } from "../../../src/util/errors.ts";
import { tempDir } from "../metadata/fixtures.ts";

const result = (datasetId: string, top1: number): RankedDatasetResult => ({
  datasetId,
  nCandidates: 10,
  rankedRunIds: ["a"],
  top1,
  top3: Math.max(top1, 0.9),
  top5: Math.max(top1, 0.95),
  regret: (1 - top1) / 2,
  catastrophic: (1 - top1) / 2 > 0.3,
  cost: { pickRunId: "a", pickSeconds: 1, bestRunId: "a", bestSeconds: 1, speedup: 1, accuracyGivenUp: 0 },
  randomSearchN: 1,
  pickOutcome: 1,
});

const side = (top1: Record<string, number>, catastrophic: Record<string, number> = {}): ComparableResult => ({
  kind: "ranking",
  minEpochs: 0,
  objective: "accuracy",
  basis: "one draw",
  metrics: [
    { name: "top-1", higherIsBetter: true },
    { name: "catastrophic", higherIsBetter: false },
  ],
  values: new Map(Object.entries(top1).map(([id, v]) => [id, { "top-1": v, catastrophic: catastrophic[id] ?? 0 }])),
});

test("paired differences: the mean of candidate − baseline per dataset, wins/losses/ties, and a verdict from the interval", () => {
  const ids = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const base = side(Object.fromEntries(ids.map((id, i) => [id, 0.5 + 0.05 * i])));
  // Every dataset gains 0.1 or 0.2: the whole interval is above zero.
  const up = side(Object.fromEntries(ids.map((id, i) => [id, 0.5 + 0.05 * i + (i % 2 ? 0.2 : 0.1)])));
  const better = comparePaired(base, up).metrics[0];
  assert.ok(Math.abs(better.difference - 0.15) < 1e-12, String(better.difference));
  assert.deepEqual([better.wins, better.losses, better.ties], [8, 0, 0]);
  assert.ok(better.interval[0] > 0 && better.interval[0] <= 0.15 && better.interval[1] >= 0.15 && better.interval[1] <= 0.2);
  assert.equal(better.verdict, "better");
  assert.equal(comparePaired(up, base).metrics[0].verdict, "worse");
  // One dataset flips a lot, the rest are equal: a positive mean, but inside the noise.
  const flip = side({ ...Object.fromEntries(ids.map((id, i) => [id, 0.5 + 0.05 * i])), a: 1 });
  const noisy = comparePaired(base, flip).metrics[0];
  assert.ok(Math.abs(noisy.difference - 0.5 / 8) < 1e-12);
  assert.deepEqual([noisy.wins, noisy.losses, noisy.ties], [1, 0, 7]);
  assert.equal(noisy.verdict, "inside the noise");
  assert.deepEqual(comparePaired(base, flip).largest, [{ datasetId: "a", baseline: 0.5, candidate: 1 }]);
});

test("for the catastrophic share, fewer is a win", () => {
  const base = side({ a: 0.9, b: 0.9 }, { a: 1, b: 0 });
  const cand = side({ a: 0.9, b: 0.9 }, { a: 0, b: 0 });
  const cat = comparePaired(base, cand).metrics.find((m) => m.name === "catastrophic")!;
  assert.equal(cat.difference, -0.5);
  assert.deepEqual([cat.wins, cat.losses, cat.ties], [1, 0, 1]);
});

test("results over different datasets, or of different kinds, are refused with what differs", () => {
  const names = { baseline: "base.json", candidate: "cand.json" };
  assert.throws(
    () => comparePaired(side({ a: 1, b: 1 }), side({ a: 1, c: 1 }), names),
    (e: unknown) => e instanceof InputError && /only in base.json: b; only in cand.json: c/.test(e.message) && /same datasets/.test(e.hint!),
  );
  assert.throws(() => comparePaired(side({ a: 1 }), { ...side({ a: 1 }), kind: "study" }, names), /base.json is a ranking evaluation, cand.json a study evaluation/);
  assert.throws(
    () => comparePaired(side({ a: 1 }), { ...side({ a: 1 }), minEpochs: 50 }, names),
    (e: unknown) => e instanceof InputError && /base.json scored pools of every run, cand.json of runs of at least 50 epochs/.test(e.message) && /--min-epochs/.test(e.hint!),
  );
  assert.throws(
    () => comparePaired(side({ a: 1 }), { ...side({ a: 1 }), objective: "cost" }, names),
    (e: unknown) => e instanceof InputError && /base.json picked for accuracy, cand.json for cost/.test(e.message) && /--objective/.test(e.hint!),
  );
});

test("pooled pairs compare every dataset of every pair at once; a dataset held out in two pairs counts twice", () => {
  // Pair 1: finished-run pools of two datasets (min-epochs 50); pair 2: a validation set sharing the id "b".
  const fin = (v: Record<string, number>) => ({ ...side(v), minEpochs: 50 });
  const pairs = [
    { baseline: fin({ a: 0.5, b: 0.6 }), candidate: fin({ a: 0.7, b: 0.5 }), names: { baseline: "fin-base", candidate: "fin-cand" } },
    { baseline: side({ b: 0.2, c: 0.4 }), candidate: side({ b: 0.5, c: 0.4 }), names: { baseline: "val-base", candidate: "val-cand" } },
  ];
  const { baseline, candidate } = poolPairs(pairs);
  assert.deepEqual([...baseline.values.keys()], ["a", "b (1)", "b (2)", "c"]);
  const c = comparePaired(baseline, candidate);
  const top1 = c.metrics.find((m) => m.name === "top-1")!;
  // By hand: differences +0.2, −0.1, +0.3, 0 over the four datasets.
  assert.ok(Math.abs(top1.difference - (0.2 - 0.1 + 0.3 + 0) / 4) < 1e-12, String(top1.difference));
  assert.deepEqual([top1.wins, top1.losses, top1.ties], [2, 1, 1]);
  assert.match(baseline.basis, /\(1\) fin-base: one draw; \(2\) val-base: one draw/);
  // Only the figures every pair has are compared.
  const noCat: ComparableResult = { ...side({ c: 0.4 }), metrics: [{ name: "top-1", higherIsBetter: true }] };
  const narrow = poolPairs([pairs[0], { baseline: noCat, candidate: noCat, names: { baseline: "x", candidate: "y" } }]);
  assert.deepEqual(narrow.baseline.metrics.map((m) => m.name), ["top-1"]);
  // Each pair is still checked on its own: other pools inside one pair are refused, naming its files.
  assert.throws(() => poolPairs([pairs[1], { ...pairs[0], candidate: side({ a: 0.7, b: 0.5 }) }]), /fin-base scored pools of runs of at least 50 epochs, fin-cand of every run/);
  assert.throws(() => poolPairs([pairs[1], { ...pairs[0], baseline: { ...fin({ a: 1, b: 1 }), kind: "study" }, candidate: { ...fin({ a: 1, b: 1 }), kind: "study" } }]), /mix ranking and study/);
});

test("a file run with --draws is read as each dataset's mean over draws; one without, as its one draw", () => {
  const dir = tempDir();
  const draws = [
    [result("x", 1), result("y", 0.2)],
    [result("x", 0.4), result("y", 0.6)],
  ];
  const withDraws = path.join(dir, "draws.json");
  writeFileSync(withDraws, JSON.stringify({ version: 1, hporec: { datasets: draws[0], aggregate: aggregateRanked(draws[0]) }, draws: summariseDraws([0, 100], draws) }));
  const r = readComparable(withDraws);
  assert.match(r.basis, /mean of 2 draws/);
  assert.ok(Math.abs(r.values.get("x")!["top-1"] - 0.7) < 1e-12);
  assert.equal(r.values.get("y")!.catastrophic, 0.5, "catastrophic in one draw of two (regret 0.4)");
  const single = path.join(dir, "single.json");
  writeFileSync(single, JSON.stringify({ version: 1, hporec: { datasets: draws[0], aggregate: aggregateRanked(draws[0]) } }));
  const s = readComparable(single);
  assert.equal(s.basis, "one draw");
  assert.equal(s.values.get("x")!["top-1"], 1);
  const c = comparePaired(s, r, { baseline: "single", candidate: "draws" });
  assert.ok(Math.abs(c.metrics[0].difference - ((0.7 - 1) + (0.4 - 0.2)) / 2) < 1e-12);
  const text = renderComparison(c, { baseline: "single", candidate: "draws" });
  assert.match(text, /over 2 held-out datasets/);
  assert.match(text, /single: one draw/);
  assert.match(text, /Largest top-1 differences: x 1\.00 → 0\.70, y 0\.20 → 0\.40/);
});

test("study files compare each method's best-so-far after each n, over draws when stored", () => {
  const dir = tempDir();
  const study = (id: string, hp: number[]) => ({ datasetId: id, nCandidates: 5, trajectory: [], bestSoFar: { hporec: hp, "zero-shot": hp } });
  const draws = [
    [study("x", [0.5, 0.9]), study("y", [0.2, 1])],
    [study("x", [0.7, 0.9]), study("y", [0.4, 1])],
  ];
  const file = path.join(dir, "study.json");
  writeFileSync(file, JSON.stringify({ version: 1, kind: "study", trials: [1, 3], datasets: draws[0], draws: summariseStudyDraws([0, 100], [1, 3], draws) }));
  const r = readComparable(file);
  assert.equal(r.kind, "study");
  assert.deepEqual(r.metrics.map((m) => m.name), ["hporec after 1", "hporec after 3", "zero-shot after 1", "zero-shot after 3"]);
  assert.ok(Math.abs(r.values.get("x")!["hporec after 1"] - 0.6) < 1e-12);
  assert.ok(Math.abs(r.values.get("y")!["hporec after 1"] - 0.3) < 1e-12);
});

test("a file that is not an evaluation result is refused naming the file and the field", () => {
  const dir = tempDir();
  const file = path.join(dir, "other.json");
  writeFileSync(file, JSON.stringify({ version: 1, results: [] }));
  assert.throws(() => readComparable(file), (e: unknown) => e instanceof InputError && e.where === file && /not an evaluation result: hporec/.test(e.message) && /--json/.test(e.hint!));
});

test("eval's text table saved without --json is named as such, with the command that writes the JSON", () => {
  const file = path.join(tempDir(), "base.txt");
  writeFileSync(file, "hporec eval: medquicktune, leave-one-dataset-out; 6 held-out datasets\n");
  assert.throws(() => readComparable(file), (e: unknown) => e instanceof InputError && e.where === file && /the text output of hporec eval, saved without --json/.test(e.message) && /hporec eval … --json/.test(e.hint!));
  const broken = path.join(tempDir(), "cut.json");
  writeFileSync(broken, '{"hporec": ');
  assert.throws(() => readComparable(broken), (e: unknown) => e instanceof InputError && /^not JSON: invalid JSON/.test(e.message) && /--json/.test(e.hint!));
});
