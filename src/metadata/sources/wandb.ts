/**
 * Weights & Biases run-table exports (the CSV the runs table's "Export" writes): one row per run, W&B's own
 * columns (Name, State, Runtime, ...) first, then the run config and the run summary side by side, unprefixed.
 * Several exports with different columns are read as one table (a column missing from a file reads empty).
 */
import { InputError } from "../../util/errors.ts";
import { readCsv } from "../io.ts";
import { csvHeader, expandSources } from "./files.ts";
import { csvRows } from "./table.ts";
import type { SourceRow, SourceTable } from "./types.ts";
import path from "node:path";

/** Columns W&B adds to every export, whatever the run logged: bookkeeping, never hyperparameters. */
export const WANDB_COLUMNS = new Set([
  "Name", "ID", "State", "Notes", "User", "Tags", "Created", "Updated", "End Time", "Heartbeat", "Runtime", "Sweep",
  "Agent", "Hostname", "OS", "Python", "GPU Type", "GPU Count", "CPU Count", "Group", "Job Type", "Description",
  "Commit", "GitHub", "Command", "Project", "Entity", "URL",
]);

const EXPORT_FIX = "export the runs table from the W&B UI (Export as CSV) and pass the file or its folder";

/** True when a CSV header looks like a W&B run table (used by format detection). */
export function isWandbHeader(header: string[]): boolean {
  return header.includes("Name") && header.includes("State") && header.includes("Runtime");
}

export function readWandb(sources: string[]): SourceTable {
  // In a folder, the CSVs with W&B's columns (a side table such as meta-features.csv may sit beside them).
  const files = expandSources(sources, /\.csv$/i, "W&B run-table export (a CSV with the columns Name, State and Runtime)", EXPORT_FIX, (f) => isWandbHeader(csvHeader(f)));
  const columns = new Set<string>();
  const rows: SourceRow[] = [];
  // Per file, the summary block: W&B writes the config keys, then the summary keys, each sorted by name.
  const tails: string[][] = [];
  for (const file of files) {
    const t = readCsv(file, "W&B export");
    if (!t.header.includes("Name") || !t.header.includes("State")) {
      throw new InputError(
        "not a W&B run-table export: no Name and State columns",
        `${file}:1`,
        `${EXPORT_FIX}; or pick another --format (csv needs a mapping)`,
      );
    }
    t.header.forEach((c) => columns.add(c));
    rows.push(...csvRows(t));
    tails.push(t.header);
  }
  const summary = new Map<string, Set<string>>();
  return {
    format: "wandb",
    name: path.basename(path.dirname(path.resolve(files[0]))),
    files,
    columns: [...columns],
    rows,
    defaults: {
      runId: ["ID", "Name"],
      status: "State",
      cost: "Runtime",
      ...(columns.has("model") ? { model: "model" } : {}),
      ...(columns.has("dataset") ? { dataset: "dataset" } : {}),
      reserved(column, metric) {
        if (WANDB_COLUMNS.has(column) || column.startsWith("_")) return true;
        if (metric === undefined) return false;
        if (!summary.has(metric)) summary.set(metric, new Set(tails.flatMap((h) => sortedTail(h, metric))));
        return summary.get(metric)!.has(column);
      },
    },
  };
}

/** The longest name-sorted run of columns that ends the header, when it contains the metric (W&B's summary keys). */
function sortedTail(header: string[], metric: string): string[] {
  let start = header.length - 1;
  while (start > 0 && header[start - 1] < header[start] && !WANDB_COLUMNS.has(header[start - 1])) start--;
  const tail = header.slice(start);
  return tail.includes(metric) ? tail : [];
}
