import assert from "node:assert/strict";
import { it } from "node:test";
import { evidenceFor } from "../../../src/recommend/evidence.ts";
import { scored, summary } from "./stage-fixtures.ts";

const neighbours = ["A", "B", "C", "D"].map((id, i) => ({ summary: summary(id, [], 50, 90 - i), similarity: 0.9 - i / 10 }));
const best = { ...scored("x"), candidate: { ...scored("x").candidate, model: "beit_base_patch16_384" } };
const drivers = [
  { name: "model", value: "beit_base_patch16_384", contribution: 0.3 },
  { name: "lr", value: "0.001", contribution: 0.2 },
  { name: "opt", value: "sgd", contribution: -0.1 },
  { name: "wd", value: "0.1", contribution: 0.05 },
  { name: "batch_size", value: "32", contribution: 0.01 },
];

it("cites the 3 closest datasets, the model's family and the 3 strongest hyperparameters, in that order", () => {
  const refs = evidenceFor(() => undefined, neighbours, best, drivers);
  assert.deepEqual(
    refs.map((r) => [r.id, r.kind]),
    [
      ["ds:A", "dataset"],
      ["ds:B", "dataset"],
      ["ds:C", "dataset"],
      ["model:beit", "model"],
      ["hp:lr", "hyperparameter"],
      ["hp:opt", "hyperparameter"],
      ["hp:wd", "hyperparameter"],
    ],
  );
  // Without the documents, what the pack knows.
  assert.equal(refs[1].summary, "B: best 89, median 69.5 over 40 runs");
  assert.equal(refs[3].summary, "model beit_base_patch16_384");
});

it("summarises a known document by its first sentence (without its [meta] line, 200 characters at most)", () => {
  const docs: Record<string, string> = {
    "ds:A": "[meta] kind=dataset\nDataset A has 5 classes. It is small.",
    "hp:lr": `${"x".repeat(300)}. Then more.`,
  };
  const refs = evidenceFor((id) => docs[id], neighbours, best, drivers);
  assert.equal(refs[0].summary, "Dataset A has 5 classes.");
  assert.equal(refs.find((r) => r.id === "hp:lr")?.summary, "x".repeat(200));
});

it("cites each id once", () => {
  const twice = [neighbours[0], neighbours[0]];
  const refs = evidenceFor(() => undefined, twice, best, [drivers[1], drivers[1]]);
  assert.deepEqual(
    refs.map((r) => r.id),
    ["ds:A", "model:beit", "hp:lr"],
  );
});
