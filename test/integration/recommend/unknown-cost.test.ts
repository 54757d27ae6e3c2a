/**
 * A pack trained on HPO-B (no training times, one search space per model): the cost is stated as unknown, a
 * budget is never reported as respected, and only the chosen model's hyperparameters appear.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, test } from "node:test";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";
import { Recommendation as RecommendationSchema } from "../../../src/recommend/schema.ts";
import { dataDir } from "../../helpers/env.ts";
import { runCli, tempDir } from "../cli/helpers.ts";

const hpob = dataDir("hpob-top5");

describe("a pack without cost data (HPO-B)", { skip: hpob ? false : "HPO-B data not found (HPOREC_DATA)" }, () => {
  let pack: string;
  before(() => {
    pack = path.join(tempDir("hporec-hpob-"), "pack");
    const r = runCli(["train", "--data", hpob!, "--seeds", "1", "--rounds", "20", "--no-ranking-head", "--out", pack]);
    assert.equal(r.status, 0, r.stderr);
  });

  const recommend = (...extra: string[]): Recommendation => {
    const r = runCli(["recommend", "--pack", pack, "--samples", "500", "--classes", "2", "--modality", "tabular", "--candidates", "50", "--json", ...extra]);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  test("the predicted cost is unknown (null), the answer is well-formed and passes the judge", () => {
    const rec = recommend();
    assert.equal(rec.recommendation.predicted.seconds, null);
    assert.doesNotThrow(() => RecommendationSchema.parse(rec));
    assert.equal(rec.verdict?.scores.format, 1, JSON.stringify(rec.verdict?.reasons));
    assert.equal(rec.verdict?.pass, true, JSON.stringify(rec.verdict?.reasons));
    assert.match(rec.justification, /training time .*unknown/i);
  });

  test("a budget cannot be checked: said so, never reported as respected", () => {
    const rec = recommend("--budget-s", "3600");
    assert.ok(rec.warnings.some((w) => /budget .*cannot be (applied|checked)/.test(w)), rec.warnings.join("; "));
    const reasons = rec.verdict!.reasons.completeness.join("; ");
    assert.doesNotMatch(reasons, /constraints respected/);
    assert.match(reasons, /budget .*cannot be checked/);
    assert.doesNotMatch(rec.justification, /Constraints respected/);
  });

  test("only the hyperparameters of the chosen model's search space appear, and no 'unset' driver", () => {
    const rec = recommend();
    const md = loadMetaDataset(hpob!);
    const own = new Set(md.runs.filter((r) => r.model === rec.recommendation.model).flatMap((r) => Object.entries(r.hyperparameters).filter(([, v]) => v !== null).map(([k]) => k)));
    for (const name of Object.keys(rec.recommendation.hyperparameters)) assert.ok(own.has(name), `${name} is not a hyperparameter of ${rec.recommendation.model}`);
    for (const d of rec.drivers) assert.notEqual(d.value, "unset", `driver ${d.name}`);
  });
});
