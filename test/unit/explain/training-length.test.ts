/**
 * Training-length caveats on a synthetic meta-dataset built so the answer is known: "probe" runs all stop after
 * one epoch; batch size moves only the runs stopped early; dropout moves every run. Only the first two are
 * caveats, and nothing is said when the runs do not record how long they trained.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trainingLengthCaveats } from "../../../src/explain/training-length.ts";
import type { MetaDataset, Run } from "../../../src/metadata/schema.ts";
import { createRng } from "../../../src/util/random.ts";

function metaDataset(recordLength = true): MetaDataset {
  const rng = createRng(7);
  const runs: Run[] = [];
  for (let d = 0; d < 5; d++) {
    for (let k = 0; k < 60; k++) {
      const probe = k % 3 === 0 ? 1 : 0;
      const batch = 2 ** (1 + (k % 8));
      // As in a search that continues the runs that look good after one epoch: large batches (fewer steps) stop more often.
      const stopped = probe === 1 || (batch >= 64 && rng.next() < 0.6);
      const drop = 0.5 * rng.next();
      // Trained to the end: batch size does not matter, dropout does. Stopped after one epoch: small batches went further.
      const acc = stopped ? 40 - 4 * Math.log2(batch) - 10 * drop + rng.normal() : 80 - 20 * drop + 3 * rng.normal();
      runs.push({
        id: `r${d}-${k}`,
        datasetId: `d${d}`,
        model: "vit",
        hyperparameters: { probe, batch_size: batch, drop },
        outcome: { best: acc, final: acc },
        ...(recordLength ? { epochs: stopped ? 1 : 20 } : {}),
        cost: {},
        status: recordLength ? (stopped ? "stopped" : "completed") : "unknown",
      });
    }
  }
  return {
    name: "synthetic",
    format: "generic",
    kind: "table",
    metric: { name: "accuracy", direction: "max" },
    datasets: Array.from({ length: 5 }, (_, d) => ({ id: `d${d}`, name: `d${d}`, metaFeatures: { n_samples: 1000 }, source: "test" })),
    runs,
    models: ["vit"],
    searchSpace: {
      source: "given",
      hyperparameters: {
        probe: { type: "int", low: 0, high: 1, log: false, values: [0, 1] },
        batch_size: { type: "int", low: 2, high: 256, log: true },
        drop: { type: "float", low: 0, high: 0.5, log: false },
      },
    },
  };
}

describe("training-length caveats", () => {
  const caveats = trainingLengthCaveats(metaDataset());
  const byName = new Map(caveats.map((c) => [c.name, c]));

  it("flags a value whose runs all stopped after one epoch", () => {
    const c = byName.get("probe");
    assert.ok(c, JSON.stringify(caveats));
    assert.equal(c.kind, "value");
    assert.equal(c.value, "1");
    assert.equal(c.runs, 100);
    assert.equal(c.stoppedShare, 1);
    const others = metaDataset().runs.filter((r) => r.hyperparameters.probe === 0);
    assert.equal(c.othersStoppedShare, others.filter((r) => r.status === "stopped").length / others.length);
    assert.equal(c.medianEpochs, 1);
    assert.match(c.text, /^all 100 past runs with probe = 1 stopped after 1 epoch \(\d+% of the other runs stopped early\)/);
  });

  it("flags a trend that lives among the runs stopped early, not one that holds for every run", () => {
    const b = byName.get("batch_size");
    assert.ok(b, JSON.stringify(caveats));
    assert.equal(b.kind, "trend");
    assert.ok(b.rhoAll! < -0.2, `all runs: ${b.rhoAll}`);
    assert.ok(Math.abs(b.rhoFull!) < Math.abs(b.rhoAll!) / 2, `trained to the end: ${b.rhoFull}`);
    assert.match(b.text, /lower batch_size ranks better over all runs/);
    assert.equal(byName.has("drop"), false, "dropout matters for runs trained to the end too");
  });

  it("says nothing when the runs do not record how long they trained", () => {
    assert.deepEqual(trainingLengthCaveats(metaDataset(false)), []);
  });
});
