import assert from "node:assert/strict";
import { test } from "node:test";
import { writeJustification } from "../../../src/recommend/writer.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";

const config = { candidateId: "s1", model: "net_a", hyperparameters: { lr: 0.001 }, origin: "sample", predicted: { score: 0.9, spread: 0.01, metric: 80, interval: [78, 82], seconds: 600 } };

function answer(similarDatasets: Recommendation["similarDatasets"]): Recommendation {
  return {
    dataset: { metaFeatures: { n_samples: 100, n_classes: 2 } },
    constraints: {},
    recommendation: config,
    alternatives: [],
    metric: { name: "accuracy", direction: "max" },
    similarDatasets,
    drivers: [],
    evidence: [],
    constraintsStated: [],
    objective: "accuracy",
    pack: { name: "p", target: "rank" },
    warnings: [],
    extrapolation: [],
  } as unknown as Recommendation;
}

test("past datasets with negative similarity are not called the closest", () => {
  const text = writeJustification(answer([{ id: "A", similarity: 0.4 }, { id: "B", similarity: -0.2 }]));
  assert.match(text, /The closest past datasets are A \(similarity 0\.40\)\./);
  assert.doesNotMatch(text, /\bB\b/);
  const none = writeJustification(answer([{ id: "B", similarity: -0.2 }]));
  assert.doesNotMatch(none, /closest/);
  assert.match(none, /No past dataset is similar/);
});

test("outside the past range the answer says the track record may not hold and what to do instead", () => {
  const inside = answer([{ id: "A", similarity: 0.4 }]);
  inside.trackRecord = { level: 0.8, datasets: 22, acceptable: 20, meanScore: 0.83 };
  inside.warnings = ["the budget is tight"];
  assert.doesNotMatch(writeJustification(inside), /outside the range/);
  const outside = { ...inside, warnings: ["extrapolation: samples = 480 is outside what this pack learnt from (the past datasets range from 958 to 2.84e+5); the trees treat it as 958"], extrapolation: ["n_samples"] };
  const text = writeJustification(outside);
  assert.match(text, /outside the range of the past datasets .* than this record says: run the alternatives too, or start a study/);
  // The structured flag decides, not the wording of a warning.
  assert.doesNotMatch(writeJustification({ ...outside, extrapolation: [] }), /outside the range of the past datasets/);
});

test("a budget the pick is not known to fit is not said to be respected", () => {
  const withBudget = { ...answer([{ id: "A", similarity: 0.4 }]), constraints: { budgetSeconds: 60 }, constraintsStated: ["predicted training time at most 60 s"] };
  assert.match(writeJustification(withBudget), /Constraints respected: predicted training time at most 60 s\./);
  const unmet = writeJustification({ ...withBudget, budgetMet: false });
  assert.match(unmet, /Constraints \(the budget is not met: see the warning\): predicted training time at most 60 s\./);
  assert.doesNotMatch(unmet, /respected/);
});

test("what works against a pick is said to be outweighed by its objective, not by a higher score, when the objective is not accuracy", () => {
  const down = [{ name: "lr", value: 0.01, contribution: -0.1 }];
  const withDown = { ...answer([{ id: "A", similarity: 0.4 }]), drivers: down } as unknown as Recommendation;
  assert.match(writeJustification(withDown), /Working against it: .*accepted because the alternatives score lower overall\./);
  const cost = writeJustification({ ...withDown, objective: "cost" });
  assert.match(cost, /accepted because on the cost objective \(predicted metric against training time\) it beats the alternatives\./);
  assert.doesNotMatch(cost, /score lower overall/);
});
