import { test } from "node:test";
import assert from "node:assert/strict";
import { DeterministicEmbeddings } from "../../../src/retrieval/deterministic-embeddings.ts";
import { renderDatasetQuery, type DatasetQuery } from "../../../src/retrieval/dataset-query.ts";
import { toLangChainDocument } from "../../../src/retrieval/document.ts";
import { computeMetaFeatureStats } from "../../../src/retrieval/meta-feature-stats.ts";
import { dot, norm } from "../../../src/retrieval/vectors.ts";
import { ALL, DATASETS } from "./fixtures/evidence.ts";

const emb = DeterministicEmbeddings.fit(ALL);
const card = (f: Record<string, number>, extra: Partial<DatasetQuery> = {}): string =>
  renderDatasetQuery({ metaFeatures: f, domain: "microscopy", modality: "image", ...extra });
const cos = (a: string, b: string): number => dot(emb.embed(a), emb.embed(b));

test("the same text gives the same unit vector, also from a config that went through JSON", async () => {
  const texts = ALL.map((d) => toLangChainDocument(d).pageContent);
  const a = await emb.embedDocuments(texts);
  const again = new DeterministicEmbeddings(JSON.parse(JSON.stringify(emb.config())));
  assert.deepEqual(await again.embedDocuments(texts), a);
  assert.deepEqual(await emb.embedQuery(texts[0]), a[0]);
  for (const v of a) {
    assert.equal(v.length, emb.dimension);
    assert.ok(Math.abs(norm(v) - 1) < 1e-12);
  }
  assert.equal(emb.dimension, 4 + 1 + 64 + 256);
});

test("count-like features are log-transformed, small-range ones are not", () => {
  const { features } = emb.config().stats;
  assert.equal(features.n_samples.log, true);
  assert.equal(features.channels.log, false);
  assert.deepEqual(Object.keys(features), ["channels", "image_size", "n_classes", "n_samples"]);
});

test("datasets with close meta-features are closer than far ones", () => {
  const q = card({ n_samples: 2500, n_classes: 30, image_size: 128, channels: 3 });
  const near = card({ n_samples: 3000, n_classes: 33, image_size: 128, channels: 3 });
  const far = card({ n_samples: 50000, n_classes: 2, image_size: 256, channels: 1 });
  assert.ok(cos(q, near) > cos(q, far) + 0.2, `${cos(q, near)} vs ${cos(q, far)}`);
});

test("magnitude counts, not only the direction of the z-scores", () => {
  const { stats } = emb.config();
  const at = (sigmas: number) =>
    card(Object.fromEntries(Object.entries(stats.features).map(([k, s]) => {
      const x = s.mean + sigmas * s.std;
      return [k, s.log ? Math.expm1(x) : x];
    })), { domain: undefined, modality: undefined });
  assert.ok(cos(at(0.1), at(3)) < 0.9, `0.1σ vs 3σ: ${cos(at(0.1), at(3))}`);
  assert.ok(cos(at(2.9), at(3)) > 0.99);
});

test("when meta-features tie, domain and then words decide", () => {
  const f = { n_samples: 2500, n_classes: 30, image_size: 128, channels: 3 };
  const q = card(f, { description: "bacteria colonies under a microscope" });
  const sameDomain = card(f, { description: "pollen grains" });
  const otherDomain = card(f, { domain: "plants", description: "pollen grains" });
  assert.ok(cos(q, sameDomain) > cos(q, otherDomain));
  const sameWords = card(f, { description: "bacteria colonies grown on agar" });
  assert.ok(cos(q, sameWords) > cos(q, sameDomain));
});

test("missing meta-features count as average; texts without any have no meta block", () => {
  const stats = computeMetaFeatureStats(DATASETS.map((d) => d.metadata.metaFeatures!));
  const e = DeterministicEmbeddings.withStats(stats);
  const avg = Object.fromEntries(Object.entries(stats.features).map(([k, s]) => [k, s.log ? Math.expm1(s.mean) : s.mean]));
  const full = e.embed(renderDatasetQuery({ metaFeatures: avg }) + "words");
  const partial = e.embed(renderDatasetQuery({ metaFeatures: { n_classes: avg.n_classes } }) + "words");
  full.forEach((v, i) => assert.ok(Math.abs(v - partial[i]) < 1e-9));
  const none = e.embed("[meta]\nwords only");
  assert.ok(none.slice(0, 5).every((v) => v === 0));
});

test("a feature constant over the past datasets does not decide similarity (every past image 128 px, the query 224 px)", () => {
  const past = [
    { n_samples: 1000, n_classes: 20 },
    { n_samples: 20000, n_classes: 45 },
    { n_samples: 300000, n_classes: 100 },
  ].map((f) => ({ ...f, image_size: 128, channels: 3 }));
  const stats = computeMetaFeatureStats(past);
  assert.equal(stats.features.image_size.weight, 0);
  assert.equal(stats.features.n_samples.weight, 1);
  const e = DeterministicEmbeddings.withStats(stats);
  const doc = (f: Record<string, number>) => e.embed(renderDatasetQuery({ metaFeatures: f }));
  const docs = past.map(doc);
  const nearest = (q: Record<string, number>) => {
    const v = doc(q);
    const sims = docs.map((d) => dot(v, d));
    return sims.indexOf(Math.max(...sims));
  };
  // At 224 px, a small dataset is still nearest the small past one and a large one the large one: the size of
  // the images, which no past dataset varied in, does not pull every query to the same neighbour.
  assert.equal(nearest({ n_samples: 1200, n_classes: 22, image_size: 224, channels: 3 }), 0);
  assert.equal(nearest({ n_samples: 250000, n_classes: 90, image_size: 224, channels: 3 }), 2);
  assert.equal(nearest({ n_samples: 18000, n_classes: 45, image_size: 224, channels: 3 }), 1);
});
