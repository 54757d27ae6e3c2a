import assert from "node:assert/strict";
import { it } from "node:test";
import { pickAlternatives } from "../../../src/recommend/alternatives.ts";
import { CHEAPEST_REASON } from "../../../src/recommend/schema.ts";
import type { Scored } from "../../../src/recommend/scoring.ts";
import { scored, space } from "./stage-fixtures.ts";

const offered = (xs: { candidateId: string; reason: string }[]) => xs.map((a) => [a.candidateId, a.reason]);

const best = scored("best", { risk: 0.9, metric: 85, seconds: 1000 });
const near = scored("near", { risk: 0.85, metric: 84.2, seconds: 300 });
const nearer = scored("nearer", { risk: 0.86, metric: 84.5, seconds: 600 });
const far = scored("far", { risk: 0.5, metric: 70, seconds: 10 });
const other = scored("other", { risk: 0.8, metric: 83, seconds: 2000, model: "m2" });

it("offers the cheapest within 1 point, the best of another model, then runners-up: 3 at most, never the pick", () => {
  const ranked = [best, nearer, near, other, far];
  assert.deepEqual(offered(pickAlternatives(ranked, ranked, best, space)), [
    ["near", CHEAPEST_REASON],
    ["other", "best configuration with another model"],
    ["nearer", "runner-up"],
  ]);
});

it("offers no cheaper alternative when none within 1 point is faster than the pick", () => {
  const slowNear = scored("slow-near", { risk: 0.88, metric: 84.9, seconds: 5000 });
  const ranked = [best, slowNear, far];
  assert.deepEqual(offered(pickAlternatives(ranked, ranked, best, space)), [
    ["slow-near", "runner-up"],
    ["far", "runner-up"],
  ]);
});

it("only the pool counts for the cheapest (the budget's), and a writer's pick leaves the first-ranked on offer", () => {
  const ranked = [best, nearer, near];
  const pool = [best, nearer];
  const alts = pickAlternatives(ranked, pool, nearer, space);
  assert.deepEqual(offered(alts), [
    ["best", "ranked first by the meta-learner"],
    ["near", "runner-up"],
  ]);
});

it("with the metric unknown, within 1 point means within 0.01 of the ranking score", () => {
  const unknown = (id: string, risk: number, seconds: number): Scored => scored(id, { risk, seconds, metric: NaN, interval: [NaN, NaN] });
  const top = unknown("top", 0.9, 1000);
  const close = unknown("close", 0.895, 100);
  const notClose = unknown("not-close", 0.8, 1);
  const alts = pickAlternatives([top, close, notClose], [top, close, notClose], top, space);
  assert.deepEqual(offered(alts)[0], ["close", CHEAPEST_REASON]);
});
