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
