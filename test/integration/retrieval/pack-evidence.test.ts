/**
 * The built-in pack's evidence documents and per-dataset explanations write a good range of one value as that
 * value ("linear_probing 0"), as the answers do, not as an interval from a value to itself ("0..0").
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadEngine } from "../../../src/recommend/engine.ts";
import { evidenceFromPack } from "../../../src/retrieval/evidence-from-pack.ts";
import { DEFAULT_PACK } from "../cli/helpers.ts";

const selfInterval = /(?<![\w.])(-?[\d.]+(?:e[-+]?\d+)?)\.\.\1(?![\w.])/;

describe("one-value ranges in the built-in pack", () => {
  it("are written as the value in evidence documents and per-dataset explanations", async () => {
    const { recommender } = await loadEngine(DEFAULT_PACK);
    const docs = evidenceFromPack(recommender.pack, recommender.explanations);
    const ranged = docs.filter((d) => /\.\./.test(d.text));
    assert.ok(ranged.length > 5, `${ranged.length} documents give ranges`);
    for (const d of docs) assert.doesNotMatch(d.text, selfInterval, d.id);
    const best = Object.values(recommender.explanations.perDataset).flatMap((x) => x.best);
    assert.ok(best.some((b) => b.name === "linear_probing" && b.value === "0"), "linear_probing's best value on a past dataset");
    for (const b of best) assert.doesNotMatch(b.value, selfInterval, `${b.name} = ${b.value}`);
  });
});
