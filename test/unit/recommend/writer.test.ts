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
