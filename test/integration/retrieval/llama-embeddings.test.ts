import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { LlamaEmbeddings } from "../../../src/retrieval/llama-embeddings.ts";
import { KnowledgeIndex } from "../../../src/retrieval/knowledge-index.ts";
import { ENV_VARS } from "../../../src/config.ts";

const EMBED_MODEL_ENV = ENV_VARS.embedModel;
import { InputError } from "../../../src/util/errors.ts";
import { norm } from "../../../src/retrieval/vectors.ts";
import { testModelsDir } from "../../helpers/env.ts";
import { ALL, MICROSCOPY_CARD } from "../../unit/retrieval/fixtures/evidence.ts";

const models = testModelsDir();
const skip = models ? false : "test models not found (HPOREC_TEST_MODELS)";
// A tiny story model, not an embedding model: its vectors are meaningless, but shape and determinism are not.
const modelPath = models && path.join(models, "stories260K.gguf");

test("GGUF embeddings: model dimension, unit length, deterministic, long texts truncated", { skip }, async () => {
  const emb = await LlamaEmbeddings.create({ modelPath: modelPath!, threads: 1 });
  try {
    assert.deepEqual(emb.config(), { kind: "llama", model: "stories260K.gguf", dimension: 64 });
    const texts = ["[meta] n_samples=2436 domain=microscopy\nbacteria", "resnet50 with sgd", "lr ".repeat(5000)];
    const a = await emb.embedDocuments(texts);
    for (const v of a) {
      assert.equal(v.length, 64);
      assert.ok(Math.abs(norm(v) - 1) < 1e-9);
    }
    assert.deepEqual(await emb.embedQuery(texts[0]), a[0]);
    assert.deepEqual(await emb.embedDocuments(texts), a);
    assert.notDeepEqual(a[0], a[1]);
  } finally {
    await emb.dispose();
  }
});

test("an index built with a GGUF embedder reloads only with that model", { skip }, async () => {
  const root = mkdtempSync(path.join(tmpdir(), "hporec-llama-index-"));
  const emb = await LlamaEmbeddings.create({ modelPath: modelPath!, threads: 1 });
  const saved = process.env[EMBED_MODEL_ENV];
  delete process.env[EMBED_MODEL_ENV];
  try {
    const index = await KnowledgeIndex.build(ALL, emb);
    assert.equal(index.dimension, 64);
    const dir = path.join(root, "index");
    await index.save(dir);
    await assert.rejects(KnowledgeIndex.load(dir), (e: unknown) => e instanceof InputError && /--embed-model/.test(e.hint ?? ""));
    const other = path.join(models!, "llama-2-tiny-random.gguf");
    await assert.rejects(KnowledgeIndex.load(dir, { embedModel: other }), /built with the embedding model stories260K.gguf/);
    const loaded = await KnowledgeIndex.load(dir, { embeddings: emb });
    assert.deepEqual(await loaded.search(MICROSCOPY_CARD, 4), await index.search(MICROSCOPY_CARD, 4));
    const viaPath = await KnowledgeIndex.load(dir, { embedModel: modelPath, threads: 1 });
    try {
      assert.deepEqual(await viaPath.search(MICROSCOPY_CARD, 4), await index.search(MICROSCOPY_CARD, 4));
    } finally {
      await (viaPath.embeddings as LlamaEmbeddings).dispose();
    }
  } finally {
    if (saved !== undefined) process.env[EMBED_MODEL_ENV] = saved;
    await emb.dispose();
    rmSync(root, { recursive: true, force: true });
  }
});
