/**
 * Search latency and recall of the knowledge index: exact (FaissStore's IndexFlatL2) vs HNSW, on synthetic
 * dataset documents. Usage: npx tsx scripts/bench-retrieval.ts [n=10000] [queries=200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeterministicEmbeddings } from "../src/retrieval/deterministic-embeddings.ts";
import type { DatasetQuery } from "../src/retrieval/dataset-query.ts";
import type { EvidenceDocument } from "../src/retrieval/document.ts";
import { KnowledgeIndex, type BuildOptions } from "../src/retrieval/knowledge-index.ts";

const n = Number(process.argv[2] ?? 10000);
const nQueries = Number(process.argv[3] ?? 200);
const DOMAINS = ["microscopy", "plants", "plankton", "remote_sensing", "medical", "insects", "textures", "vehicles"];
const WORDS = "beit resnet convnext vit lr momentum augmentation schedule cosine warmup batch dropout won lost".split(" ");

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same pool. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];

function card(): DatasetQuery {
  return {
    domain: pick(DOMAINS),
    modality: "image",
    description: Array.from({ length: 12 }, () => pick(WORDS)).join(" "),
    metaFeatures: {
      n_samples: Math.round(Math.exp(5 + rand() * 6)),
      n_classes: 2 + Math.floor(rand() * 200),
      image_size: pick([32, 64, 128, 224, 256]),
      channels: pick([1, 3]),
    },
  };
}

const docs: EvidenceDocument[] = Array.from({ length: n }, (_, i) => {
  const c = card();
  return { id: `ds:S${i}`, kind: "dataset", text: c.description!, metadata: { datasetId: `S${i}`, domain: c.domain, modality: c.modality, metaFeatures: c.metaFeatures } };
});
const queries = Array.from({ length: nQueries }, card);
const emb = DeterministicEmbeddings.fit(docs);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const root = mkdtempSync(path.join(tmpdir(), "hporec-bench-"));

async function measure(label: string, options: BuildOptions) {
  let t0 = process.hrtime.bigint();
  const index = await KnowledgeIndex.build(docs, emb, options);
  const build = ms(t0);
  t0 = process.hrtime.bigint();
  await index.save(path.join(root, label));
  const save = ms(t0);
  t0 = process.hrtime.bigint();
  const loaded = await KnowledgeIndex.load(path.join(root, label));
  const load = ms(t0);
  const results: string[][] = [];
  t0 = process.hrtime.bigint();
  for (const q of queries) results.push((await loaded.search(q, 10)).map((h) => h.doc.id));
  const search = ms(t0) / queries.length;
  return { label, build, save, load, search, results };
}

const flat = await measure("flat", {});
const hnsw = await measure("hnsw", { index: "hnsw" });
const recall = hnsw.results.reduce((s, r, i) => s + r.filter((id) => flat.results[i].includes(id)).length, 0) / (10 * nQueries);
console.log(`n=${n} dim=${emb.dimension} queries=${nQueries} k=10`);
for (const r of [flat, hnsw]) {
  console.log(`${r.label.padEnd(5)} build ${r.build.toFixed(0)} ms  save ${r.save.toFixed(0)} ms  load ${r.load.toFixed(0)} ms  search ${r.search.toFixed(2)} ms/query`);
}
console.log(`HNSW recall@10 vs exact: ${recall.toFixed(3)}`);
rmSync(root, { recursive: true, force: true });
