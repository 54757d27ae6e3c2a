/** Plain run tables: CSV/TSV (a header row) or JSONL (one object per line, nested keys as dotted columns). */
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { readCsv, readText, type CsvTable } from "../io.ts";
import type { SourceFormat, SourceRow, SourceTable } from "./types.ts";

export type TableFormat = "csv" | "tsv" | "jsonl";

export function tableFormatOf(file: string): TableFormat {
  if (/\.jsonl$/i.test(file)) return "jsonl";
  return /\.tsv$/i.test(file) ? "tsv" : "csv";
}

/** Rows of one CSV table; `get` reads a cell by column name. */
export function csvRows(t: CsvTable): SourceRow[] {
  const index = new Map(t.header.map((h, i) => [h, i]));
  return t.rows.map((r, i) => ({ get: (k: string) => (index.has(k) ? r[index.get(k)!] : undefined), where: `${t.file}:${t.lines[i]}` }));
}

/** Several run files of one format as one table: the union of their columns, a missing column reads undefined. */
export function readTable(files: string[], format: TableFormat, sourceFormat: SourceFormat = format): Omit<SourceTable, "defaults"> {
  const columns = new Set<string>();
  const rows: SourceRow[] = [];
  for (const file of files) {
    if (format === "jsonl") {
      const r = readJsonl(file);
      r.columns.forEach((c) => columns.add(c));
      rows.push(...r.rows);
    } else {
      const t = readCsv(file, "runs file", format === "tsv" ? "\t" : ",");
      t.header.forEach((c) => columns.add(c));
      rows.push(...csvRows(t));
    }
  }
  return { format: sourceFormat, name: path.basename(path.dirname(path.resolve(files[0]))), files, columns: [...columns], rows };
}

function readJsonl(file: string): { rows: SourceRow[]; columns: Set<string> } {
  const rows: SourceRow[] = [];
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
  return { rows, columns };
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
