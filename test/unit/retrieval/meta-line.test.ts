import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMetaLine, renderMetaLine, withMetaLine } from "../../../src/retrieval/meta-line.ts";
import { renderDatasetQuery } from "../../../src/retrieval/dataset-query.ts";

test("the meta line renders sorted features and one-token categories, and parses back", () => {
  const line = renderMetaLine({ metaFeatures: { n_samples: 2436, channels: 3, ratio: 0.125 }, domain: "Human Actions", modality: "image" });
  assert.equal(line, "[meta] channels=3 n_samples=2436 ratio=0.125 domain=human_actions modality=image");
  const parsed = parseMetaLine(withMetaLine({ metaFeatures: { n_samples: 2436, ratio: 0.125 }, domain: "x" }, "body\nmore"));
  assert.deepEqual(parsed, { metaFeatures: { n_samples: 2436, ratio: 0.125 }, domain: "x", body: "body\nmore" });
});

test("non-finite features are left out; a text without a meta line is all body", () => {
  assert.equal(renderMetaLine({ metaFeatures: { a: NaN, b: Infinity, c: 1 } }), "[meta] c=1");
  assert.deepEqual(parseMetaLine("plain text"), { metaFeatures: {}, body: "plain text" });
  assert.throws(() => renderMetaLine({ metaFeatures: { "bad name": 1 } }), /must match/);
});

test("a card query carries its meta-features and its words", () => {
  const q = renderDatasetQuery({ name: "X", domain: "plants", metaFeatures: { n_classes: 5 } });
  assert.equal(q, "[meta] n_classes=5 domain=plants\ndataset X\ndomain plants");
});
