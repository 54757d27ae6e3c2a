/**
 * The full-length head's data. In Quick-Tune's meta-dataset a third of the runs stopped after one epoch (all the
 * linear-probing ones among them): an outcome model learns "how far did this run get" as much as "how good is
 * this configuration" (docs/eval-experiments.md, "What the runs stopped early teach the trees"). This head sees
 * every run at several training lengths — the best value of its curve after 1, 3, 10 and 25 epochs and at its
 * end — with the length as one more column, and scores a candidate as if trained to the past runs' full length.
 */
import type { MetaDataset, Run } from "../metadata/schema.ts";
import { ranksWithinGroups } from "./targets.ts";

/** Training lengths (epochs) at which a run's curve is read, besides its end. */
export const LENGTH_BUDGETS = [1, 3, 10, 25] as const;

/** A run's training length: its curve's, else its recorded epochs. */
function lengthOf(r: Run): number | undefined {
  return r.outcome.curve?.length || r.epochs || undefined;
}

/** The length candidates are scored at: the longest past run (1 when none says). */
export function fullLength(md: MetaDataset): number {
  return md.runs.reduce((m, r) => Math.max(m, lengthOf(r) ?? 0), 0) || 1;
}

/** The head's extra column: log10 epochs, as the encoder writes counts. */
const lengthColumn = (epochs: number) => Math.log10(Math.max(epochs, 1));

/** One row per (run, length): which run, after how many epochs, and its dataset-rank target in [0, 1]. */
export interface LengthRow {
  run: number;
  epochs: number;
  target: number;
}

/**
 * Each run at each budget its curve reaches (and at its end); a run without a curve once, at its length or the
 * full one. Targets are ranks within the dataset over all its rows, so a run stopped after one epoch is compared
 * with every run's first epoch as well as with finished runs.
 */
export function lengthRows(md: MetaDataset): LengthRow[] {
  const sign = md.metric.direction === "max" ? 1 : -1;
  const full = fullLength(md);
  const rows: { run: number; epochs: number; value: number; dataset: string }[] = [];
  md.runs.forEach((r, i) => {
    const curve = r.outcome.curve;
    const add = (epochs: number, value: number) => rows.push({ run: i, epochs, value: sign * value, dataset: r.datasetId });
    if (!curve?.length) {
      add(lengthOf(r) ?? full, r.outcome.best);
      return;
    }
    const best = (n: number) => curve.slice(0, n).reduce((a, b) => (sign * b > sign * a ? b : a));
    for (const b of LENGTH_BUDGETS) if (b < curve.length) add(b, best(b));
    add(curve.length, best(curve.length));
  });
  const targets = ranksWithinGroups(rows.map((r) => r.value), rows.map((r) => r.dataset));
  return rows.map(({ run, epochs }, k) => ({ run, epochs, target: targets[k] }));
}

/** Candidate rows of `nCols` columns widened by the length column, all at `epochs` (the head's input). */
export function withLengthColumn(rows: Float32Array, nRows: number, nCols: number, epochs: number): Float32Array {
  const value = lengthColumn(epochs);
  return widen(rows, nCols, nRows, (k) => k, () => value);
}

/** The head's training matrix: each length row is its run's encoded row, widened by its length. */
export function lengthTrainingRows(rows: Float32Array, nCols: number, at: readonly LengthRow[]): Float32Array {
  return widen(rows, nCols, at.length, (k) => at[k].run, (k) => lengthColumn(at[k].epochs));
}

function widen(rows: Float32Array, nCols: number, n: number, source: (k: number) => number, length: (k: number) => number): Float32Array {
  const out = new Float32Array(n * (nCols + 1));
  for (let k = 0; k < n; k++) {
    const r = source(k);
    out.set(rows.subarray(r * nCols, (r + 1) * nCols), k * (nCols + 1));
    out[k * (nCols + 1) + nCols] = length(k);
  }
  return out;
}
