import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fullLength, lengthRows, lengthTrainingRows, withLengthColumn } from "../../../src/learner/full-length.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { trainPack } from "../../../src/learner/train-pack.ts";
import { loadPack } from "../../../src/learner/pack.ts";
import type { MetaDataset, Run } from "../../../src/metadata/schema.ts";
import { createRng } from "../../../src/util/random.ts";
import { fixture } from "../eval/fixtures.ts";

const run = (id: string, datasetId: string, curve: number[] | undefined, epochs?: number): Run => ({
  id,
  datasetId,
  model: "m",
  hyperparameters: {},
  outcome: { best: curve ? Math.max(...curve) : 50, final: curve ? curve[curve.length - 1] : 50, ...(curve && { curve }) },
  ...(epochs !== undefined && { epochs }),
  cost: {},
  status: "completed",
});

const tiny = (runs: Run[], direction: "max" | "min" = "max"): MetaDataset => ({
  ...fixture(1, 1),
  metric: { name: "accuracy", direction },
  runs,
});

describe("full-length rows", () => {
  it("read each curve after 1, 3, 10 and 25 epochs where it got that far, and at its end", () => {
    const curve = Array.from({ length: 12 }, (_, e) => (e === 4 ? 90 : e)); // a peak at epoch 5
    const md = tiny([run("long", "d0", curve), run("one", "d0", [7]), run("flat", "d0", undefined, 30)]);
    const rows = lengthRows(md);
    const of = (i: number) => rows.filter((r) => r.run === i).map((r) => r.epochs);
    assert.deepEqual(of(0), [1, 3, 10, 12]);
    assert.deepEqual(of(1), [1]);
    assert.deepEqual(of(2), [30], "no curve: once, at its recorded length");
    assert.equal(fullLength(md), 30);
  });

  it("rank every row within its dataset by the best value so far (ties averaged; 1 = best)", () => {
    // Values: long@1 = 0, long@3 = 2, long@10 = 90, long@12 = 90, one@1 = 7, flat@30 = 50.
    const curve = Array.from({ length: 12 }, (_, e) => (e === 4 ? 90 : e));
    const md = tiny([run("long", "d0", curve), run("one", "d0", [7]), run("flat", "d0", undefined, 30)]);
    const target = new Map(lengthRows(md).map((r) => [`${r.run}@${r.epochs}`, r.target]));
    assert.deepEqual(Object.fromEntries(target), { "0@1": 0, "0@3": 0.2, "0@10": 0.9, "0@12": 0.9, "1@1": 0.4, "2@30": 0.6 });
  });

  it("take the minimum so far when lower is better", () => {
    const md = tiny([run("a", "d0", [5, 3, 4, 1]), run("b", "d0", [2])], "min");
    const t = lengthRows(md).map((r) => [r.run, r.epochs, r.target]);
    // a@1 = 5 (worst), a@3 = 3, a@4 = 1 (best), b@1 = 2.
    assert.deepEqual(t, [[0, 1, 0], [0, 3, 1 / 3], [0, 4, 1], [1, 1, 2 / 3]]);
  });

  it("rank datasets separately", () => {
    const md = tiny([run("a", "d0", [10]), run("b", "d1", [1]), run("c", "d1", [2])]);
    assert.deepEqual(lengthRows(md).map((r) => r.target), [0, 0, 1]);
  });

  it("widen rows by one column holding log10 of the length: candidates all at one, training rows each at its own", () => {
    const rows = Float32Array.from([1, 2, 3, 4]);
    assert.deepEqual([...withLengthColumn(rows, 2, 2, 100)], [1, 2, 2, 3, 4, 2]);
    const at = [{ run: 1, epochs: 10, target: 0 }, { run: 1, epochs: 1, target: 0 }, { run: 0, epochs: 1000, target: 1 }];
    assert.deepEqual([...lengthTrainingRows(rows, 2, at)], [3, 4, 1, 3, 4, 0, 1, 2, 3]);
  });
});

/**
 * Fast starters (x = 1) lead after one epoch and stall; slow starters (x = 0) end higher. Most fast starters were
 * stopped after one epoch, as Quick-Tune stopped its linear-probing runs.
 */
function startersMetaDataset(): MetaDataset {
  const base = fixture(6, 1);
  const rng = createRng(7);
  const runs: Run[] = [];
  for (const d of base.datasets) {
    for (let k = 0; k < 60; k++) {
      const fast = k % 2 === 0;
      const end = fast ? 55 + 3 * rng.normal() : 80 + 3 * rng.normal();
      const start = fast ? 50 + 2 * rng.normal() : 20 + 2 * rng.normal();
      const length = fast && rng.next() < 0.8 ? 1 : 30;
      const curve = Array.from({ length }, (_, e) => start + (end - start) * Math.sqrt(e / 29));
      runs.push({ ...run(`${d.id}-${k}`, d.id, curve), model: "vit", hyperparameters: { lr: 10 ** (-4 + rng.next()), batch_size: 32, opt: fast ? "adam" : "sgd", momentum: fast ? null : 0.9 } });
    }
  }
  return { ...base, runs };
}

describe("the full-length head", () => {
  const md = startersMetaDataset();
  const params = { n_estimators: 40 };
  const trained = MetaLearner.train(md, { target: "rank", seeds: 2, params, costParams: params, head: "full-length", bag: 1 });
  const learner = MetaLearner.from(trained, "rank");
  const fast = md.runs.filter((r) => r.hyperparameters.opt === "adam").slice(0, 20);
  const slow = md.runs.filter((r) => r.hyperparameters.opt === "sgd").slice(0, 20);
  const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

  it("has its own trees over one more column, and scores at the longest past run", () => {
    assert.equal(trained.head?.kind, "full-length");
    assert.equal(trained.head?.fullLength, 30);
    for (const m of trained.head!.models) assert.equal(m.model.nFeatures, trained.featureMap.columns.length + 1);
  });

  it("ranks by the outcome at full length; read at one epoch, the same trees rank by the first epoch", () => {
    const d = md.datasets[0];
    const head = (l: MetaLearner, cs: Run[]) => mean(l.predict(d, cs).order!);
    assert.ok(head(learner, slow) > head(learner, fast) + 0.2, `at 30 epochs: slow ${head(learner, slow)}, fast ${head(learner, fast)}`);
    // The same trees read at one epoch put the fast starters first: the length column carries the difference.
    const atOne = new MetaLearner(learner.featureMap, learner.outcome, learner.cost, "rank", learner.head, "full-length", 1);
    assert.ok(head(atOne, fast) > head(atOne, slow) + 0.2, `at 1 epoch: fast ${head(atOne, fast)}, slow ${head(atOne, slow)}`);
  });

  it("predicts prepared blocks as fresh rows", () => {
    const configs = md.runs.slice(0, 40);
    for (const d of md.datasets.slice(0, 3)) {
      const fresh = learner.predict(d, configs);
      const prepared = learner.predictPrepared(d, learner.prepare(configs));
      fresh.order!.forEach((v, i) => assert.ok(Math.abs(v - prepared.order![i]) < 1e-9, `order ${i}`));
    }
  });

  const dir = mkdtempSync(path.join(tmpdir(), "hporec-full-length-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("survives a pack round trip: kind, length and predictions", async () => {
    await trainPack(md, dir, { target: "rank", seeds: 2, params, costParams: params, head: "full-length", bag: 1 });
    const pack = loadPack(dir);
    assert.equal(pack.manifest.head, "full-length");
    assert.equal(pack.manifest.fullLength, 30);
    const p = pack.learner.predict(md.datasets[1], slow);
    const q = learner.predict(md.datasets[1], slow);
    p.order!.forEach((v, i) => assert.ok(Math.abs(v - q.order![i]) < 1e-6, `order ${i}: ${v} vs ${q.order![i]}`));
  });
});
