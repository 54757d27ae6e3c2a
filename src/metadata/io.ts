/**
 * File reading for importers: every failure becomes one InputError naming the file, the line or key, the
 * value and what was expected, so a user can fix the file without reading a stack trace.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { InputError } from "../util/errors.ts";
import type { HpValue } from "./schema.ts";

export function requireFile(file: string, what: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(`${what} not found`, file, `make sure ${path.basename(file)} exists and is readable`);
  }
}

export function readText(file: string, what: string): string {
  requireFile(file, what);
  return readFileSync(file, "utf8");
}

export function readJson(file: string, what: string): unknown {
  const text = readText(file, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON: ${(e as Error).message}`, file, `fix the ${what} so it is valid JSON`);
  }
}

/** JSON or YAML by extension (YAML is a superset of JSON, but JSON errors read better from JSON.parse). */
export function readJsonOrYaml(file: string, what: string): unknown {
  if (/\.ya?ml$/i.test(file)) {
    const text = readText(file, what);
    try {
      return YAML.parse(text);
    } catch (e) {
      throw new InputError(`invalid YAML: ${(e as Error).message.split("\n")[0]}`, file, `fix the ${what} so it is valid YAML`);
    }
  }
  return readJson(file, what);
}

export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  /** 1-based line number of each row in the file (for error messages). */
  lines: number[];
}

/** Reads a CSV with a header row; a row with the wrong number of fields is an error naming its line. */
export function readCsv(file: string, what: string, delimiter = ","): CsvTable {
  const records = parseCsv(readText(file, what), file, delimiter);
  if (!records.length) throw new InputError(`${what} is empty`, file, "the first line must be a header row");
  const header = records[0].cells;
  for (const r of records) {
    if (r.cells.length !== header.length) {
      throw new InputError(
        `row has ${r.cells.length} fields, expected ${header.length} (as many as the header)`,
        `${file}:${r.line}`,
        "add the missing fields or remove the extra ones (quote values that contain the delimiter)",
      );
    }
  }
  return { file, header, rows: records.slice(1).map((r) => r.cells), lines: records.slice(1).map((r) => r.line) };
}

/**
 * RFC 4180 CSV (quoted fields, "" escapes, newlines inside quotes, CRLF, BOM; blank lines skipped). Hand-written
 * because csv-parse took ~0.3 s of the 2 s budget on Quick-Tune's 0.8 MB configs.csv; this takes ~0.03 s.
 */
export function parseCsv(text: string, file: string, delimiter = ","): { cells: string[]; line: number }[] {
  const out: { cells: string[]; line: number }[] = [];
  const d = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === 34) {
        // Quoted field: runs to the closing quote; "" is a literal quote.
        let j = i + 1;
        let buf = "";
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new InputError("unterminated quoted field", `${file}:${start}`, 'close the quote, and write a literal quote as ""');
          buf += text.slice(j, q);
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === 10) line++;
          if (text.charCodeAt(q + 1) === 34) {
            buf += '"';
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        cell = buf;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === 10 || c === 13) break;
          j++;
        }
        cell = text.slice(i, j);
        i = j;
      }
      cells.push(cell);
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (i < n && c !== 10 && c !== 13) {
        throw new InputError(`unexpected character after a quoted field: ${JSON.stringify(text[i])}`, `${file}:${line}`, "put the delimiter right after the closing quote");
      }
      if (c === 13) i++;
      if (text.charCodeAt(i) === 10) i++;
      line++;
      break;
    }
    if (!(cells.length === 1 && cells[0] === "")) out.push({ cells, line: start });
    // Skip blank lines (counting them).
    while (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) {
      if (text.charCodeAt(i) === 10) line++;
      i++;
    }
  }
  return out;
}

/** Index of a required column, or an error listing the columns there are. */
export function column(t: CsvTable, name: string): number {
  const i = t.header.indexOf(name);
  if (i < 0) {
    throw new InputError(
      `missing column ${JSON.stringify(name)}`,
      `${t.file}:1`,
      `the header must contain ${JSON.stringify(name)}; it has ${t.header.map((h) => JSON.stringify(h)).join(", ")}`,
    );
  }
  return i;
}

/**
 * A number where one is required: empty, text or infinite values are errors naming where they are. `where` may
 * be a function so hot loops (half a million curve values) build the location text only on failure.
 */
export function requireNumber(value: unknown, where: string | (() => string), what: string): number {
  const x = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(x)) {
    throw new InputError(`${what}: ${JSON.stringify(value)} is not a number`, typeof where === "string" ? where : where(), `write ${what} as a finite number (e.g. 0.01)`);
  }
  return x;
}

/** A CSV cell as a typed value: empty -> null, true/false -> boolean, numeric -> number, else string. */
export function parseCell(s: string): HpValue {
  const t = s.trim();
  if (t === "" || t === "NaN" || t === "nan") return null;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
  const x = Number(t);
  return Number.isFinite(x) ? x : t;
}

/** Any source value as a typed value: strings through parseCell, objects and arrays as their JSON text. */
export function toHpValue(v: unknown): HpValue {
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return parseCell(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v;
  return JSON.stringify(v);
}

/** A value used as a name or id, as written ("007" stays "007"): empty -> "". */
export function idText(v: unknown): string {
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v.trim() : String(v);
}
