/**
 * Prediction of one fixed block of configurations on dataset after dataset: the recommender's hot path.
 *
 * A row's columns belong either to the dataset (meta-features, domain) or to the configuration (model,
 * hyperparameters). In a tree, the dataset only decides which way the splits on dataset columns go; once
 * those are known, the leaf each configuration reaches is fixed. So per tree a dataset is reduced to its
 * region (the directions of the tree's dataset splits), and for each region seen the leaf of every
 * configuration of the block is cached: a dataset in a region seen before costs one addition per configuration
 * for that tree instead of a walk down it. The sums over all trees are also cached per combination of regions
 * (the dataset's cell), so a dataset in a cell seen before costs one addition per configuration. Results are
 * those of `predictTrees` on full rows (summed in another order).
 *
 * Measured on the default pack with a stream of distinct datasets (notes of issue #7):
 * caching sums per group of 4-32 trees was slower than per cell, as most groups miss for a new dataset anyway.
 */
import { applyLink, sameTrees, type TreeModel } from "./trees.ts";
import { LRUCache } from "lru-cache";

/** Where one dataset falls in every tree of a model. */
interface Location {
  /** The regions of all trees. */
  cell: string;
  /** Per tree, its region. */
  treeKeys: string[];
  /** For each dataset-split node, 1 when this dataset goes left. */
  goesLeft: Uint8Array;
}

/** Finds a dataset's regions in the trees of one model; shared by every block predicted with that model. */
export class RegionFinder {
  /** Per tree, its nodes that split on a dataset column. */
  private readonly datasetSplits: Int32Array[];
  private last?: { row: Float32Array; location: Location };

  constructor(
    readonly model: TreeModel,
    /** 1 for the columns that describe the dataset. */
    readonly datasetColumn: Uint8Array,
  ) {
    const { treeStart, left, feature } = model;
    this.datasetSplits = Array.from({ length: model.nTrees }, (_, t) => {
      const nodes: number[] = [];
      for (let k = treeStart[t]; k < treeStart[t + 1]; k++) if (left[k] >= 0 && datasetColumn[feature[k]]) nodes.push(k);
      return Int32Array.from(nodes);
    });
  }

  /** The dataset's regions; the last answer is reused while the row is the same. */
  locate(row: Float32Array): Location {
    if (this.last && sameValues(this.last.row, row)) return this.last.location;
    const { feature, threshold, defaultLeft } = this.model;
    const goesLeft = new Uint8Array(this.model.left.length);
    const treeKeys = this.datasetSplits.map((nodes) => {
      let key = "";
      for (const k of nodes) {
        const v = row[feature[k]];
        const l = v < threshold[k] || (v !== v && defaultLeft[k] === 1) ? 1 : 0;
        goesLeft[k] = l;
        key += l;
      }
      return key;
    });
    const location = { cell: treeKeys.join(","), treeKeys, goesLeft };
    this.last = { row: row.slice(), location };
    return location;
  }
}

export interface BlockPredictorOptions {
  /** Regions remembered per tree, and cells; the least recently used go first (default 64). */
  regionsPerTree?: number;
}

export class BlockPredictor {
  private readonly regions: LRUCache<string, Uint16Array>[];
  private readonly cells: LRUCache<string, Float64Array>;
  private readonly regionsPerTree: number;
  private readonly model: TreeModel;
  private hits = 0;
  private misses = 0;

  /** @param rows the block's configurations encoded row-major (`model.nFeatures` columns; dataset columns unused) */
  constructor(
    private readonly finder: RegionFinder,
    private readonly rows: Float32Array,
    readonly nRows: number,
    opts: BlockPredictorOptions = {},
    twinOf?: { model: TreeModel; regions: LRUCache<string, Uint16Array>[] },
  ) {
    const model = (this.model = twinOf?.model ?? finder.model);
    if (rows.length < nRows * model.nFeatures) throw new RangeError(`BlockPredictor: ${rows.length} values for ${nRows} rows x ${model.nFeatures} columns`);
    for (let t = 0; t < model.nTrees; t++)
      if (model.treeStart[t + 1] - model.treeStart[t] > 0xffff) throw new RangeError(`BlockPredictor: tree ${t} has more than 65,535 nodes`);
    this.regionsPerTree = opts.regionsPerTree ?? 64;
    this.regions = twinOf?.regions ?? Array.from({ length: model.nTrees }, () => new LRUCache<string, Uint16Array>({ max: this.regionsPerTree }));
    this.cells = new LRUCache({ max: this.regionsPerTree });
  }

  /**
   * The predictor of the same configurations for a model with the same trees and other leaf values (the ranking
   * head): it shares this one's region finder and leaf caches, so it costs only its own sums.
   */
  twin(model: TreeModel): BlockPredictor {
    if (!sameTrees(this.model, model)) throw new Error("internal: a twin block predictor needs the same trees");
    return new BlockPredictor(this.finder, this.rows, this.nRows, { regionsPerTree: this.regionsPerTree }, { model, regions: this.regions });
  }

  /** Predictions (the objective's output scale) of every configuration on the dataset whose encoded row is given. */
  predict(datasetRow: Float32Array, opts: { outputMargin?: boolean } = {}): Float64Array {
    const at = this.finder.locate(datasetRow);
    let sum = this.cells.get(at.cell);
    if (sum) this.hits++;
    else {
      this.misses++;
      sum = this.treeSum(at);
      this.cells.set(at.cell, sum);
    }
    const out = new Float64Array(this.nRows);
    for (let r = 0; r < this.nRows; r++) out[r] = this.model.baseScore + sum[r];
    return opts.outputMargin ? out : applyLink(this.model.objective, out);
  }

  /** Cells found in the cache vs computed, since construction. */
  stats(): { hits: number; misses: number } {
    return { hits: this.hits, misses: this.misses };
  }

  /** Leaf values of all trees summed per configuration, the trees' leaves from their region caches. */
  private treeSum(at: Location): Float64Array {
    const { treeStart, value, nTrees } = this.model;
    const sum = new Float64Array(this.nRows);
    for (let t = 0; t < nTrees; t++) {
      const key = at.treeKeys[t];
      let leaves = this.regions[t].get(key);
      if (!leaves) this.regions[t].set(key, (leaves = this.leaves(t, at.goesLeft)));
      const root = treeStart[t];
      for (let r = 0; r < this.nRows; r++) sum[r] += value[root + leaves[r]];
    }
    return sum;
  }

  /** The leaf (offset from the root) each configuration reaches in tree t, given the dataset's directions. */
  private leaves(t: number, goesLeft: Uint8Array): Uint16Array {
    const { left, right, feature, threshold, defaultLeft, treeStart } = this.model;
    const datasetColumn = this.finder.datasetColumn;
    const root = treeStart[t];
    const p = this.model.nFeatures;
    const out = new Uint16Array(this.nRows);
    for (let r = 0; r < this.nRows; r++) {
      const base = r * p;
      let k = root;
      while (left[k] >= 0) {
        const f = feature[k];
        if (datasetColumn[f]) k = goesLeft[k] ? left[k] : right[k];
        else {
          const v = this.rows[base + f];
          k = v < threshold[k] || (v !== v && defaultLeft[k] === 1) ? left[k] : right[k];
        }
      }
      out[r] = k - root;
    }
    return out;
  }
}

/** Equal rows, NaN equal to NaN. */
function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (a[i] === a[i] || b[i] === b[i])) return false;
  return true;
}
