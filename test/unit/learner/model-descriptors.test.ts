import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { buildFeatureMap, FeatureEncoder } from "../../../src/learner/features.ts";
import { MetaLearner } from "../../../src/learner/meta-learner.ts";
import { loadPack } from "../../../src/learner/pack.ts";
import { trainPack } from "../../../src/learner/train-pack.ts";
import { MODEL_ZOO } from "../../../src/metadata/model-zoo.ts";
import type { MetaDataset } from "../../../src/metadata/schema.ts";
import { createRng } from "../../../src/util/random.ts";
import { fixture } from "../eval/fixtures.ts";

const SMALL = ["mobilevit_xxs", "edgenext_x_small"];
const LARGE = ["volo_d3_448", "volo_d4_448"];
/** In the zoo and in the model list, but without a single past run. */
const UNSEEN_LARGE = "volo_d5_448";

/** Large models win by 20 points on every dataset; one large model of the zoo was never run. */
function sizeMatters(): MetaDataset {
  const base = fixture(6, 1);
  const rng = createRng(3);
  const models = [...SMALL, ...LARGE];
  const runs = base.datasets.flatMap((d) =>
    Array.from({ length: 40 }, (_, k) => {
      const model = models[k % models.length];
      const lr = 10 ** (-5 + 4 * rng.next());
      const acc = 60 + (LARGE.includes(model) ? 20 : 0) - 4 * (Math.log10(lr) + 3) ** 2 + rng.normal();
      return { ...base.runs[0], id: `${d.id}-${k}`, datasetId: d.id, model, hyperparameters: { lr, batch_size: 32, opt: "adam", momentum: null }, outcome: { best: acc, final: acc } };
    }),
  );
  return { ...base, runs, models: [...models, UNSEEN_LARGE].sort() };
}

describe("model descriptors", () => {
  const md = sizeMatters();

  it("add one column per descriptor next to the one-hot, NaN for a model the zoo does not know", () => {
    const map = buildFeatureMap({ ...md, models: [...md.models, "my_own_net"] }, { modelDescriptors: true });
    const descriptors = map.columns.filter((c) => c.descriptor);
    assert.deepEqual(descriptors.map((c) => c.name), ["model:log10_params", "model:imagenet_top1", "model:pretrain_resolution"]);
    assert.ok(descriptors.every((c) => c.group === "model" && c.kind === "model"), "explanations sum them into the model");
    assert.equal(map.columns.filter((c) => c.category !== undefined && c.kind === "model").length, md.models.length + 1);
    const enc = new FeatureEncoder(map);
    const col = (name: string) => enc.columnIndex(name)!;
    const row = (model: string) => enc.encode([{ dataset: md.datasets[0], config: { model, hyperparameters: {} } }]);
    const volo = row("volo_d4_448");
    assert.ok(Math.abs(volo[col("model:log10_params")] - Math.log10(MODEL_ZOO.volo_d4_448.paramsM * 1e6)) < 1e-5);
    assert.equal(volo[col("model:imagenet_top1")], Math.fround(MODEL_ZOO.volo_d4_448.imagenetTop1));
    assert.equal(volo[col("model:pretrain_resolution")], 448);
    assert.equal(volo[col("model=volo_d4_448")], 1);
    const own = row("my_own_net");
    assert.ok(Number.isNaN(own[col("model:log10_params")]) && Number.isNaN(own[col("model:imagenet_top1")]));
    assert.equal(own[col("model=my_own_net")], 1);
  });

  it("are off by default, and absent when the zoo knows fewer than two of the models", () => {
    assert.equal(buildFeatureMap(md).columns.filter((c) => c.descriptor).length, 0);
    assert.equal(buildFeatureMap(md).modelDescriptors, undefined);
    const one = buildFeatureMap({ ...md, models: ["volo_d4_448", "my_own_net"] }, { modelDescriptors: true });
    assert.equal(one.columns.filter((c) => c.descriptor).length, 0);
  });

  const params = { n_estimators: 40 };
  const train = (modelDescriptors: boolean) =>
    MetaLearner.from(MetaLearner.train(md, { target: "rank", seeds: 2, params, costParams: params, head: "none", bag: 1, modelDescriptors }), "rank");
  const withDescriptors = train(true);
  const oneHotOnly = train(false);
  const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
  const configs = (model: string) => Array.from({ length: 10 }, (_, i) => ({ model, hyperparameters: { lr: 10 ** (-5 + 0.4 * i), batch_size: 32, opt: "adam", momentum: null } }));

  it("let a model never run be scored like the models it resembles", () => {
    const d = md.datasets[0];
    const score = (l: MetaLearner, model: string) => mean(l.predict(d, configs(model)).mean);
    const gap = (l: MetaLearner) => Math.abs(score(l, UNSEEN_LARGE) - score(l, LARGE[0]));
    const msg = (l: MetaLearner) => [UNSEEN_LARGE, ...LARGE, ...SMALL].map((m) => `${m} ${score(l, m).toFixed(3)}`).join(", ");
    // With descriptors its size places it with the large models; with the one-hot only, it matches none of the
    // large models' columns and lands between the two kinds.
    assert.ok(gap(withDescriptors) < 0.03, `descriptors: ${msg(withDescriptors)}`);
    assert.ok(gap(oneHotOnly) > gap(withDescriptors) + 0.05, `one-hot: ${msg(oneHotOnly)}`);
  });

  const dir = mkdtempSync(path.join(tmpdir(), "hporec-model-descriptors-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("travel with the pack: it serves the same predictions without the zoo", async () => {
    await trainPack(md, dir, { target: "rank", seeds: 2, params, costParams: params, head: "none", bag: 1, modelDescriptors: true });
    const pack = loadPack(dir);
    assert.deepEqual(Object.keys(pack.learner.featureMap.modelDescriptors ?? {}).sort(), [...LARGE, ...SMALL, UNSEEN_LARGE].sort());
    const p = pack.learner.predict(md.datasets[1], configs(UNSEEN_LARGE)).mean;
    const q = withDescriptors.predict(md.datasets[1], configs(UNSEEN_LARGE)).mean;
    p.forEach((v, i) => assert.ok(Math.abs(v - q[i]) < 1e-6, `row ${i}: ${v} vs ${q[i]}`));
  });
});
