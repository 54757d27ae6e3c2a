/**
 * Distances between configurations, for the study's local model (results near a told one resemble it),
 * failure rules and diversity. Hyperparameters are encoded as the meta-learner encodes them (log where the space
 * is log, one-hot categoricals) and standardised by their spread over a reference set (the candidate pool), so
 * a learning rate and a patience in epochs weigh alike. Configurations of different models are infinitely far.
 */
import type { Configuration, FeatureEncoder } from "../learner/features.ts";

/** One hyperparameter adds at most this much (a rare category's one-hot would otherwise dominate). */
const MAX_TERM = 4;

export interface Point {
  model: string;
  x: Float32Array;
}

export class ConfigGeometry {
  private readonly hpCols: number[];
  private readonly scale: Float64Array;

  constructor(
    private readonly encoder: FeatureEncoder,
    reference: readonly Configuration[],
  ) {
    this.hpCols = encoder.map.columns.flatMap((c, j) => (c.kind === "hp" ? [j] : []));
    const h = this.hpCols.length;
    const xs = this.rows(reference);
    this.scale = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let n = 0;
      let s = 0;
      let s2 = 0;
      for (const x of xs) {
        const v = x[j];
        if (v !== v) continue;
        n++;
        s += v;
        s2 += v * v;
      }
      const sd = n > 1 ? Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2)) : 0;
      this.scale[j] = sd > 1e-9 ? 1 / sd : 0;
    }
  }

  points(configs: readonly Configuration[]): Point[] {
    const xs = this.rows(configs);
    return configs.map((c, i) => ({ model: c.model, x: xs[i] }));
  }

  /**
   * Mean squared standardised difference over the hyperparameters (a missing value against a present one counts
   * 1, two missing 0); Infinity across models. Two random configurations of one model are about 2 apart.
   */
  distance(a: Point, b: Point): number {
    if (a.model !== b.model) return Infinity;
    const h = this.hpCols.length;
    if (h === 0) return 0;
    let d = 0;
    for (let j = 0; j < h; j++) {
      const u = a.x[j];
      const v = b.x[j];
      const um = u !== u;
      const vm = v !== v;
      d += um && vm ? 0 : um || vm ? 1 : Math.min(MAX_TERM, ((u - v) * this.scale[j]) ** 2);
    }
    return d / h;
  }

  private rows(configs: readonly Configuration[]): Float32Array[] {
    const n = this.encoder.nCols;
    const all = this.encoder.encodeForDataset({ metaFeatures: {} }, configs as Configuration[]);
    return configs.map((_, i) => Float32Array.from(this.hpCols, (col) => all[i * n + col]));
  }
}
