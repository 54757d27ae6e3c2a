import { test } from "node:test";
import assert from "node:assert/strict";
import { evaluate } from "../../../src/eval/protocol.ts";
import { portfolioRanker } from "../../../src/eval/portfolio.ts";
import { renderEvaluation } from "../../../src/cli/commands/eval.ts";
import { fixture } from "./fixtures.ts";

test("eval's text output states how often the pick's real outcome fell inside its 80% range (it was in --json only)", async () => {
  const result = await evaluate({ train: fixture(4, 25), makeRanker: portfolioRanker((c) => c.model), tpe: false });
  const withCoverage = (stated: boolean) => ({ ...result, hporec: { ...result.hporec, aggregate: { ...result.hporec.aggregate, coverage: { level: 0.8, covered: 3, of: 4, stated } } } });
  assert.match(renderEvaluation(withCoverage(true), 1), /80% range stated for the pick: held its real outcome on 3 of 4 held-out datasets/);
  assert.match(renderEvaluation(withCoverage(false), 1), /80% range of the pick \(jackknife\+ .*\): held its real outcome on 3 of 4/);
  const none = { ...result, hporec: { ...result.hporec, aggregate: { ...result.hporec.aggregate, coverage: null } } };
  assert.doesNotMatch(renderEvaluation(none, 1), /80% range/, "a ranker with no range judged says nothing about coverage");
});
