/**
 * The full coalition table of a sample game on boosted trees without predicting 2^|D| rows per sample.
 * Specialised to the baseline (see specialise.ts), a tree splits only on the columns of a few players P_t, so
 * its value for coalition T depends on T ∩ P_t alone. Trees with the same P_t form a group whose values for
 * every T ⊆ P_t ∩ D(z) are gathered in one walk per tree that branches only where z and the baseline go
 * different ways; then f(T) = bias + Σ_groups local[T ∩ P_t]. Where row prediction walks each tree 2^|D(z)|
 * times, this walks the few paths that differ and adds.
 * Exact for identity links (the packs' "reg:linear" models), where the ensemble mean is a sum of leaves.
 */
import type { TreeModel } from "../../learner/trees.ts";
import type { Player, SubsetValues } from "./hpo-games.ts";
import { specialiseTrees } from "./specialise.ts";

interface TreeGroup {
  mask: number;
  /** Roots (node indices) of the group's trees in the specialised model `model`. */
  trees: { model: number; root: number }[];
}

/** undefined when a model's link is not the identity (then the game predicts rows instead). */
export function treeSubsetValues(
  models: readonly TreeModel[],
  players: readonly Player[],
  baseline: Float32Array,
  samples: Float32Array,
  nCols: number,
): SubsetValues | undefined {
  if (models.some((m) => m.objective !== "reg:linear")) return undefined;
  const owner = new Int32Array(nCols).fill(-1);
  players.forEach((p, i) => p.columns.forEach((c) => (owner[c] = i)));
  const free = new Set(players.flatMap((p) => p.columns));
  const special = models.map((m) => specialiseTrees(m, baseline, free));
  const scale = 1 / models.length;

  const groups = new Map<number, TreeGroup>();
  special.forEach((m, k) => {
    for (let t = 0; t < m.nTrees; t++) {
      let mask = 0;
      for (let n = m.treeStart[t]; n < m.treeStart[t + 1]; n++) if (m.left[n] >= 0) mask |= 1 << owner[m.feature[n]];
      const g = groups.get(mask) ?? { mask, trees: [] };
      g.trees.push({ model: k, root: m.treeStart[t] });
      groups.set(mask, g);
    }
  });
  const list = [...groups.values()];
  const scratch = new Float64Array(2 ** players.length);
  const bias = special.reduce((s, m) => s + m.baseScore, 0) * scale;

  /** Next node from split n for value x (the rule of predictTrees). */
  const next = (m: TreeModel, n: number, x: number): number =>
    x < m.threshold[n] ? m.left[n] : Number.isNaN(x) && m.defaultLeft[n] ? m.left[n] : m.right[n];

  /**
   * Adds tree (m, n)'s value, for every U ⊆ E, to scratch[U]. A split on player p sends z's and the
   * baseline's value the same way (no branching) or apart: then both sides are followed, one for the U
   * containing p (`inn`), one for those without it (`out`). A leaf adds to the U consistent with both sets.
   */
  const walk = (m: TreeModel, n: number, inn: number, out: number, E: number, zOff: number): void => {
    while (m.left[n] >= 0) {
      const c = m.feature[n];
      const bit = 1 << owner[c];
      const viaB = next(m, n, baseline[c]);
      if (out & bit || !(E & bit)) {
        n = viaB;
        continue;
      }
      const viaZ = next(m, n, samples[zOff + c]);
      if (inn & bit || viaZ === viaB) n = viaZ;
      else {
        walk(m, viaZ, inn | bit, out, E, zOff);
        out |= bit;
        n = viaB;
      }
    }
    const v = m.value[n] * scale;
    const rest = E & ~inn & ~out;
    for (let V = rest; ; V = (V - 1) & rest) {
      scratch[inn | V] += v;
      if (V === 0) break;
    }
  };

  return (z, D, out) => {
    const zOff = z * nCols;
    for (let T = D; T !== 0; T = (T - 1) & D) out[T] = 0;
    // Groups z does not touch add the same to every T.
    let constant = bias;
    for (const g of list) {
      const E = g.mask & D;
      for (let U = E; ; U = (U - 1) & E) {
        scratch[U] = 0;
        if (U === 0) break;
      }
      for (const { model, root } of g.trees) walk(special[model], root, 0, 0, E, zOff);
      if (E === 0) constant += scratch[0];
      else for (let T = D; T !== 0; T = (T - 1) & D) out[T] += scratch[T & E];
    }
    for (let T = D; T !== 0; T = (T - 1) & D) out[T] += constant;
  };
}
