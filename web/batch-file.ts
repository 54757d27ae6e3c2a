/**
 * A batch file read in the browser, as `hporec batch` reads it: CSV/TSV (header = card fields and constraints),
 * JSONL (one card per line) or a JSON array of cards. Lines that cannot be read are failures with their line
 * number, never sent.
 */
import { parse } from "csv-parse/browser/esm/sync";
import { csvRowToRaw, rawToInput } from "../src/recommend/batch-columns.ts";
import { isJsonObject, readJsonEntries } from "../src/util/json-entries.ts";

export interface BatchLine {
  /** 1-based line of the file (CSV data lines count from 2). */
  line: number;
  input?: ReturnType<typeof rawToInput>;
  error?: string;
}

export function readBatchText(fileName: string, text: string): BatchLine[] {
  return /\.(csv|tsv)$/i.test(fileName) ? readCsv(text, fileName.toLowerCase().endsWith(".tsv") ? "\t" : ",") : readJsonl(text);
}

function readCsv(text: string, delimiter: string): BatchLine[] {
  const rows = parse(text, { delimiter, relax_column_count: true, trim: true, bom: true }) as string[][];
  const [header = [], ...data] = rows;
  if (!header.length) throw new Error("the CSV is empty: its first line must name the columns (name,samples,classes,imageSize,channels,...)");
  return data.flatMap((cells, i): BatchLine[] => {
    const line = i + 2;
    if (cells.every((c) => c === "")) return [];
    if (cells.length !== header.length) return [{ line, error: `expected ${header.length} fields (${header.join(",")}), found ${cells.length}` }];
    return [{ line, input: rawToInput(csvRowToRaw(header, cells)) }];
  });
}

function readJsonl(text: string): BatchLine[] {
  return readJsonEntries(text).map((e): BatchLine => {
    if ("value" in e && isJsonObject(e.value)) return { line: e.line, input: rawToInput(e.value) };
    return { line: e.line, error: `not a JSON object (${"error" in e ? e.error : "not a JSON object"}); one card per line, e.g. {"samples": 3000, "classes": 7, "imageSize": 128, "channels": 3}, or a JSON array of cards` };
  });
}
