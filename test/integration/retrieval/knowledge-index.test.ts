import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DeterministicEmbeddings } from "../../../src/retrieval/deterministic-embeddings.ts";
import { renderDatasetQuery } from "../../../src/retrieval/dataset-query.ts";
import { toLangChainDocument } from "../../../src/retrieval/document.ts";
import { KnowledgeIndex } from "../../../src/retrieval/knowledge-index.ts";
import { dot } from "../../../src/retrieval/vectors.ts";
import { InputError } from "../../../src/util/errors.ts";
import { ALL, DATASETS, MICROSCOPY_CARD } from "../../unit/retrieval/fixtures/evidence.ts";

const root = mkdtempSync(path.join(tmpdir(), "hporec-index-"));
test.after(() => rmSync(root, { recursive: true, force: true }));
const emb = DeterministicEmbeddings.fit(ALL);
const indexP = KnowledgeIndex.build(ALL, emb);

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(path.join(dir, f), "base64")]));
}

/** Asserts `fn` rejects with an InputError naming the folder and the rebuild command. */
async function rejectsClearly(fn: () => Promise<unknown>, dir: string, detail: RegExp): Promise<void> {
  await assert.rejects(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.where, path.resolve(dir));
    assert.match(e.message, detail);
    assert.match(e.hint ?? "", /hporec index --pack /);
    return true;
  });
}

test("scores are cosines: equal to the dot products of the embeddings, sorted, k beyond the size is fine", async () => {
  const index = await indexP;
  const hits = await index.search(MICROSCOPY_CARD, 100);
  assert.equal(hits.length, ALL.length);
  const q = await emb.embedQuery(renderDatasetQuery(MICROSCOPY_CARD));
  for (const h of hits) {
    const v = await emb.embedQuery(toLangChainDocument(h.doc).pageContent);
    assert.ok(Math.abs(h.score - dot(q, v)) < 1e-5, `${h.doc.id}: ${h.score} vs ${dot(q, v)}`);
  }
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score);
  assert.deepEqual(hits.slice(0, 2).map((h) => h.doc.id).sort(), ["ds:BCT", "ds:PNU"]);
  assert.deepEqual(await index.search(MICROSCOPY_CARD, 0), []);
});

test("filters: by kind, by predicate, and similarDatasets with a left-out dataset", async () => {
  const index = await indexP;
  const models = await index.search("which model for microscopy", 10, { kind: "model" });
  assert.deepEqual(models.map((h) => h.doc.kind), ["model", "model"]);
  assert.equal(models[0].doc.id, "model:beit_base");
  const notDatasets = await index.search("lr", 10, { kind: ["model", "hyperparameter"] });
  assert.equal(notDatasets.length, 4);
  const similar = await index.similarDatasets(MICROSCOPY_CARD, 3);
  assert.equal(similar.length, 3);
  assert.ok(similar.every((h) => h.doc.kind === "dataset"));
  const loo = await index.similarDatasets(MICROSCOPY_CARD, 10, { excludeDatasetIds: ["BCT"] });
  assert.equal(loo[0].doc.id, "ds:PNU");
  assert.equal(loo.length, DATASETS.length - 1);
  const where = await index.search(MICROSCOPY_CARD, 2, { where: (d) => d.metadata.domain === "plants" });
  assert.deepEqual(where.map((h) => h.doc.id), ["ds:FLW"]);
});

test("build -> save -> load gives identical documents and search results", async () => {
  const index = await indexP;
  const dir = path.join(root, "pack", "index");
  await index.save(dir);
  assert.deepEqual(readdirSync(dir).sort(), ["docstore.json", "embedder.json", "faiss.index", "manifest.json"]);
  const loaded = await KnowledgeIndex.load(dir);
  assert.deepEqual(loaded.documents(), index.documents());
  assert.equal(loaded.get("hp:lr")?.text, ALL.find((d) => d.id === "hp:lr")?.text);
  for (const q of [MICROSCOPY_CARD, "learning rate", DATASETS[4].text]) {
    assert.deepEqual(await loaded.search(q, 5), await index.search(q, 5));
  }
  const first = snapshot(dir);
  await index.save(dir); // over an existing index; the same index gives byte-identical files
  assert.deepEqual(snapshot(dir), first);
  assert.deepEqual(readdirSync(path.dirname(dir)), ["index"], "no temp folders left behind");
});

test("an interrupted rebuild leaves the previous index loadable and unchanged", async () => {
  const dir = path.join(root, "interrupted", "index");
  await (await indexP).save(dir);
  const before = snapshot(dir);
  const expected = await (await KnowledgeIndex.load(dir)).search(MICROSCOPY_CARD, 3);

  // 1. the embedder fails halfway through the new build
  let calls = 0;
  const failing = DeterministicEmbeddings.fit(ALL);
  failing.embedDocuments = async (texts) => texts.map((t) => {
    if (++calls > 3) throw new Error("embedder crashed");
    return failing.embed(t);
  });
  await assert.rejects(KnowledgeIndex.build(ALL, failing), /embedder crashed/);

  // 2. the save throws after FaissStore wrote its files (disk full, ...)
  const other = await KnowledgeIndex.build(DATASETS, DeterministicEmbeddings.fit(DATASETS));
  const store = (other as unknown as { store: { save: (d: string) => Promise<void> } }).store;
  const save = store.save.bind(store);
  store.save = async (d) => {
    await save(d);
    throw new Error("disk full");
  };
  await assert.rejects(other.save(dir), /disk full/);
  assert.deepEqual(readdirSync(path.dirname(dir)), ["index"]);

  // 3. the process is killed mid-save
  const child = spawnSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "fixtures", "save-and-die.ts"), dir], { encoding: "utf8" });
  assert.equal(child.signal, "SIGKILL", child.stderr);
  // The kill landed inside the save: its half-written temp folder is still there (nothing cleans it up).
  assert.ok(readdirSync(path.dirname(dir)).some((f) => f.startsWith(".index.new.")));

  assert.deepEqual(snapshot(dir), before);
  assert.deepEqual(await (await KnowledgeIndex.load(dir)).search(MICROSCOPY_CARD, 3), expected);
});

test("a missing or corrupt index is a clear error naming the folder and the fix", async () => {
  const base = path.join(root, "broken");
  const fresh = async (name: string) => {
    const dir = path.join(base, name, "index");
    await (await indexP).save(dir);
    return dir;
  };
  await rejectsClearly(() => KnowledgeIndex.load(path.join(base, "nothing")), path.join(base, "nothing"), /no index folder/);

  const noManifest = await fresh("no-manifest");
  unlinkSync(path.join(noManifest, "manifest.json"));
  await rejectsClearly(() => KnowledgeIndex.load(noManifest), noManifest, /manifest.json is missing/);

  const badManifest = await fresh("bad-manifest");
  writeFileSync(path.join(badManifest, "manifest.json"), "{ not json");
  await rejectsClearly(() => KnowledgeIndex.load(badManifest), badManifest, /not a valid index manifest/);

  const missing = await fresh("missing-file");
  unlinkSync(path.join(missing, "faiss.index"));
  await rejectsClearly(() => KnowledgeIndex.load(missing), missing, /faiss.index is missing/);

  const truncated = await fresh("truncated");
  const f = path.join(truncated, "faiss.index");
  writeFileSync(f, readFileSync(f).subarray(0, 100));
  await rejectsClearly(() => KnowledgeIndex.load(truncated), truncated, /faiss.index does not match its checksum/);
});

test("an index refuses a different embedder; bad input is rejected", async () => {
  const dir = path.join(root, "embedder", "index");
  await (await indexP).save(dir);
  const other = DeterministicEmbeddings.fit(ALL, { textDim: 128 });
  await assert.rejects(KnowledgeIndex.load(dir, { embeddings: other }), /different embedder/);
  await assert.rejects(KnowledgeIndex.build([...ALL, ALL[0]], emb), /duplicate evidence id ds:BCT/);
  await assert.rejects(KnowledgeIndex.build([], emb), /no evidence documents/);
  await assert.rejects((await indexP).search("[meta]\n", 3), (e: unknown) => e instanceof InputError && /zero vector/.test(e.message));
});

test("the optional HNSW index finds the same neighbours on a small pool and round-trips", async () => {
  const hnsw = await KnowledgeIndex.build(ALL, emb, { index: "hnsw" });
  assert.equal(hnsw.indexType, "HNSW32,Flat");
  const flatHits = await (await indexP).search(MICROSCOPY_CARD, 5);
  const hits = await hnsw.search(MICROSCOPY_CARD, 5);
  assert.deepEqual(hits.map((h) => h.doc.id), flatHits.map((h) => h.doc.id));
  hits.forEach((h, i) => assert.ok(Math.abs(h.score - flatHits[i].score) < 1e-6));
  const dir = path.join(root, "hnsw", "index");
  await hnsw.save(dir);
  const loaded = await KnowledgeIndex.load(dir);
  assert.equal(loaded.indexType, "HNSW32,Flat");
  assert.deepEqual(await loaded.search(MICROSCOPY_CARD, 5), hits);
});
