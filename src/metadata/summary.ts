/** What `hporec data inspect` reports about a meta-dataset: counts, outcome distribution, space, missing values. */
import { spaceOf } from "./load.ts";
import type { ImportedHistory } from "./importers/types.ts";
import type { Hyperparameter, MetaDataset } from "./schema.ts";
import { countBy, median } from "../util/stats.ts";

export interface DatasetSummary {
  id: string;
  domain?: string;
  modality?: string;
  runs: number;
  /** Best and median of the runs' best outcome (by the metric's direction). */
  best: number;
  median: number;
  metaFeatures: Record<string, number>;
}

export interface HyperparameterSummary {
  name: string;
  spec: Hyperparameter;
  /** Runs whose search space has it (all runs unless there are several spaces). */
  applicable: number;
  /** Applicable runs where the value is null/absent (inactive conditional or not recorded). */
  missing: number;
}

export interface MetaDatasetSummary {
  name: string;
  format: string;
  kind: string;
  metric: MetaDataset["metric"];
  counts: { datasets: number; runs: number; models: number; hyperparameters: number; searchSpaces?: number };
  datasets: DatasetSummary[];
  models: { name: string; runs: number }[];
  hyperparameters: HyperparameterSummary[];
  /** Runs with missing cost or curve. */
  missing: { cost: number; curve: number };
  /** What the import kept apart: failures and skipped rows, per reason (saved and tracker meta-datasets). */
  import?: { rows?: number; imported: number; failures: Record<string, number>; skipped: Record<string, number> };
  notes: string[];
}

export function summarize(md: MetaDataset, history?: Omit<ImportedHistory, "metaDataset">): MetaDatasetSummary {
  const byDataset = new Map<string, number[]>();
  for (const r of md.runs) {
    if (!byDataset.has(r.datasetId)) byDataset.set(r.datasetId, []);
    byDataset.get(r.datasetId)!.push(r.outcome.best);
  }
  const sign = md.metric.direction === "max" ? 1 : -1;
  const modelRuns = new Map<string, number>();
  for (const r of md.runs) modelRuns.set(r.model, (modelRuns.get(r.model) ?? 0) + 1);
  const names = new Set([...Object.keys(md.searchSpace.hyperparameters)]);
  for (const s of Object.values(md.searchSpaces ?? {})) for (const k of Object.keys(s.hyperparameters)) names.add(k);
  const hyperparameters = [...names].sort().map((name) => {
    const runs = md.runs.filter((r) => name in spaceOf(md, r).hyperparameters);
    return {
      name,
      spec: md.searchSpace.hyperparameters[name] ?? Object.values(md.searchSpaces ?? {}).find((s) => s.hyperparameters[name])!.hyperparameters[name],
      applicable: runs.length,
      missing: runs.filter((r) => r.hyperparameters[name] === null || r.hyperparameters[name] === undefined).length,
    };
  });
  return {
    name: md.name,
    format: md.format,
    kind: md.kind,
    metric: md.metric,
    counts: {
      datasets: md.datasets.length,
      runs: md.runs.length,
      models: md.models.length,
      hyperparameters: names.size,
      ...(md.searchSpaces ? { searchSpaces: Object.keys(md.searchSpaces).length } : {}),
    },
    datasets: md.datasets.map((d) => {
      const ys = (byDataset.get(d.id) ?? []).slice().sort((a, b) => sign * (b - a));
      return { id: d.id, domain: d.domain, modality: d.modality, runs: ys.length, best: ys[0] ?? NaN, median: ys.length ? median(ys) : NaN, metaFeatures: d.metaFeatures };
    }),
    models: [...modelRuns].map(([name, runs]) => ({ name, runs })).sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name)),
    hyperparameters,
    missing: { cost: md.runs.filter((r) => r.cost.totalSeconds === undefined).length, curve: md.runs.filter((r) => !r.outcome.curve).length },
    ...(history && (history.report || history.failures.length)
      ? { import: { rows: history.report?.rows, imported: md.runs.length, failures: countBy(history.failures.map((f) => f.reason)), skipped: history.report?.skipped ?? {} } }
      : {}),
    notes: md.notes ?? [],
  };
}

