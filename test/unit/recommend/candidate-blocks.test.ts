import assert from "node:assert/strict";
import { it } from "node:test";
import { CandidateBlocks } from "../../../src/recommend/candidate-blocks.ts";
import { dataset, packSpace, run, summary, tinyStageLearner } from "./stage-fixtures.ts";

const A = summary("A", [run("a1", "m1", 0.001), run("a2", "m2", 0.01, "adam")]);
const B = summary("B", [run("b1", "m2", 0.0001)]);
const nb = (s: typeof A, similarity = 0.5) => ({ summary: s, similarity });

it("one block per neighbour (each winner and 4 mutations of it), then the samples", () => {
  const blocks = new CandidateBlocks(tinyStageLearner(), packSpace).for({ dataset, samples: 30 }, [nb(A), nb(B)]);
  assert.equal(blocks.length, 3);
  const [a, b, samples] = blocks;
  assert.deepEqual(
    a.candidates.map((c) => [c.id, c.origin]),
    [
      ["A-0", "ds:A/a1"],
      ...[1, 2, 3, 4].map((i) => [`A-${i}`, "mutation:ds:A/a1"]),
      ["A-5", "ds:A/a2"],
      ...[6, 7, 8, 9].map((i) => [`A-${i}`, "mutation:ds:A/a2"]),
    ],
  );
  assert.deepEqual(a.candidates[0].hyperparameters, { lr: 0.001, wd: 0.1, opt: "sgd" });
  assert.equal(b.candidates.length, 5);
  assert.equal(samples.candidates.length, 30);
  assert.ok(samples.candidates.every((c, i) => c.id === `s${i}` && c.origin === "sample"));
  // Mutations move a winner: not all 4 equal it.
  assert.ok(a.candidates.slice(1, 5).some((c) => JSON.stringify(c.hyperparameters) !== JSON.stringify(a.candidates[0].hyperparameters)));
});

it("respects the constraints: only allowed models, fixed values everywhere", () => {
  const req = { dataset, samples: 40, constraints: { denyModels: ["m2"], fixed: { opt: "adam" } } };
  const all = new CandidateBlocks(tinyStageLearner(), packSpace).for(req, [nb(A), nb(B)]).flatMap((b) => b.candidates);
  assert.ok(all.length > 40);
  for (const c of all) {
    assert.equal(c.model, "m1", c.id);
    assert.equal(c.hyperparameters.opt, "adam", c.id);
  }
  // B's only winner is an m2 run: its block is empty.
  assert.ok(!all.some((c) => c.id.startsWith("B-")));
});

it("a neighbour's block depends on the seed and that neighbour only, and is prepared once", () => {
  const blocks = new CandidateBlocks(tinyStageLearner(), packSpace);
  const first = blocks.for({ dataset, samples: 20 }, [nb(A)]);
  const again = blocks.for({ dataset: { metaFeatures: { n_samples: 50, n_classes: 2 } }, samples: 20 }, [nb(B), nb(A, 0.1)]);
  assert.equal(again[1], first[0], "A's block is reused, whatever the dataset and the other neighbours");
  assert.equal(again[2], first[1], "so are the samples");
  const fresh = new CandidateBlocks(tinyStageLearner(), packSpace).for({ dataset, samples: 20 }, [nb(B), nb(A)]);
  assert.deepEqual(fresh[1].candidates, first[0].candidates);
  const otherSeed = blocks.for({ dataset, samples: 20, seed: 2 }, [nb(A)]);
  assert.notDeepEqual(otherSeed[1].candidates, first[1].candidates);
  assert.notDeepEqual(otherSeed[0].candidates.slice(1), first[0].candidates.slice(1));
});
