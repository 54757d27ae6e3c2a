import assert from "node:assert/strict";
import { it } from "node:test";
import { neighbourFinder, type SimilarityFinder } from "../../../src/recommend/neighbours.ts";
import { dataset, summary } from "./stage-fixtures.ts";

const past = [summary("A"), summary("B"), summary("C")];

it("asks the finder for k datasets and keeps its order and similarities, as the pack's summaries", async () => {
  const asked: [unknown, number][] = [];
  const finder: SimilarityFinder = async (d, k) => {
    asked.push([d, k]);
    return [
      { id: "C", similarity: 0.9 },
      { id: "A", similarity: -0.2 },
    ];
  };
  const ns = await neighbourFinder(finder, past)(dataset, 2);
  assert.deepEqual(asked, [[dataset, 2]]);
  assert.deepEqual(
    ns.map((n) => [n.summary.id, n.similarity]),
    [
      ["C", 0.9],
      ["A", -0.2],
    ],
  );
  assert.equal(ns[0].summary, past[2]);
});

it("drops datasets the pack has no summary of (an index built from another pack)", async () => {
  const ns = await neighbourFinder(async () => [
    { id: "elsewhere", similarity: 0.99 },
    { id: "B", similarity: 0.5 },
  ], past)(dataset, 5);
  assert.deepEqual(
    ns.map((n) => n.summary.id),
    ["B"],
  );
});
