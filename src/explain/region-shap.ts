/**
 * Grouped SHAP values of the meta-learner for one (dataset, configuration) at a time, as the recommender's
 * drivers need them on every request. Path-dependent TreeSHAP of a tree depends on the row only through the
 * direction it takes at each split; for a given configuration those are fixed except at the splits on dataset
 * columns, whose directions are the dataset's region (learner/block-predictor.ts). So each tree's values are
 * cached per (configuration, region): a configuration recommended again for a dataset in the same regions
 * costs lookups, not a TreeSHAP recursion. Values equal `groupedShap` on the full row.
 */
import type { Configuration, DatasetFeatures } from "../learner/features.ts";
import type { MetaLearner } from "../learner/meta-learner.ts";
import type { TreeModel } from "../learner/trees.ts";
import { columnGroups, type GroupedShap } from "./shap-matrix.ts";
import { expectedValue, perTreeShap } from "./treeshap.ts";
import { LRUCache } from "lru-cache";

/** Cached (configuration, region) entries per tree, and configurations remembered, before the oldest go. */
const ENTRIES_PER_TREE = 256;
const CONFIGS_KEPT = 4096;

interface ModelCache {
  model: TreeModel;
  /** Per tree, the distinct features it splits on (the only ones its SHAP values can be non-zero for). */
  features: Int32Array[];
  /** Per tree, SHAP values of its features by "configuration id:region" (least recently used first out). */
  entries: LRUCache<string, Float64Array>[];
}

export class RegionShap {
  private readonly models: ModelCache[];
  /** A small id per configuration seen recently; ids are never reused, so a forgotten one's entries just age out. */
  private readonly configIds: LRUCache<string, number>;
  private nextId = 0;

  constructor(
    private readonly learner: MetaLearner,
    sizes: { entriesPerTree?: number; configs?: number } = {},
  ) {
    this.configIds = new LRUCache({ max: sizes.configs ?? CONFIGS_KEPT });
    this.models = learner.outcome.map((model) => ({
      model,
      features: Array.from({ length: model.nTrees }, (_, t) => {
        const fs = new Set<number>();
        for (let k = model.treeStart[t]; k < model.treeStart[t + 1]; k++) if (model.left[k] >= 0) fs.add(model.feature[k]);
        return Int32Array.from(fs);
      }),
      entries: Array.from({ length: model.nTrees }, () => new LRUCache<string, Float64Array>({ max: sizes.entriesPerTree ?? ENTRIES_PER_TREE })),
    }));
  }

  /** Like `groupedShap(learner, encode(dataset, cfg), 1)`. */
  grouped(dataset: DatasetFeatures, cfg: Configuration): GroupedShap {
    const learner = this.learner;
    const row = learner.encoder.encodeForDataset(dataset, [cfg]);
    const id = this.configId(cfg);
    const nCols = learner.encoder.nCols;
    const columns = new Float64Array(nCols);
    let expected = 0;
    const k = this.models.length;
    for (const m of this.models) {
      const at = learner.regionFinder(m.model).locate(row);
      let shap: ReturnType<typeof perTreeShap> | undefined;
      const scratch = new Float64Array(m.model.nFeatures);
      for (let t = 0; t < m.model.nTrees; t++) {
        const key = `${id}:${at.treeKeys[t]}`;
        const fs = m.features[t];
        let v = m.entries[t].get(key);
        if (!v) {
          shap ??= perTreeShap(m.model, row);
          for (const f of fs) scratch[f] = 0;
          shap(t, scratch);
          v = Float64Array.from(fs, (f) => scratch[f]);
          m.entries[t].set(key, v);
        }
        for (let j = 0; j < fs.length; j++) if (fs[j] < nCols) columns[fs[j]] += v[j] / k;
      }
      expected += expectedValue(m.model) / k;
    }
    const { groups, kinds, colGroup } = columnGroups(learner);
    const values = new Float64Array(groups.length);
    for (let c = 0; c < nCols; c++) values[colGroup[c]] += columns[c];
    return { groups, kinds, values, expected, nRows: 1 };
  }

  private configId(cfg: Configuration): number {
    const key = JSON.stringify([cfg.model, cfg.hyperparameters]);
    let id = this.configIds.get(key);
    if (id === undefined) this.configIds.set(key, (id = this.nextId++));
    return id;
  }
}
