/**
 * Per-dataset side tables: meta-features or domains kept beside the runs, keyed by dataset id. JSON as
 * {id: [values]} (positions named by `columns`, as Quick-Tune's meta_descriptors.json), {id: {name: value}} or
 * {id: value}; CSV with a key column. `meta-album` is the built-in Meta-Album domain table.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { META_ALBUM_DOMAIN } from "../domains.ts";
import { parseCell, readCsv, readJson, toHpValue } from "../io.ts";
import type { HpValue } from "../schema.ts";

export type SideTable = Map<string, Record<string, HpValue>>;

export interface TableRef {
  table: string;
  columns?: string[];
  key?: string;
}

/** The built-in tables, by name. */
const BUILT_IN: Record<string, Readonly<Record<string, string>>> = { "meta-album": META_ALBUM_DOMAIN };

/** A relative table path is looked up in each base folder in turn (the sources' folders, then the mapping's). */
export function resolveTablePath(file: string, baseDirs: string[], key: string): string {
  if (path.isAbsolute(file)) {
    if (existsSync(file)) return file;
  } else {
    const hit = baseDirs.map((d) => path.resolve(d, file)).find((p) => existsSync(p));
    if (hit) return hit;
  }
  const tried = path.isAbsolute(file) ? [file] : baseDirs.map((d) => path.resolve(d, file));
  throw new InputError(`side table ${JSON.stringify(file)} not found (looked in ${tried.join(", ")})`, `mapping: ${key}.table`, "put the file beside the run exports or the mapping, or give its full path");
}

/** Reads a side table into id -> {column: value}; a single-value table (id -> "plants") gives {value: ...}. */
export function readSideTable(ref: TableRef, baseDirs: string[], key: string): SideTable {
  const builtIn = BUILT_IN[ref.table];
  if (builtIn) return new Map(Object.entries(builtIn).map(([id, v]) => [id, { value: v }]));
  const file = resolveTablePath(ref.table, baseDirs, key);
  return /\.json$/i.test(file) ? jsonTable(file, ref, key) : csvTable(file, ref, key);
}

function jsonTable(file: string, ref: TableRef, key: string): SideTable {
  const raw = readJson(file, "side table");
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError("a side table must be a JSON object keyed by dataset id", file, `write {"<dataset id>": ...} (see hporec data import --help)`);
  const out: SideTable = new Map();
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) {
      if (!ref.columns) throw new InputError(`values are arrays (e.g. ${id}: ${JSON.stringify(v)}) but the mapping does not name their positions`, `mapping: ${key}.columns`, `add columns: [n_samples, n_classes, image_size, channels] (one name per position)`);
      if (v.length !== ref.columns.length) throw new InputError(`${id} has ${v.length} values but ${key}.columns names ${ref.columns.length}`, `${file}: ${id}`, `give one name per position in ${key}.columns`);
      out.set(id, Object.fromEntries(ref.columns.map((c, i) => [c, toHpValue(v[i])])));
    } else if (v && typeof v === "object") {
      const rec = v as Record<string, unknown>;
      const names = ref.columns ?? Object.keys(rec);
      out.set(id, Object.fromEntries(names.map((c) => [c, toHpValue(rec[c])])));
    } else out.set(id, { value: toHpValue(v) });
  }
  return out;
}

function csvTable(file: string, ref: TableRef, key: string): SideTable {
  const t = readCsv(file, "side table");
  const keyAt = ref.key ? t.header.indexOf(ref.key) : 0;
  if (keyAt < 0) throw new InputError(`side table has no column ${JSON.stringify(ref.key)}`, `mapping: ${key}.key`, `use one of: ${t.header.join(", ")}`);
  const names = ref.columns ?? t.header.filter((_, i) => i !== keyAt);
  const at = names.map((c) => {
    const i = t.header.indexOf(c);
    if (i < 0) throw new InputError(`side table has no column ${JSON.stringify(c)}`, `mapping: ${key}.columns`, `use columns of ${path.basename(file)}: ${t.header.join(", ")}`);
    return i;
  });
  return new Map(t.rows.map((r) => [r[keyAt], Object.fromEntries(names.map((c, j) => [c, parseCell(r[at[j]])]))]));
}
