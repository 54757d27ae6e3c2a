import assert from "node:assert/strict";
import { it } from "node:test";
import { withinBudget } from "../../../src/recommend/budget.ts";
import { scored } from "./stage-fixtures.ts";

const ids = (xs: { candidate: { id: string } }[]) => xs.map((s) => s.candidate.id);

it("without a budget, every candidate stays and nothing is said", () => {
  const all = [scored("a", { seconds: 10 }), scored("b", { seconds: 1e6 })];
  assert.deepEqual(withinBudget(all, undefined, true), { pool: all, warnings: [] });
});

it("keeps the candidates predicted within the budget (an unknown cost is not known to exceed it)", () => {
  const all = [scored("a", { seconds: 50 }), scored("b", { seconds: 200 }), scored("c", { seconds: NaN }), scored("d", { seconds: 100 })];
  const r = withinBudget(all, 100, true);
  assert.deepEqual(ids(r.pool), ["a", "c", "d"]);
  assert.deepEqual(r.warnings, []);
});

it("when none fits, the 50 cheapest stay, cheapest first, with a warning naming the cheapest time", () => {
  const all = Array.from({ length: 80 }, (_, i) => scored(`c${i}`, { seconds: 1000 + ((i * 37) % 80) + 0.4 }));
  const r = withinBudget(all, 60, true);
  assert.equal(r.pool.length, 50);
  assert.deepEqual(
    r.pool.map((s) => s.seconds),
    all.map((s) => s.seconds).sort((a, b) => a - b).slice(0, 50),
  );
  assert.deepEqual(r.warnings, ["no candidate is predicted to train within the budget; the cheapest needs about 1000 s"]);
});

it("a pack without training times cannot apply a budget: all stay, and the answer says why", () => {
  const all = [scored("a", { seconds: NaN }), scored("b", { seconds: NaN })];
  const r = withinBudget(all, 7200, false);
  assert.deepEqual(ids(r.pool), ["a", "b"]);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /budget of 2\.0 h cannot be applied: this pack has no training-time data/);
});

it("a configuration whose past runs all stopped after one epoch is not known to fit: it stays only when nothing else does, and the warning says why", () => {
  const caveat = { name: "opt", kind: "value" as const, value: "sgd", runs: 40, stoppedShare: 1, medianEpochs: 1, text: "…" };
  const stopped = (id: string, seconds: number) => {
    const s = scored(id, { seconds });
    return { ...s, candidate: { ...s.candidate, hyperparameters: { ...s.candidate.hyperparameters, opt: "sgd" } } };
  };
  const trained = (id: string, seconds: number) => {
    const s = scored(id, { seconds });
    return { ...s, candidate: { ...s.candidate, hyperparameters: { ...s.candidate.hyperparameters, opt: "adam" } } };
  };
  const mixed = withinBudget([stopped("a", 5), trained("b", 50), trained("c", 500)], 100, true, [caveat]);
  assert.deepEqual(ids(mixed.pool), ["b"]);
  assert.deepEqual(mixed.warnings, []);
  const onlyStopped = withinBudget([stopped("a", 5), stopped("d", 8), trained("c", 500)], 100, true, [caveat]);
  assert.deepEqual(ids(onlyStopped.pool), ["a", "d"]);
  assert.equal(onlyStopped.warnings.length, 1);
  assert.match(onlyStopped.warnings[0], /^only configurations with opt = sgd are predicted to train within 100 s, and their past runs stopped after 1 epoch: .*none is known to fit the budget/);
  // Without the caveat the same candidates fit as predicted.
  assert.deepEqual(ids(withinBudget([stopped("a", 5), trained("b", 50)], 100, true).pool), ["a", "b"]);
});
