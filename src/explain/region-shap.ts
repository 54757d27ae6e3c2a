/**
 * Grouped SHAP values of the meta-learner for one (dataset, configuration) at a time, as the recommender's
 * drivers need them on every request. Path-dependent TreeSHAP of a tree depends on the row only through the
 * direction it takes at each split; for a given configuration those are fixed except at the splits on dataset
 * columns, whose directions are the dataset's region (learner/block-predictor.ts). So each tree's values are
 * cached per (configuration, region): a configuration recommended again for a dataset in the same regions
 * costs lookups, not a TreeSHAP recursion. Values equal `groupedShap` on the full row.
 */
import type { Configuration, DatasetFeatures } from "../learner/features.ts";
import { withLengthColumn } from "../learner/full-length.ts";
import type { MetaLearner } from "../learner/meta-learner.ts";
import type { RegionFinder } from "../learner/block-predictor.ts";
import type { TreeModel } from "../learner/trees.ts";
import { columnGroups, type GroupedShap } from "./shap-matrix.ts";
import { expectedValue, perTreeShap } from "./treeshap.ts";
import { LRUCache } from "lru-cache";

/** Cached (configuration, region) entries per tree, and configurations remembered, before the oldest go. */
const ENTRIES_PER_TREE = 256;
const CONFIGS_KEPT = 4096;

interface ModelCache {
  model: TreeModel;
  /** Locates a dataset's region in this model's trees (a ranking head shares its outcome twin's). */
  finder: RegionFinder;
  /** Whether the model reads the training length as one more column (the full-length head). */
  readsLength: boolean;
  /** Per tree, the distinct features it splits on (the only ones its SHAP values can be non-zero for). */
  features: Int32Array[];
  /** Per tree, SHAP values of its features by "configuration id:region" (least recently used first out). */
  entries: LRUCache<string, Float64Array>[];
}

export class RegionShap {
  private readonly outcome: ModelCache[];
  /** The head's members, cached on the first request that weighs them (only where the head shares the pick). */
  private headCaches?: ModelCache[];
  /** A small id per configuration seen recently; ids are never reused, so a forgotten one's entries just age out. */
  private readonly configIds: LRUCache<string, number>;
  private nextId = 0;

  constructor(
    private readonly learner: MetaLearner,
    private readonly sizes: { entriesPerTree?: number; configs?: number } = {},
  ) {
    this.configIds = new LRUCache({ max: sizes.configs ?? CONFIGS_KEPT });
    this.outcome = learner.outcome.map((model) => this.cacheOf(model, false));
  }

  /**
   * Like `groupedShap(learner, encode(dataset, cfg), 1)`. With `headShare` s > 0 (scoring.ts headShare: the ranking or
   * full-length head shares the pick), the SHAP values of (1 − s) × the outcome members' mean + s × the head's mean
   * score, the part of the pick's score the trees predict (SHAP is linear in the model). The full-length head's
   * training-length column is the same for every candidate: its share goes to `expected`, not to a driver.
   */
  grouped(dataset: DatasetFeatures, cfg: Configuration, headShare = 0): GroupedShap {
    const learner = this.learner;
    const row = learner.encoder.encodeForDataset(dataset, [cfg]);
    const id = this.configId(cfg);
    const nCols = learner.encoder.nCols;
    const columns = new Float64Array(nCols);
    let expected = 0;
    const share = learner.head.length ? headShare : 0;
    const parts: [ModelCache[], number][] = share > 0 ? [[this.outcome, 1 - share], [this.head(), share]] : [[this.outcome, 1]];
    for (const [caches, weight] of parts) {
      const w = weight / caches.length;
      for (const m of caches) {
        const r = m.readsLength ? withLengthColumn(row, 1, nCols, learner.fullLength) : row;
        const at = m.finder.locate(r);
        let shap: ReturnType<typeof perTreeShap> | undefined;
        const scratch = new Float64Array(m.model.nFeatures);
        for (let t = 0; t < m.model.nTrees; t++) {
          const key = `${id}:${at.treeKeys[t]}`;
          const fs = m.features[t];
          let v = m.entries[t].get(key);
          if (!v) {
            shap ??= perTreeShap(m.model, r);
            for (const f of fs) scratch[f] = 0;
            shap(t, scratch);
            v = Float64Array.from(fs, (f) => scratch[f]);
            m.entries[t].set(key, v);
          }
          for (let j = 0; j < fs.length; j++) {
            if (fs[j] < nCols) columns[fs[j]] += w * v[j];
            else expected += w * v[j];
          }
        }
        expected += w * expectedValue(m.model);
      }
    }
    const { groups, kinds, colGroup } = columnGroups(learner);
    const values = new Float64Array(groups.length);
    for (let c = 0; c < nCols; c++) values[colGroup[c]] += columns[c];
    return { groups, kinds, values, expected, nRows: 1 };
  }

  private head(): ModelCache[] {
    return (this.headCaches ??= this.learner.head.map((model) => this.cacheOf(model, this.learner.headKind === "full-length")));
  }

  private cacheOf(model: TreeModel, readsLength: boolean): ModelCache {
    return {
      model,
      finder: this.learner.regionFinder(model),
      readsLength,
      features: Array.from({ length: model.nTrees }, (_, t) => {
        const fs = new Set<number>();
        for (let k = model.treeStart[t]; k < model.treeStart[t + 1]; k++) if (model.left[k] >= 0) fs.add(model.feature[k]);
        return Int32Array.from(fs);
      }),
      entries: Array.from({ length: model.nTrees }, () => new LRUCache<string, Float64Array>({ max: this.sizes.entriesPerTree ?? ENTRIES_PER_TREE })),
    };
  }

  private configId(cfg: Configuration): number {
    const key = JSON.stringify([cfg.model, cfg.hyperparameters]);
    let id = this.configIds.get(key);
    if (id === undefined) this.configIds.set(key, (id = this.nextId++));
    return id;
  }
}
