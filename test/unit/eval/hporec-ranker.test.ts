import { test } from "node:test";
import assert from "node:assert/strict";
import { datasetDocuments, hporecRanker, metaLearnerRanker } from "../../../src/eval/hporec-ranker.ts";
import { evaluate } from "../../../src/eval/protocol.ts";
import { fixture } from "./fixtures.ts";

const cheap = { seeds: 2, params: { tree_method: "hist" as const, n_estimators: 30, eta: 0.2 } };

test("hporec and the meta-learner baseline rank every candidate of every held-out dataset", async () => {
  const md = fixture(4, 30);
  const r = await evaluate({
    train: md,
    makeRanker: hporecRanker({ ...cheap, neighbours: 2 }),
    baselines: [{ name: "meta-learner", makeRanker: metaLearnerRanker(cheap) }],
    tpe: false,
  });
  assert.equal(r.hporec.datasets.length, 4);
  for (const d of r.hporec.datasets) {
    assert.equal(d.rankedRunIds.length, Math.min(d.nCandidates, 25));
    assert.equal(new Set(d.rankedRunIds).size, d.rankedRunIds.length);
  }
  const ml = r.baselines.find((b) => b.name === "meta-learner");
  assert.ok(ml && ml.kind === "ranking" && ml.datasets.length === 4);
});

test("the similarity index of a fold holds only the training datasets", async () => {
  const md = fixture(4, 10);
  const seen: string[][] = [];
  const spy = hporecRanker(cheap);
  await evaluate({
    train: md,
    makeRanker: async (training, ctx) => {
      seen.push(datasetDocuments(training).map((d) => d.metadata.datasetId!));
      return spy(training, ctx);
    },
    tpe: false,
  });
  const ids = md.datasets.map((d) => d.id);
  seen.forEach((s, i) => {
    assert.equal(s.length, ids.length - 1);
    assert.ok(!s.includes(ids[i]), "the held-out dataset is not in its own fold's index");
  });
});

test("an explicit undefined option keeps the default instead of erasing it", async () => {
  const md = fixture(3, 10);
  await evaluate({ train: md, makeRanker: hporecRanker({ ...cheap, prior: undefined, neighbours: undefined }), tpe: false });
});
