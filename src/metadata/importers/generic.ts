/**
 * Bring-your-own history: a CSV or JSONL of runs plus a small mapping file (JSON or YAML) saying which
 * columns are what. Works for Optuna `study.trials_dataframe()` CSVs (params_* columns, value, state) and
 * MLflow run exports (params.*, metrics.* columns). Example mapping (hporec-mapping.yaml):
 *
 *   file: runs.csv
 *   dataset: dataset            # column with the dataset id
 *   model: model                # column; omit for a single-model history (model "default")
 *   metaFeatures: [n_samples, n_classes]        # or {n_samples: rows, n_classes: classes}
 *   hyperparameters: {prefix: "params_"}        # or a list of columns
 *   metric: {column: value, name: accuracy, direction: max, final: final_value}
 *   cost: duration_seconds
 *
 * Rows whose metric cell is empty (failed or pruned trials) are skipped and counted in the notes.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../../util/errors.ts";
import { formatZodError } from "../../util/zod-format.ts";
import { parseCell, readCsv, readJsonOrYaml, readText, requireNumber } from "../io.ts";
import { deriveMetaFeatures } from "../meta-features.ts";
import { Direction, type Dataset, type HpValue, type MetaFeatures, type Run } from "../schema.ts";
import { inferSearchSpace } from "../search-space.ts";
import type { Importer } from "./types.ts";

export const MAPPING_FILES = ["hporec-mapping.yaml", "hporec-mapping.yml", "hporec-mapping.json", "mapping.yaml", "mapping.yml", "mapping.json"];

export const Mapping = z.object({
  name: z.string().optional(),
  /** Runs file, relative to the mapping file; .csv, .tsv or .jsonl (or set `format`). */
  file: z.string(),
  format: z.enum(["csv", "tsv", "jsonl"]).optional(),
  runId: z.string().optional(),
  dataset: z.string(),
  model: z.string().optional(),
  metaFeatures: z.union([z.array(z.string()), z.record(z.string(), z.string())]).default([]),
  domain: z.string().optional(),
  modality: z.string().optional(),
  hyperparameters: z.union([z.array(z.string()).min(1), z.object({ prefix: z.string().min(1) })]),
  metric: z.object({ column: z.string(), name: z.string().optional(), direction: Direction, final: z.string().optional() }),
  /** Column with the run's training cost in seconds. */
  cost: z.string().optional(),
  /** Column with the run state (Optuna COMPLETE/PRUNED/FAIL, MLflow FINISHED/FAILED/KILLED). */
  status: z.string().optional(),
});
export type Mapping = z.infer<typeof Mapping>;

type Row = { get(key: string): unknown; where: string };

export const generic: Importer = {
  format: "generic",
  description: "CSV/TSV/JSONL of runs + a mapping file (hporec-mapping.yaml|json, or pass the mapping file itself)",
  detect: (dir) => mappingFile(dir) !== undefined,
  load(dir) {
    const file = mappingFile(dir);
    if (!file) throw new InputError("no mapping file", dir, `add one of ${MAPPING_FILES.join(", ")} describing the columns`);
    const parsed = Mapping.safeParse(readJsonOrYaml(file, "mapping file"));
    if (!parsed.success) throw new InputError(`invalid mapping:\n${formatZodError(parsed.error)}`, file, "see the example mapping in `hporec data inspect --help`");
    const map = parsed.data;
    const runsFile = path.resolve(path.dirname(file), map.file);
    const { rows, columns } = readRows(runsFile, map.format ?? formatOf(runsFile));

    const hpNames = Array.isArray(map.hyperparameters)
      ? map.hyperparameters
      : columns.filter((c) => c.startsWith((map.hyperparameters as { prefix: string }).prefix) && c !== map.model);
    const strip = (c: string) => (Array.isArray(map.hyperparameters) ? c : c.slice(map.hyperparameters.prefix.length));
    const mfPairs: [string, string][] = Array.isArray(map.metaFeatures) ? map.metaFeatures.map((c) => [c, c]) : Object.entries(map.metaFeatures);
    const required = [map.dataset, map.metric.column, ...hpNames, ...mfPairs.map(([, c]) => c), map.model, map.cost, map.runId, map.metric.final, map.status, map.domain, map.modality];
    for (const c of required) {
      if (c !== undefined && columns.length && !columns.includes(c)) {
        throw new InputError(`the mapping names column ${JSON.stringify(c)}, which ${path.basename(runsFile)} does not have`, file, `use one of: ${columns.join(", ")}`);
      }
    }

    const runs: Run[] = [];
    const datasets = new Map<string, { d: Dataset; where: string }>();
    let skipped = 0;
    rows.forEach((row, i) => {
      const metricCell = row.get(map.metric.column);
      if (metricCell === "" || metricCell === null || metricCell === undefined) return void skipped++;
      const best = requireNumber(metricCell, `${row.where}, column ${JSON.stringify(map.metric.column)}`, map.metric.name ?? map.metric.column);
      const datasetId = String(row.get(map.dataset) ?? "");
      if (!datasetId) throw new InputError(`empty dataset id in column ${JSON.stringify(map.dataset)}`, row.where, "every run needs the id of the dataset it ran on");
      const mf: MetaFeatures = {};
      for (const [name, col] of mfPairs) mf[name] = requireNumber(row.get(col), `${row.where}, column ${JSON.stringify(col)}`, name);
      const d: Dataset = {
        id: datasetId,
        name: datasetId,
        metaFeatures: withDerived(mf),
        ...(map.domain ? { domain: String(row.get(map.domain)) } : {}),
        ...(map.modality ? { modality: String(row.get(map.modality)) } : {}),
        source: path.basename(runsFile),
      };
      const prev = datasets.get(datasetId);
      if (prev && JSON.stringify(prev.d) !== JSON.stringify(d)) {
        throw new InputError(`meta-features of dataset ${datasetId} differ from ${prev.where}`, row.where, "every run of one dataset must carry the same meta-features, domain and modality");
      }
      if (!prev) datasets.set(datasetId, { d, where: row.where });
      const hyperparameters: Record<string, HpValue> = {};
      for (const c of hpNames) hyperparameters[strip(c)] = cellValue(row.get(c));
      const final = map.metric.final ? requireNumber(row.get(map.metric.final), `${row.where}, column ${JSON.stringify(map.metric.final)}`, "final metric") : best;
      const cost = map.cost ? requireNumber(row.get(map.cost), `${row.where}, column ${JSON.stringify(map.cost)}`, "cost in seconds") : undefined;
      runs.push({
        id: map.runId ? String(row.get(map.runId)) : String(i + 1),
        datasetId,
        model: map.model ? String(row.get(map.model) ?? "") || "default" : "default",
        hyperparameters,
        outcome: { best, final },
        cost: cost === undefined ? {} : { totalSeconds: cost },
        status: map.status ? status(String(row.get(map.status))) : "unknown",
      });
    });
    if (!runs.length) throw new InputError(`no run with a value in column ${JSON.stringify(map.metric.column)}`, runsFile, "check metric.column in the mapping");
    return {
      name: map.name ?? path.basename(path.dirname(runsFile)),
      format: "generic",
      kind: "table",
      metric: { name: map.metric.name ?? map.metric.column, direction: map.metric.direction },
      datasets: [...datasets.values()].map((x) => x.d),
      runs,
      models: [...new Set(runs.map((r) => r.model))].sort(),
      searchSpace: inferSearchSpace(runs),
      notes: skipped ? [`${skipped} rows without a value in ${JSON.stringify(map.metric.column)} skipped (failed or pruned runs)`] : undefined,
    };
  },
};

/** The mapping file: `dir` itself when it is a file, else the first known mapping name inside it. */
export function mappingFile(dir: string): string | undefined {
  if (existsSync(dir) && statSync(dir).isFile()) return /\.(ya?ml|json)$/i.test(dir) ? dir : undefined;
  return MAPPING_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}

function formatOf(file: string): "csv" | "tsv" | "jsonl" {
  if (/\.jsonl$/i.test(file)) return "jsonl";
  return /\.tsv$/i.test(file) ? "tsv" : "csv";
}

function readRows(file: string, format: "csv" | "tsv" | "jsonl"): { rows: Row[]; columns: string[] } {
  if (format !== "jsonl") {
    const t = readCsv(file, "runs file", format === "tsv" ? "\t" : ",");
    const index = new Map(t.header.map((h, i) => [h, i]));
    return {
      columns: t.header,
      rows: t.rows.map((r, i) => ({ get: (k: string) => (index.has(k) ? r[index.get(k)!] : undefined), where: `${file}:${t.lines[i]}` })),
    };
  }
  const rows: Row[] = [];
  const columns = new Set<string>();
  readText(file, "runs file").split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new InputError(`invalid JSON: ${(e as Error).message}`, `${file}:${i + 1}`, "each line must be one JSON object");
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) throw new InputError("line is not a JSON object", `${file}:${i + 1}`, "each line must be one JSON object");
    flatten(obj, "", columns);
    rows.push({ get: (k) => lookup(obj, k), where: `${file}:${i + 1}` });
  });
  return { rows, columns: [...columns] };
}

/** Column names of a JSONL object: its keys, nested ones as dotted paths ("params.lr"). */
function flatten(obj: Record<string, unknown>, prefix: string, out: Set<string>): void {
  for (const [k, v] of Object.entries(obj)) {
    out.add(prefix + k);
    if (v && typeof v === "object" && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${prefix}${k}.`, out);
  }
}

function lookup(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  let cur: unknown = obj;
  for (const part of key.split(".")) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

function cellValue(v: unknown): HpValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return parseCell(v);
  if (typeof v === "number" || typeof v === "boolean") return v;
  return JSON.stringify(v);
}

function withDerived(mf: MetaFeatures): MetaFeatures {
  if (mf.n_samples === undefined || mf.n_classes === undefined) return mf;
  return { ...deriveMetaFeatures({ n_samples: mf.n_samples, n_classes: mf.n_classes }), ...mf };
}

function status(s: string): Run["status"] {
  const v = s.toUpperCase();
  if (["COMPLETE", "COMPLETED", "FINISHED"].includes(v)) return "completed";
  if (["PRUNED", "KILLED", "STOPPED"].includes(v)) return "stopped";
  if (["FAIL", "FAILED", "DIVERGED"].includes(v)) return "diverged";
  return "unknown";
}
