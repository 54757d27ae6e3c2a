/**
 * An Optuna RDB storage read directly with better-sqlite3 (sqlite:///path/study.db, or the .db file): every
 * study, or one. Each trial becomes a row with the columns of Optuna's `study.trials_dataframe()` (number,
 * value or values_<i>, datetime_start, datetime_complete, duration in seconds, params_<name>, user_attrs_<key>,
 * state) plus study_name, study_user_attrs_<key> and run_id (study#number). Parameter values are decoded from
 * Optuna's internal representation with each trial's distribution (a categorical stores the choice's index);
 * the distributions become the search space (log scale, steps and choices as Optuna defines them).
 * Intermediate values are the history of `value`. Schema: Optuna >= 2.4 (trial_values) and the older
 * single-objective one (trials.value); the read is read-only.
 */
import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import type { Hyperparameter, SearchSpace } from "../schema.ts";
import type { SourceRow, SourceTable } from "./types.ts";

type Row = Map<string, unknown>;
type Distribution = { name: string; attributes: Record<string, unknown> };

/** sqlite:///relative.db, sqlite:////absolute.db (SQLAlchemy URLs, as Optuna takes them) or a file path. */
export function sqlitePath(source: string): string {
  return source.startsWith("sqlite:///") ? source.slice("sqlite:///".length) : source;
}

export function isSqliteUrl(source: string): boolean {
  return /^sqlite:\/\//.test(source) || /\.(db|sqlite3?)$/i.test(source);
}

const RESERVED = /^(number|value|values_\d+|datetime_start|datetime_complete|duration|state|study_name|run_id|system_attrs_.*)$/;

export function readOptuna(sources: string[], study?: string): SourceTable {
  const rows: SourceRow[] = [];
  const columns = new Set<string>();
  const space: Record<string, Hyperparameter> = {};
  const directions = new Set<string>();
  const files: string[] = [];
  for (const source of sources) {
    const file = sqlitePath(source);
    files.push(file);
    const r = readStorage(file, source, study);
    rows.push(...r.rows);
    r.columns.forEach((c) => columns.add(c));
    r.directions.forEach((d) => directions.add(d));
    for (const [k, p] of Object.entries(r.space)) space[k] = space[k] ? mergeParam(space[k], p) : p;
  }
  const direction = directions.size === 1 ? ([...directions][0] === "MAXIMIZE" ? "max" : "min") : undefined;
  return {
    format: "optuna",
    name: study ?? path.basename(files[0]).replace(/\.(db|sqlite3?)$/i, ""),
    files,
    columns: [...columns],
    rows,
    space: { hyperparameters: space, source: "given" } satisfies SearchSpace,
    defaults: {
      runId: ["run_id"],
      dataset: "study_name",
      ...(columns.has("params_model") ? { model: "params_model" } : {}),
      cost: "duration",
      status: "state",
      metric: { column: "value", ...(direction ? { direction } : {}) },
      hyperparameterPrefix: "params_",
      metaFeaturePrefix: "study_user_attrs_",
      reserved: (c) => RESERVED.test(c) || c.startsWith("study_user_attrs_"),
    },
  };
}

function open(file: string, source: string): Database.Database {
  if (!existsSync(file)) throw new InputError("Optuna storage not found", source, "pass sqlite:///path/to/study.db (the storage URL given to optuna.create_study) or the .db file");
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare("SELECT name FROM sqlite_master LIMIT 1").get();
  } catch (e) {
    throw new InputError(`not a readable SQLite database (${(e as Error).message})`, file, "pass the Optuna storage file (sqlite:///study.db); an RDB storage on a server must be copied to SQLite first (optuna.copy_study)");
  }
  return db;
}

function readStorage(file: string, source: string, study: string | undefined) {
  const db = open(file, source);
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]));
    for (const t of ["studies", "trials", "trial_params"]) {
      if (!tables.has(t)) throw new InputError(`not an Optuna storage: no table ${t}`, file, "pass the SQLite file of an Optuna RDB storage (sqlite:///study.db)");
    }
    const studies = db.prepare("SELECT study_id, study_name FROM studies ORDER BY study_id").raw().all() as [number, string][];
    const chosen = study === undefined ? studies : studies.filter(([, name]) => name === study);
    if (!chosen.length) {
      throw new InputError(study === undefined ? "the storage has no study" : `no study named ${JSON.stringify(study)}`, file, studies.length ? `use --study with one of: ${studies.map(([, n]) => n).join(", ")}` : "run an Optuna study with this storage first");
    }
    const studyName = new Map(chosen);
    const ids = chosen.map(([id]) => id);
    const inStudies = `study_id IN (${ids.join(",")})`;

    const directions = tables.has("study_directions")
      ? (db.prepare(`SELECT study_id, direction, objective FROM study_directions WHERE ${inStudies} ORDER BY objective`).raw().all() as [number, string, number][])
      : (db.prepare(`SELECT study_id, direction, 0 FROM studies WHERE ${inStudies}`).raw().all() as [number, string, number][]);
    const studyAttrs = new Map<number, [string, unknown][]>();
    if (tables.has("study_user_attributes")) {
      for (const [sid, key, json] of db.prepare(`SELECT study_id, key, value_json FROM study_user_attributes WHERE ${inStudies}`).raw().all() as [number, string, string][]) {
        studyAttrs.set(sid, [...(studyAttrs.get(sid) ?? []), [`study_user_attrs_${key}`, parseJson(json)]]);
      }
    }

    const byTrial = new Map<number, Row>();
    const trials = db.prepare(`SELECT trial_id, number, study_id, state, datetime_start, datetime_complete FROM trials WHERE ${inStudies} ORDER BY study_id, number`).raw().all() as [number, number, number, string, string | null, string | null][];
    const columns = new Set(["number", "value", "datetime_start", "datetime_complete", "duration", "state", "study_name", "run_id"]);
    for (const [tid, number, sid, state, start, complete] of trials) {
      const row: Row = new Map<string, unknown>([
        ["number", number],
        ["state", state],
        ["datetime_start", start],
        ["datetime_complete", complete],
        ["duration", start && complete ? seconds(complete) - seconds(start) : null],
        ["study_name", studyName.get(sid)],
        ["run_id", `${studyName.get(sid)}#${number}`],
      ]);
      for (const [k, v] of studyAttrs.get(sid) ?? []) row.set(k, v);
      byTrial.set(tid, row);
    }
    for (const [, attrs] of studyAttrs) for (const [k] of attrs) columns.add(k);

    // Values: trial_values (Optuna >= 2.4, one row per objective) or the old trials.value column.
    const nObjectives = Math.max(1, ...directions.map(([, , o]) => o + 1));
    const valueName = (o: number) => (nObjectives > 1 ? `values_${o}` : "value");
    if (nObjectives > 1) {
      columns.delete("value");
      for (let o = 0; o < nObjectives; o++) columns.add(valueName(o));
    }
    if (tables.has("trial_values")) {
      const hasType = columnsOf(db, "trial_values").includes("value_type");
      const sql = `SELECT trial_id, objective, value${hasType ? ", value_type" : ", 'FINITE'"} FROM trial_values`;
      for (const [tid, o, v, type] of db.prepare(sql).raw().iterate() as Iterable<[number, number, number | null, string]>) {
        byTrial.get(tid)?.set(valueName(o), special(v, type));
      }
    } else if (columnsOf(db, "trials").includes("value")) {
      for (const [tid, v] of db.prepare(`SELECT trial_id, value FROM trials WHERE ${inStudies}`).raw().iterate() as Iterable<[number, number | null]>) byTrial.get(tid)?.set("value", v);
    }

    // Parameters in their external representation. Rows are read per distinct (name, distribution): numbers only,
    // not 80,000 copies of the distribution's JSON (a dynamic space with very many distributions reads them all).
    const space: Record<string, Hyperparameter> = {};
    const pairs = db.prepare("SELECT DISTINCT param_name, distribution_json FROM trial_params").raw().all() as [string, string][];
    const perPair = pairs.length <= 64;
    const byPair = db.prepare("SELECT trial_id, param_value FROM trial_params WHERE param_name = ? AND distribution_json = ?").raw();
    const all = perPair ? undefined : (db.prepare("SELECT trial_id, param_name, param_value, distribution_json FROM trial_params").raw().all() as [number, string, number, string][]);
    for (const [name, json] of pairs) {
      const dist = parseJson(json) as Distribution;
      if (!dist || typeof dist.name !== "string") throw new InputError(`unreadable distribution of parameter ${name}: ${json.slice(0, 80)}`, file, "the storage was written by an Optuna version this reader does not know");
      const column = `params_${name}`;
      space[column] = space[column] ? mergeParam(space[column], toParam(dist)) : toParam(dist);
      columns.add(column);
      const rows = perPair ? (byPair.all(name, json) as [number, number][]) : all!.filter((r) => r[1] === name && r[3] === json).map((r) => [r[0], r[2]] as [number, number]);
      for (const [tid, internal] of rows) byTrial.get(tid)?.set(column, external(dist, internal));
    }

    if (tables.has("trial_user_attributes")) {
      for (const [tid, key, json] of db.prepare("SELECT trial_id, key, value_json FROM trial_user_attributes").raw().iterate() as Iterable<[number, string, string]>) {
        const row = byTrial.get(tid);
        if (!row) continue;
        columns.add(`user_attrs_${key}`);
        row.set(`user_attrs_${key}`, parseJson(json));
      }
    }
    const history = new Map<number, number[]>();
    if (tables.has("trial_intermediate_values")) {
      const hasType = columnsOf(db, "trial_intermediate_values").includes("intermediate_value_type");
      const sql = `SELECT trial_id, intermediate_value${hasType ? ", intermediate_value_type" : ", 'FINITE'"} FROM trial_intermediate_values ORDER BY trial_id, step`;
      for (const [tid, v, type] of db.prepare(sql).raw().iterate() as Iterable<[number, number | null, string]>) {
        if (!byTrial.has(tid)) continue;
        const list = history.get(tid) ?? [];
        list.push(special(v, type));
        history.set(tid, list);
      }
    }
    const rows: SourceRow[] = [...byTrial].map(([tid, row]) => ({
      get: (c: string) => row.get(c),
      where: `${path.basename(file)}: study ${row.get("study_name")}, trial ${row.get("number")}`,
      history: (c: string) => (c === "value" || c === "values_0" ? history.get(tid) : undefined),
    }));
    return { rows, columns, space, directions: new Set(directions.filter(([, , o]) => o === 0).map(([, d]) => d)) };
  } finally {
    db.close();
  }
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Optuna stores infinities as NULL with a type column (FINITE, INF_POS, INF_NEG, NAN). */
function special(v: number | null, type: string): number {
  if (type === "INF_POS") return Infinity;
  if (type === "INF_NEG") return -Infinity;
  if (type === "NAN" || v === null) return NaN;
  return v;
}

/** "2024-01-31 12:00:00.123456" (naive, as Optuna writes it) -> seconds, microseconds kept. */
function seconds(datetime: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(datetime);
  if (!m) return NaN;
  return Date.parse(`${m[1]}T${m[2]}Z`) / 1000 + (m[3] ? Number(m[3]) : 0);
}

const INT = /^Int(Uniform|LogUniform)?Distribution$/;

/** A parameter's value as the objective saw it: categorical index -> choice, ints as ints. */
function external(d: Distribution, internal: number): unknown {
  if (d.name === "CategoricalDistribution") {
    const choice = (d.attributes.choices as unknown[])[Math.round(internal)];
    return choice === null ? "None" : choice;
  }
  return INT.test(d.name) ? Math.round(internal) : internal;
}

/** Optuna's distribution as a search-space entry (Optuna 3 names and the older ones). */
function toParam(d: Distribution): Hyperparameter {
  const a = d.attributes;
  if (d.name === "CategoricalDistribution") {
    const choices = a.choices as unknown[];
    if (choices.every((c) => typeof c === "boolean")) return { type: "bool" };
    return { type: "categorical", values: choices.map((c) => (c === null ? "None" : String(c))) };
  }
  const low = Number(a.low);
  const high = Number(a.high);
  const log = a.log === true || /LogUniform/.test(d.name);
  const step = Number(a.step ?? a.q ?? NaN);
  const grid = Number.isFinite(step) && step > 0 && (high - low) / step < 16 ? { values: Array.from({ length: Math.floor((high - low) / step + 1e-9) + 1 }, (_, i) => Number((low + i * step).toPrecision(12))) } : {};
  return INT.test(d.name) ? { type: "int", low, high, log, ...grid } : { type: "float", low, high, log, ...grid };
}

/** The same parameter defined differently in two trials (a dynamic space): the union of both. */
function mergeParam(a: Hyperparameter, b: Hyperparameter): Hyperparameter {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (a.type === "categorical" && b.type === "categorical") return { ...a, values: [...new Set([...a.values, ...b.values])] };
  if ((a.type === "int" || a.type === "float") && (b.type === "int" || b.type === "float")) {
    return { type: a.type === "int" && b.type === "int" ? "int" : "float", low: Math.min(a.low, b.low), high: Math.max(a.high, b.high), log: a.log || b.log } as Hyperparameter;
  }
  return a;
}
