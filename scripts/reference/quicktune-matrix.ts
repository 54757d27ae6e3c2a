/**
 * A Quick-Tune-shaped numeric matrix straight from the raw files (no metadata layer), for learner tests and
 * benchmarks: one row per (dataset, configuration) run = the configuration's numeric columns of configs.csv
 * (one-hots, -1 = inactive kept as is) + log10 of the dataset's 4 meta-descriptors; target = best top-1
 * accuracy along the run's curve / 100; cost = log10 of the run's total seconds.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface QuickTuneMatrix {
  rows: Float32Array;
  nRows: number;
  nCols: number;
  columns: string[];
  y: number[];
  cost: number[];
}

export function quickTuneMatrix(dir: string): QuickTuneMatrix {
  const [header, ...lines] = readFileSync(path.join(dir, "configs.csv"), "utf8").trim().split("\n");
  const configs = new Map(lines.map((l) => {
    const cells = l.split(",");
    return [cells[0], cells.slice(1).map(Number)] as const;
  }));
  const meta: Record<string, number[]> = JSON.parse(readFileSync(path.join(dir, "meta_descriptors.json"), "utf8"));
  const perf: Record<string, Record<string, number[]>> = JSON.parse(readFileSync(path.join(dir, "curves_perf_top1.json"), "utf8"));
  const cost: Record<string, Record<string, number[]>> = JSON.parse(readFileSync(path.join(dir, "curves_cost_seconds.json"), "utf8"));
  // Header names may be quoted and contain commas ("cat:opt_betas:[0.9, 0.999]"); data cells are plain.
  const names = [...header.matchAll(/"([^"]*)"|([^,]*)/g)].filter((m) => m.index === 0 || header[m.index - 1] === ",");
  const columns = [...names.slice(1).map((m) => m[1] ?? m[2]), "n_samples", "n_classes", "resolution", "channels"];
  const nCols = columns.length;
  const out: number[][] = [];
  const y: number[] = [];
  const seconds: number[] = [];
  for (const [ds, runs] of Object.entries(perf).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [id, curve] of Object.entries(runs)) {
      const cfg = configs.get(id);
      if (!cfg || !meta[ds] || curve.length === 0) continue;
      out.push([...cfg, ...meta[ds].map((v) => Math.log10(v))]);
      y.push(Math.max(...curve) / 100);
      const c = cost[ds]?.[id] ?? [];
      seconds.push(Math.log10(Math.max(c.reduce((a, b) => a + b, 0), 1e-3)));
    }
  }
  const rows = new Float32Array(out.length * nCols);
  out.forEach((r, i) => rows.set(r, i * nCols));
  return { rows, nRows: out.length, nCols, columns, y, cost: seconds };
}
