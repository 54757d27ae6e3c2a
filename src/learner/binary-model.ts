/**
 * Parser of XGBoost 0.7's legacy binary model (what ml-xgboost's `toJSON().model` and `save_model` hold),
 * little-endian:
 *   LearnerModelParam, 136 bytes: base_score f32, num_feature u32, num_class i32, contain_extra_attrs i32,
 *     contain_eval_metrics i32, reserved
 *   objective and booster names: u64 length + bytes each
 *   GBTreeModelParam, 160 bytes: num_trees i32, num_roots i32, num_feature i32, pad, num_pbuffer i64,
 *     num_output_group i32, size_leaf_vector i32, reserved
 *   per tree: TreeParam, 148 bytes (num_roots, num_nodes, num_deleted, max_depth, num_feature,
 *     size_leaf_vector, reserved); num_nodes x 20-byte nodes (parent i32, left i32, right i32,
 *     split index u32 with default-left in the top bit, threshold-or-leaf f32); num_nodes x 16-byte stats
 *     (loss change f32, sum of hessians = cover f32, base weight f32, leaf child count i32)
 *   tree_info: num_trees x i32 (output group of each tree)
 * Nodes are renumbered breadth-first so that right = left + 1 (see trees.ts); deleted (pruned) nodes,
 * unreachable from the root, are dropped.
 */
import { InputError } from "../util/errors.ts";
import { allocateTreeModel, OBJECTIVES, sameTrees, type Objective, type TreeModel } from "./trees.ts";

const LEARNER_PARAM = 136;
const GBTREE_PARAM = 160;
const TREE_PARAM = 148;
const NODE = 20;
const STAT = 16;

/** Parses a legacy binary model into flat trees; throws InputError on anything it cannot trust. */
export function parseBinaryModel(bytes: Uint8Array): TreeModel {
  return parse(bytes).model;
}

/**
 * The bytes of `model` when it differs from the model saved in `bytes` only by its leaf values and base score
 * (e.g. leaves refitted for another objective): a model XGBoost itself loads and predicts with.
 */
export function withLeafValues(bytes: Uint8Array, model: TreeModel): Uint8Array {
  const { model: saved, valueAt } = parse(bytes);
  if (!sameTrees(saved, model)) throw new Error("internal: withLeafValues needs the trees saved in the bytes");
  const out = bytes.slice();
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setFloat32(0, model.baseScore, true);
  for (let k = 0; k < model.left.length; k++) if (model.left[k] < 0) view.setFloat32(valueAt[k], model.value[k], true);
  return out;
}

/** The parsed model, and for each of its nodes the byte offset of its threshold-or-leaf value. */
function parse(bytes: Uint8Array): { model: TreeModel; valueAt: Int32Array } {
  const r = new Reader(bytes);
  r.need(LEARNER_PARAM, "learner header");
  const baseScore = r.f32(0);
  const nFeatures = r.i32(4);
  const numClass = r.i32(8);
  const extraAttrs = r.i32(12);
  const evalMetrics = r.i32(16);
  r.pos = LEARNER_PARAM;
  if (!Number.isFinite(baseScore)) r.fail(0, `base_score is ${baseScore}`);
  if (nFeatures <= 0) r.fail(4, `num_feature is ${nFeatures}`);
  if (numClass > 1) r.fail(8, `num_class is ${numClass}: multi-class models are not supported`);

  const objective = r.string("objective");
  if (!(OBJECTIVES as readonly string[]).includes(objective))
    r.fail(LEARNER_PARAM, `objective "${objective}" is not supported (expected one of ${OBJECTIVES.join(", ")})`);
  const booster = r.string("booster");
  if (booster !== "gbtree") r.fail(r.pos, `booster "${booster}" is not supported (expected gbtree)`);

  const gb = r.pos;
  r.need(GBTREE_PARAM, "gbtree header");
  const nTrees = r.i32(gb);
  if (nTrees < 0) r.fail(gb, `num_trees is ${nTrees}`);
  if (r.i32(gb + 4) !== 1) r.fail(gb + 4, `num_roots is ${r.i32(gb + 4)} (expected 1)`);
  if (r.i32(gb + 8) !== nFeatures) r.fail(gb + 8, `gbtree num_feature ${r.i32(gb + 8)} differs from the learner's ${nFeatures}`);
  if (r.i32(gb + 24) !== 1) r.fail(gb + 24, `num_output_group is ${r.i32(gb + 24)} (expected 1)`);
  if (r.i32(gb + 28) !== 0) r.fail(gb + 28, "leaf vectors are not supported");
  r.pos = gb + GBTREE_PARAM;

  // First pass: locate every tree and count reachable nodes, so the flat arrays are allocated once.
  const raw: { at: number; nNodes: number; order: Int32Array; depth: number }[] = [];
  let total = 0;
  for (let t = 0; t < nTrees; t++) {
    const at = r.pos;
    r.need(TREE_PARAM, `header of tree ${t}`);
    const nNodes = r.i32(at + 4);
    if (r.i32(at) !== 1) r.fail(at, `tree ${t}: num_roots is ${r.i32(at)} (expected 1)`);
    if (r.i32(at + 20) !== 0) r.fail(at + 20, `tree ${t}: leaf vectors are not supported`);
    if (nNodes < 1 || nNodes > (bytes.length - at - TREE_PARAM) / (NODE + STAT))
      r.fail(at + 4, `tree ${t}: num_nodes ${nNodes} does not fit in the remaining ${bytes.length - at - TREE_PARAM} bytes`);
    r.pos = at + TREE_PARAM + nNodes * (NODE + STAT);
    const { order, depth } = breadthFirst(r, t, at + TREE_PARAM, nNodes, nFeatures);
    raw.push({ at, nNodes, order, depth });
    total += order.length;
  }
  r.need(4 * nTrees, "tree_info");
  for (let t = 0; t < nTrees; t++) if (r.i32(r.pos + 4 * t) !== 0) r.fail(r.pos + 4 * t, `tree ${t} belongs to output group ${r.i32(r.pos + 4 * t)}`);
  r.pos += 4 * nTrees;
  // XGBoost 0.7 appends Poisson's max_delta_step as a string (when no attributes precede it).
  if (objective === "count:poisson" && !extraAttrs) r.string("max_delta_step");
  // Attributes and eval metrics may follow only when the header announces them.
  if (r.pos !== bytes.length && !extraAttrs && !evalMetrics) r.fail(r.pos, `${bytes.length - r.pos} unexpected trailing bytes`);

  const model = allocateTreeModel(objective as Objective, baseScore, nFeatures, nTrees, total);
  const valueAt = new Int32Array(total);

  let start = 0;
  for (let t = 0; t < nTrees; t++) {
    const { at, nNodes, order, depth } = raw[t];
    model.treeStart[t] = start;
    model.maxDepth = Math.max(model.maxDepth, depth);
    const nodes = at + TREE_PARAM;
    const stats = nodes + nNodes * NODE;
    const newIndex = new Int32Array(nNodes);
    order.forEach((old, k) => (newIndex[old] = k));
    for (let k = 0; k < order.length; k++) {
      const old = order[k];
      const g = start + k;
      const o = nodes + old * NODE;
      valueAt[g] = o + 16;
      const cover = r.f32(stats + old * STAT + 4);
      if (!(cover >= 0) || !Number.isFinite(cover)) r.fail(stats + old * STAT + 4, `tree ${t} node ${old}: cover is ${cover}`);
      model.cover[g] = cover;
      const leftOld = r.i32(o + 4);
      if (leftOld < 0) {
        const leaf = r.f32(o + 16);
        if (!Number.isFinite(leaf)) r.fail(o + 16, `tree ${t} node ${old}: leaf value is ${leaf}`);
        model.left[g] = model.right[g] = model.feature[g] = -1;
        model.value[g] = leaf;
      } else {
        const split = r.u32(o + 12);
        model.left[g] = start + newIndex[leftOld];
        model.right[g] = start + newIndex[leftOld] + 1;
        model.feature[g] = split & 0x7fffffff;
        model.defaultLeft[g] = split >>> 31;
        model.threshold[g] = r.f32(o + 16);
      }
    }
    start += order.length;
  }
  model.treeStart[nTrees] = start;
  return { model, valueAt };
}

/**
 * Visits the reachable nodes of one tree breadth-first, children of a node next to each other, and checks
 * the structure (indices in range, no node reached twice, split features in range).
 */
function breadthFirst(r: Reader, t: number, nodes: number, nNodes: number, nFeatures: number): { order: Int32Array; depth: number } {
  const order = new Int32Array(nNodes);
  const depthOf = new Int32Array(nNodes);
  const seen = new Uint8Array(nNodes);
  let len = 1;
  let depth = 0;
  seen[0] = 1;
  for (let k = 0; k < len; k++) {
    const old = order[k];
    const o = nodes + old * NODE;
    const left = r.i32(o + 4);
    const right = r.i32(o + 8);
    if (left < 0 && right < 0) continue;
    for (const c of [left, right]) {
      if (c <= 0 || c >= nNodes) r.fail(o + 4, `tree ${t} node ${old}: child index ${c} out of range [1, ${nNodes})`);
      if (seen[c]) r.fail(o + 4, `tree ${t} node ${old}: node ${c} is reached twice`);
      seen[c] = 1;
      depthOf[c] = depthOf[old] + 1;
      depth = Math.max(depth, depthOf[c]);
      order[len++] = c;
    }
    const f = r.u32(o + 12) & 0x7fffffff;
    if (f >= nFeatures) r.fail(o + 12, `tree ${t} node ${old}: split feature ${f} >= num_feature ${nFeatures}`);
    if (Number.isNaN(r.f32(o + 16))) r.fail(o + 16, `tree ${t} node ${old}: threshold is NaN`);
  }
  return { order: order.slice(0, len), depth };
}

class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length)
      this.fail(this.pos, `truncated: ${what} needs ${n} bytes, ${this.bytes.length - this.pos} left`);
  }

  i32(at: number): number {
    return this.view.getInt32(at, true);
  }

  u32(at: number): number {
    return this.view.getUint32(at, true);
  }

  f32(at: number): number {
    return this.view.getFloat32(at, true);
  }

  /** A u64 length followed by that many bytes of text. */
  string(what: string): string {
    this.need(8, `length of the ${what} name`);
    const len = this.u32(this.pos);
    if (this.u32(this.pos + 4) !== 0 || len > 256) this.fail(this.pos, `implausible ${what} name length`);
    this.pos += 8;
    this.need(len, `${what} name`);
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  fail(at: number, message: string): never {
    throw new InputError(
      `not a valid XGBoost 0.7 binary model: ${message}`,
      `model bytes at offset ${at}`,
      "retrain the model with trainBooster, or pass the bytes ml-xgboost saved (single-output gbtree)",
    );
  }
}
