/**
 * HyperSHAP games on the meta-learner (Wever et al., 2025). Players own feature columns of the encoded rows;
 * a coalition S builds rows that take S's columns from a sample configuration z and every other column from
 * the baseline row b. Columns no player owns (the dataset's meta-features, hyperparameters left out of the
 * game) therefore always stay at the baseline.
 *   ablation      : one sample, the configuration of interest;      v(S) = f(row)
 *   tunability    : a fixed seeded sample of configurations;        v(S) = max over the sample
 *   mistunability :                                                 v(S) = min
 *   sensitivity   :                                                 v(S) = variance
 * v(empty) is the baseline's value (its variance: 0).
 *
 * Cost is dominated by the predictor. The row for (S, z) depends only on S ∩ D(z), where D(z) is the set of
 * players whose columns differ between z and b, so the full table predicts each z only on the non-empty
 * subsets of D(z): with categorical or boolean hyperparameters (often equal to the baseline's value) this
 * removes a large share of rows, and the all-baseline row is predicted once in total.
 */
import { membersToMask, popcount, tabulate, type Game } from "./game.ts";

export type Predictor = (rows: Float32Array, nRows: number) => Float64Array;

export interface Player {
  name: string;
  /** Feature columns this player sets (a one-hot categorical spans several; a group spans several hyperparameters). */
  columns: number[];
}

export interface RowGameInput {
  predict: Predictor;
  /** Columns per encoded row. */
  nCols: number;
  players: Player[];
  /** The baseline row: the configuration every coalition starts from, with the dataset's meta-features. */
  baseline: Float32Array;
}

export type SampleStatistic = "max" | "min" | "variance" | "mean";

/**
 * A faster way to the full table than predicting rows: fills out[T] = f(T's players from sample z, the rest
 * from the baseline) for every non-empty T ⊆ D, with D the bitmask of players whose columns z changes
 * (e.g. `treeSubsetValues`, which evaluates each tree only on the players it splits on).
 */
export type SubsetValues = (z: number, D: number, out: Float64Array) => void;

export interface SampleGameInput extends RowGameInput {
  /** nSamples rows of nCols, row-major: configurations sampled from the search space, encoded for the dataset. */
  samples: Float32Array;
  statistic: SampleStatistic;
  /** Treat the baseline as one more sample, which makes max/min games monotone (v(S) >= v(empty) for max). */
  includeBaseline?: boolean;
  /** Used by `table()` instead of row predictions when given; must agree with `predict`. */
  subsetValues?: SubsetValues;
}

/** HyperSHAP's default sample size for the tunability-type games; the caller samples and encodes them. */
export const DEFAULT_SAMPLE_SIZE = 10_000;

/** Rows per predictor call: ~4.6 MB of float32 at 70 columns, large enough to amortise any per-call cost. */
const CHUNK_ROWS = 16_384;

/** What the sample games take besides the statistic. */
export type SampleInput = RowGameInput & Pick<SampleGameInput, "samples" | "includeBaseline" | "subsetValues">;

/** Ablation from the baseline to the configuration of interest `target` (e.g. the recommendation). */
export function ablationGame(input: RowGameInput & { target: Float32Array; subsetValues?: SubsetValues }): Game {
  return sampleGame({ ...input, samples: input.target, statistic: "mean" });
}

export function tunabilityGame(input: SampleInput): Game {
  return sampleGame({ ...input, statistic: "max" });
}

/**
 * Tunability as the best value over the subspace of S (HyperSHAP's definition), estimated from the sample more
 * closely: a row with T ⊆ S taken from z and the rest at the baseline is itself a configuration of S's
 * subspace, so v(S) = max over T ⊆ S of the sampled game's v(T). The plain sample estimate ties each player's
 * values to the others' in z and is not monotone (tuning one more hyperparameter can look harmful); this one
 * is, so its Shapley values are >= 0 and v(N) >= v(S). Needs the full table: n <= MAX_TABLE_PLAYERS.
 */
export function subspaceMaxGame(game: Game): Game {
  const n = game.players.length;
  let closed: Float64Array | undefined;
  const table = (): Float64Array => {
    if (closed) return closed;
    closed = Float64Array.from(tabulate(game));
    for (let i = 0; i < n; i++) {
      const bit = 1 << i;
      for (let S = 0; S < closed.length; S++) if (S & bit && closed[S ^ bit] > closed[S]) closed[S] = closed[S ^ bit];
    }
    return closed;
  };
  return {
    players: game.players,
    table,
    evaluate: (members, k) => {
      const t = table();
      return Float64Array.from({ length: k }, (_, c) => t[membersToMask(members, c * n, n)]);
    },
  };
}

export function mistunabilityGame(input: SampleInput): Game {
  return sampleGame({ ...input, statistic: "min" });
}

export function sensitivityGame(input: SampleInput): Game {
  return sampleGame({ ...input, statistic: "variance" });
}

/** The general form: v(S) = statistic over z in the sample of f(S's columns from z, the rest from the baseline). */
export function sampleGame(input: SampleGameInput): Game {
  return new SampleGame(input);
}

/**
 * Running statistic of many predictions per coalition. Sums are taken of values shifted by f(b), which avoids
 * cancellation in the variance; max and min keep the raw predictions, so v(N) is exactly a predicted value.
 */
class Accumulator {
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(
    private readonly statistic: SampleStatistic,
    size: number,
    private readonly shift: number,
  ) {
    this.a = new Float64Array(size).fill(statistic === "max" ? -Infinity : statistic === "min" ? Infinity : 0);
    this.b = new Float64Array(statistic === "variance" ? size : 0);
  }

  add(i: number, x: number): void {
    if (this.statistic === "max") this.a[i] = Math.max(this.a[i], x);
    else if (this.statistic === "min") this.a[i] = Math.min(this.a[i], x);
    else {
      const d = x - this.shift;
      this.a[i] += d;
      if (this.statistic === "variance") this.b[i] += d * d;
    }
  }

  result(count: number): Float64Array {
    const out = new Float64Array(this.a.length);
    for (let i = 0; i < out.length; i++) {
      if (this.statistic === "max" || this.statistic === "min") out[i] = this.a[i];
      else if (this.statistic === "mean") out[i] = this.a[i] / count + this.shift;
      else out[i] = Math.max(0, this.b[i] / count - (this.a[i] / count) ** 2);
    }
    return out;
  }
}

class SampleGame implements Game {
  readonly players: readonly string[];
  private readonly n: number;
  private readonly nCols: number;
  private readonly m: number;
  /** differs[z * n + p] = 1 when sample z's columns of player p differ from the baseline's. */
  private readonly differs: Uint8Array;
  private baseValue: number | undefined;

  constructor(private readonly input: SampleGameInput) {
    const { nCols, players, baseline, samples } = input;
    if (!players.length) throw new RangeError("a game needs at least one player");
    if (baseline.length !== nCols) throw new RangeError(`baseline has ${baseline.length} columns, expected ${nCols}`);
    if (samples.length === 0 || samples.length % nCols !== 0) {
      throw new RangeError(`samples must be a non-empty multiple of ${nCols} columns, got ${samples.length} values`);
    }
    const owner = new Map<number, string>();
    for (const p of players) {
      if (!p.columns.length) throw new RangeError(`player ${p.name} owns no columns`);
      for (const c of p.columns) {
        if (!Number.isInteger(c) || c < 0 || c >= nCols) throw new RangeError(`player ${p.name}: column ${c} out of range`);
        const other = owner.get(c);
        if (other !== undefined) throw new RangeError(`column ${c} belongs to both ${other} and ${p.name}`);
        owner.set(c, p.name);
      }
    }
    this.players = players.map((p) => p.name);
    this.n = players.length;
    this.nCols = nCols;
    this.m = samples.length / nCols;
    this.differs = new Uint8Array(this.m * this.n);
    for (let z = 0; z < this.m; z++) {
      players.forEach((p, i) => {
        this.differs[z * this.n + i] = p.columns.some((c) => !sameValue(samples[z * nCols + c], baseline[c])) ? 1 : 0;
      });
    }
  }

  private base(): number {
    this.baseValue ??= this.input.predict(this.input.baseline, 1)[0];
    return this.baseValue;
  }

  /** Samples counted in the statistic (the baseline counts once more when included). */
  private get count(): number {
    return this.m + (this.input.includeBaseline ? 1 : 0);
  }

  /** Writes the row for sample z with the columns of the players flagged in `take` taken from z. */
  private writeRow(out: Float32Array, row: number, z: number, take: Uint8Array): void {
    const { baseline, samples, players } = this.input;
    const off = row * this.nCols;
    const zOff = z * this.nCols;
    out.set(baseline, off);
    for (let p = 0; p < this.n; p++) {
      if (take[p]) for (const c of players[p].columns) out[off + c] = samples[zOff + c];
    }
  }

  evaluate(members: Uint8Array, k: number): Float64Array {
    const { n, m } = this;
    const fb = this.base();
    const acc = new Accumulator(this.input.statistic, k, fb);
    const rows = new Float32Array(CHUNK_ROWS * this.nCols);
    const owners = new Int32Array(CHUNK_ROWS);
    const take = new Uint8Array(n);
    let filled = 0;
    const flush = (): void => {
      if (!filled) return;
      const pred = this.input.predict(rows.subarray(0, filled * this.nCols), filled);
      for (let r = 0; r < filled; r++) acc.add(owners[r], pred[r]);
      filled = 0;
    };
    for (let c = 0; c < k; c++) {
      if (this.input.includeBaseline) acc.add(c, fb);
      for (let z = 0; z < m; z++) {
        // Only players in S that z actually changes matter; none means the baseline row.
        let any = 0;
        for (let p = 0; p < n; p++) any |= take[p] = members[c * n + p] & this.differs[z * n + p];
        if (!any) {
          acc.add(c, fb);
          continue;
        }
        this.writeRow(rows, filled, z, take);
        owners[filled++] = c;
        if (filled === CHUNK_ROWS) flush();
      }
    }
    flush();
    return acc.result(this.count);
  }

  table(): Float64Array {
    const { n, m } = this;
    const size = 2 ** n;
    const fb = this.base();
    const acc = new Accumulator(this.input.statistic, size, fb);
    const diffMask = new Int32Array(m);
    for (let z = 0; z < m; z++) {
      for (let p = 0; p < n; p++) if (this.differs[z * n + p]) diffMask[z] |= 1 << p;
    }
    const local = new Float64Array(size); // local[T] = f(T, z) for T ⊆ D(z)

    /** Adds sample z, whose predictions for the non-empty subsets of D(z) (ascending) start at pred[start]. */
    const scatter = (z: number, pred: Float64Array | undefined, start: number): void => {
      const D = diffMask[z];
      let r = start;
      for (let T = D & -D; T !== 0; T = (T - D) & D) local[T] = pred![r++];
      scatterLocal(z);
    };
    /** Adds sample z to every coalition S, whose row is the one of S ∩ D(z), given local[T] for T ⊆ D(z). */
    const scatterLocal = (z: number): void => {
      const D = diffMask[z];
      local[0] = fb;
      if (D === 0) for (let S = 0; S < size; S++) acc.add(S, fb);
      else for (let S = 0; S < size; S++) acc.add(S, local[S & D]);
    };

    if (this.input.subsetValues) {
      for (let z = 0; z < m; z++) {
        if (diffMask[z]) this.input.subsetValues(z, diffMask[z], local);
        scatterLocal(z);
      }
      if (this.input.includeBaseline) for (let S = 0; S < size; S++) acc.add(S, fb);
      return acc.result(this.count);
    }

    const chunk = Math.max(CHUNK_ROWS, size);
    const rows = new Float32Array(chunk * this.nCols);
    const take = new Uint8Array(n);
    let filled = 0;
    let pending: number[] = [];
    const flush = (): void => {
      const pred = filled ? this.input.predict(rows.subarray(0, filled * this.nCols), filled) : undefined;
      let start = 0;
      for (const z of pending) {
        scatter(z, pred, start);
        start += 2 ** popcount(diffMask[z]) - 1;
      }
      filled = 0;
      pending = [];
    };
    for (let z = 0; z < m; z++) {
      const D = diffMask[z];
      const need = 2 ** popcount(D) - 1;
      if (filled + need > chunk) flush();
      // Non-empty subsets of D in ascending order (the standard submask successor), the order scatter reads.
      for (let T = D & -D; T !== 0; T = (T - D) & D) {
        for (let p = 0; p < n; p++) take[p] = (T >>> p) & 1;
        this.writeRow(rows, filled++, z, take);
      }
      pending.push(z);
    }
    flush();
    if (this.input.includeBaseline) for (let S = 0; S < size; S++) acc.add(S, fb);
    return acc.result(this.count);
  }
}

/** Equal as the trees see them: NaN (missing/inactive) equals NaN. */
function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}
