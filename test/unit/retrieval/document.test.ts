import { test } from "node:test";
import assert from "node:assert/strict";
import { EvidenceDocument, evidenceId, fromLangChainDocument, toLangChainDocument } from "../../../src/retrieval/document.ts";
import { ALL } from "./fixtures/evidence.ts";

test("evidence documents survive the LangChain round trip, with the meta line in the page content", () => {
  for (const doc of ALL) {
    const lc = toLangChainDocument(doc);
    assert.equal(lc.id, doc.id);
    assert.ok(lc.pageContent.startsWith("[meta]"));
    assert.deepEqual(fromLangChainDocument(lc), doc);
  }
  assert.match(toLangChainDocument(ALL[0]).pageContent, /^\[meta\] channels=3 image_size=128 n_classes=33 n_samples=2436 domain=microscopy modality=image\n/);
});

test("ids are stable tokens", () => {
  assert.equal(evidenceId("dataset", "BCT"), "ds:BCT");
  assert.equal(evidenceId("hyperparameter", "learning rate"), "hp:learning_rate");
  assert.equal(evidenceId("model", "beit_base"), "model:beit_base");
  assert.throws(() => EvidenceDocument.parse({ id: "ds: x", kind: "dataset", text: "t", metadata: {} }));
});
