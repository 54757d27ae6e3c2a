/**
 * An MLflow file store (the `mlruns` folder `mlflow.start_run` writes without a tracking server):
 *   mlruns/<experiment id>/meta.yaml                  experiment name, lifecycle_stage
 *   mlruns/<experiment id>/<run id>/meta.yaml         run_name, status (1 RUNNING, 2 SCHEDULED, 3 FINISHED,
 *                                                     4 FAILED, 5 KILLED), start_time/end_time (ms), lifecycle_stage
 *   .../<run id>/params/<key>                         the value as text (keys with "/" are sub-folders)
 *   .../<run id>/metrics/<key>                        one line per logged value: "<timestamp ms> <value> <step>"
 *   .../<run id>/tags/<key>                           the value as text (mlflow.runName, mlflow.user, ...)
 * Each run becomes a row with the columns of `mlflow.search_runs()`: run_id, experiment_id, status, start_time,
 * end_time, params.<key>, metrics.<key> (the latest value: largest step, then timestamp), tags.<key>, plus
 * experiment_name, run_name and duration (seconds). A metric's full history is its curve. Deleted runs and
 * experiments (lifecycle_stage deleted, .trash) are left out, as MLflow's own search does by default.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { InputError } from "../../util/errors.ts";
import type { SourceRow, SourceTable } from "./types.ts";

const STATUS: Record<number, string> = { 1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED" };
/** Folders of an experiment that are not runs (MLflow's RESERVED_EXPERIMENT_FOLDERS). */
const NOT_RUNS = new Set(["tags", "datasets", "traces"]);
const RESERVED = /^(run_id|experiment_id|experiment_name|run_name|status|start_time|end_time|duration|artifact_uri|lifecycle_stage|metrics\..*|tags\.mlflow\..*)$/;

/** True when `dir` is an MLflow file store root (or holds one as mlruns/), or is one experiment of it. */
export function isMlflowStore(dir: string): boolean {
  return experimentDirs(dir).length > 0;
}

export function readMlflow(sources: string[]): SourceTable {
  const rows: SourceRow[] = [];
  const columns = new Set<string>(["run_id", "experiment_id", "experiment_name", "run_name", "status", "start_time", "end_time", "duration"]);
  for (const source of sources) {
    if (!existsSync(source) || !statSync(source).isDirectory()) throw new InputError("MLflow store not found", source, "pass the mlruns folder (or the folder that holds it)");
    const experiments = experimentDirs(source);
    if (!experiments.length) throw new InputError("not an MLflow file store: no experiment folder with a meta.yaml", source, "pass the mlruns folder that mlflow writes runs to (its sub-folders are experiment ids)");
    for (const exp of experiments) {
      const meta = readMeta(path.join(exp, "meta.yaml"));
      if (meta.lifecycle_stage === "deleted") continue;
      const experimentName = String(meta.name ?? path.basename(exp));
      for (const entry of readdirSync(exp).sort()) {
        const runDir = path.join(exp, entry);
        if (NOT_RUNS.has(entry) || entry.startsWith(".") || !statSync(runDir).isDirectory()) continue;
        // A folder without meta.yaml is not a run (MLflow's own search passes over it too).
        if (!existsSync(path.join(runDir, "meta.yaml"))) continue;
        const row = readRun(runDir, String(meta.experiment_id ?? path.basename(exp)), experimentName);
        if (!row) continue;
        row.values.forEach((_, k) => columns.add(k));
        rows.push(row.row);
      }
    }
  }
  const metrics = [...columns].filter((c) => c.startsWith("metrics."));
  const first = sources[0];
  return {
    format: "mlflow",
    name: path.basename(path.resolve(first)) === "mlruns" ? path.basename(path.dirname(path.resolve(first))) : path.basename(path.resolve(first)),
    files: sources,
    columns: [...columns],
    rows,
    defaults: {
      runId: ["run_id"],
      dataset: columns.has("params.dataset") ? "params.dataset" : "experiment_name",
      ...(columns.has("params.model") ? { model: "params.model" } : {}),
      cost: "duration",
      status: "status",
      ...(metrics.length === 1 ? { metric: { column: metrics[0] } } : {}),
      hyperparameterPrefix: "params.",
      reserved: (c) => RESERVED.test(c),
    },
  };
}

/** Experiment folders: sub-folders whose meta.yaml names an experiment (the root, or root/mlruns, or one experiment). */
function experimentDirs(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const isExperiment = (d: string) => {
    const meta = path.join(d, "meta.yaml");
    return existsSync(meta) && /^experiment_id:/m.test(readFileSync(meta, "utf8")) && !/^run_uuid:/m.test(readFileSync(meta, "utf8"));
  };
  if (isExperiment(dir)) return [dir];
  const root = existsSync(path.join(dir, "mlruns")) ? path.join(dir, "mlruns") : dir;
  return readdirSync(root)
    .filter((e) => !e.startsWith(".") && e !== "models")
    .map((e) => path.join(root, e))
    .filter((d) => statSync(d).isDirectory() && isExperiment(d))
    .sort();
}

function readMeta(file: string): Record<string, unknown> {
  try {
    const v = YAML.parse(readFileSync(file, "utf8"));
    if (v && typeof v === "object") return v as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`invalid YAML: ${(e as Error).message.split("\n")[0]}`, file, "MLflow writes meta.yaml itself: restore it from a backup or remove the run folder");
  }
  throw new InputError("meta.yaml is not a YAML mapping", file, "MLflow writes meta.yaml itself: restore it from a backup or remove the run folder");
}

function readRun(dir: string, experimentId: string, experimentName: string): { row: SourceRow; values: Map<string, unknown> } | undefined {
  const meta = readMeta(path.join(dir, "meta.yaml"));
  if (meta.lifecycle_stage === "deleted") return undefined;
  const values = new Map<string, unknown>();
  const status = typeof meta.status === "number" ? STATUS[meta.status] ?? String(meta.status) : String(meta.status ?? "RUNNING");
  const start = Number(meta.start_time);
  const end = meta.end_time === null || meta.end_time === undefined ? NaN : Number(meta.end_time);
  values.set("run_id", String(meta.run_id ?? meta.run_uuid ?? path.basename(dir)));
  values.set("experiment_id", experimentId);
  values.set("experiment_name", experimentName);
  values.set("run_name", meta.run_name ?? null);
  values.set("status", status);
  values.set("start_time", Number.isFinite(start) ? start : null);
  values.set("end_time", Number.isFinite(end) ? end : null);
  values.set("duration", Number.isFinite(start) && Number.isFinite(end) ? (end - start) / 1000 : null);
  for (const [key, text] of keyFiles(path.join(dir, "params"))) values.set(`params.${key}`, text);
  for (const [key, text] of keyFiles(path.join(dir, "tags"))) values.set(`tags.${key}`, text);
  const histories = new Map<string, number[]>();
  for (const [key, text] of keyFiles(path.join(dir, "metrics"))) {
    const points = metricPoints(text, path.join(dir, "metrics", key));
    if (!points.length) continue;
    // The latest value as MLflow reports it: the largest (step, timestamp, value).
    const latest = points.reduce((a, b) => (b.step > a.step || (b.step === a.step && (b.ts > a.ts || (b.ts === a.ts && b.value > a.value))) ? b : a));
    values.set(`metrics.${key}`, latest.value);
    histories.set(`metrics.${key}`, [...points].sort((a, b) => a.step - b.step || a.ts - b.ts).map((p) => p.value));
  }
  return {
    values,
    row: { get: (c) => values.get(c), where: dir, history: (c) => histories.get(c) },
  };
}

/** Files under a folder as [key, content]; keys with "/" are nested folders, as MLflow stores them. */
function keyFiles(dir: string, prefix = ""): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((e): [string, string][] => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? keyFiles(p, `${prefix}${e}/`) : [[`${prefix}${e}`, readFileSync(p, "utf8")]];
  });
}

function metricPoints(text: string, file: string): { ts: number; value: number; step: number }[] {
  return text.split("\n").filter((l) => l.trim()).map((line, i) => {
    const parts = line.trim().split(" ");
    if (parts.length !== 2 && parts.length !== 3) throw new InputError(`metric line has ${parts.length} fields, expected "<timestamp> <value> <step>"`, `${file}:${i + 1}`, "MLflow writes these files itself: restore the file or remove the run");
    return { ts: Number(parts[0]), value: pythonFloat(parts[1]), step: parts.length === 3 ? Number(parts[2]) : 0 };
  });
}

/** Python's float repr: "nan", "inf", "-inf" besides plain numbers. */
function pythonFloat(s: string): number {
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+]?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  return Number(s);
}
