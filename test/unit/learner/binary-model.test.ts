import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InputError } from "../../../src/util/errors.ts";
import { parseBinaryModel } from "../../../src/learner/binary-model.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { trainBooster } from "../../../src/learner/xgboost.ts";
import { buildModel, randomRows } from "./tree-builder.ts";

const X = randomRows(200, 4, 3);
const y = Array.from({ length: 200 }, (_, i) => (X[i * 4] || 0) + 2 * (X[i * 4 + 1] > 0.5 ? 1 : 0));
const { bytes } = trainBooster(X, 200, 4, y, { n_estimators: 3, max_depth: 3, subsample: 1 });
// Offsets in this model: 136-byte header, "reg:linear" (8 + 10), "gbtree" (8 + 6), 160-byte gbtree header.
const TREE0 = 136 + 18 + 14 + 160;
const NODES0 = TREE0 + 148;

function patched(at: number, write: (v: DataView) => void): Uint8Array {
  const b = bytes.slice();
  write(new DataView(b.buffer, at));
  return b;
}

describe("parseBinaryModel", () => {
  it("reads header, trees and a consistent flat layout", () => {
    const m = parseBinaryModel(bytes);
    assert.equal(m.objective, "reg:linear");
    assert.equal(m.baseScore, 0.5);
    assert.equal(m.nFeatures, 4);
    assert.equal(m.nTrees, 3);
    assert.ok(m.maxDepth >= 1 && m.maxDepth <= 3);
    for (let t = 0; t < m.nTrees; t++) {
      for (let n = m.treeStart[t]; n < m.treeStart[t + 1]; n++) {
        if (m.left[n] < 0) continue;
        assert.equal(m.right[n], m.left[n] + 1);
        assert.ok(m.left[n] > n && m.right[n] < m.treeStart[t + 1]);
        // Squared error: cover = rows reaching the node, shared exactly by the children.
        assert.ok(Math.abs(m.cover[m.left[n]] + m.cover[m.right[n]] - m.cover[n]) < 1e-3);
      }
    }
    for (let t = 0; t < m.nTrees; t++) assert.equal(m.cover[m.treeStart[t]], 200, "root cover = all rows");
  });

  it("refuses every truncation with an InputError", () => {
    for (let len = 0; len < bytes.length; len += len < 600 ? 1 : 13)
      assert.throws(() => parseBinaryModel(bytes.subarray(0, len)), InputError, `length ${len}`);
  });

  it("refuses trailing bytes, unknown objectives and other boosters", () => {
    assert.throws(() => parseBinaryModel(Uint8Array.of(...bytes, 0)), /trailing/);
    const obj = bytes.slice();
    obj.set(new TextEncoder().encode("reg:lineaX"), 144);
    assert.throws(() => parseBinaryModel(obj), /objective "reg:lineaX" is not supported/);
    const gbm = bytes.slice();
    gbm.set(new TextEncoder().encode("gbline"), 162);
    assert.throws(() => parseBinaryModel(gbm), /booster "gbline"/);
    assert.throws(() => parseBinaryModel(patched(8, (v) => v.setInt32(0, 3, true))), /multi-class/);
  });

  it("refuses garbled trees: child out of range, a node reached twice, feature out of range, bad counts", () => {
    assert.throws(() => parseBinaryModel(patched(NODES0 + 4, (v) => v.setInt32(0, 999, true))), /child index 999 out of range/);
    assert.throws(() => parseBinaryModel(patched(NODES0 + 8, (v) => v.setInt32(0, 1, true))), /reached twice/);
    assert.throws(() => parseBinaryModel(patched(NODES0 + 12, (v) => v.setUint32(0, 7, true))), /split feature 7/);
    assert.throws(() => parseBinaryModel(patched(TREE0 + 4, (v) => v.setInt32(0, 1 << 30, true))), /num_nodes/);
    assert.throws(() => parseBinaryModel(patched(TREE0 + 4, (v) => v.setInt32(0, 0, true))), /num_nodes 0/);
    assert.throws(() => parseBinaryModel(patched(0, (v) => v.setFloat32(0, NaN, true))), /base_score/);
  });
});

describe("predictTrees", () => {
  const model = buildModel(
    [
      {
        feature: 0, threshold: 0.1, defaultLeft: true, cover: 10,
        left: { leaf: 1, cover: 4 },
        right: { feature: 1, threshold: -2, cover: 6, left: { leaf: 2, cover: 3 }, right: { leaf: 3, cover: 3 } },
      },
      { leaf: 0.25, cover: 10 },
    ],
    2,
  );

  it("compares in float32 and sends NaN the default way", () => {
    const rows = Float32Array.of(0.1, 0, Math.fround(0.1) - 1e-8, 0, NaN, 0, 5, NaN, 5, -3);
    // fround(0.1) is not < fround(0.1): right; just below: left; NaN on feature 0: default left;
    // NaN on feature 1: default right (defaultLeft false).
    assert.deepEqual(Array.from(predictTrees(model, rows, 5)), [3.75, 1.75, 1.75, 3.75, 2.75]);
  });

  it("applies the objective's link unless margins are asked for", () => {
    const logistic = { ...model, objective: "binary:logistic" as const };
    const one = Float32Array.of(NaN, 0);
    assert.equal(predictTrees(logistic, one, 1, { outputMargin: true })[0], 1.75);
    assert.ok(Math.abs(predictTrees(logistic, one, 1)[0] - 1 / (1 + Math.exp(-1.75))) < 1e-15);
    assert.ok(Math.abs(predictTrees({ ...model, objective: "reg:gamma" }, one, 1)[0] - Math.exp(1.75)) < 1e-12);
    assert.throws(() => predictTrees(model, one, 2), RangeError);
  });
});
