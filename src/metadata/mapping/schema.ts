/**
 * The mapping: a small YAML/JSON file saying what the columns of a run history mean. Every key is optional
 * where the source format knows the answer (W&B State and Runtime, Optuna params and values, MLflow params and
 * metrics); see `hporec data import --help` for the full reference and metadata/examples/ for real mappings.
 */
import { z } from "zod";
import { closest } from "../domains.ts";
import { readJsonOrYaml } from "../io.ts";
import { Direction, HpValue } from "../schema.ts";
import { InputError } from "../../util/errors.ts";

const column = z.string().min(1, "must name a column");
const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Where a per-dataset value comes from: a column of the runs, a side table keyed by dataset id, or one value. */
const TableRef = z.object({
  /** JSON {id: [values]} / {id: {name: value}}, or CSV with a key column; "meta-album" = the built-in domain table. */
  table: z.string().min(1),
  /** Names of the array positions (JSON arrays), or of the CSV columns to read. */
  columns: z.array(z.string().min(1)).min(1).optional(),
  /** CSV key column (default: the first). */
  key: z.string().min(1).optional(),
}).strict();

export const Mapping = z.object({
  name: z.string().min(1).optional(),
  /** Source format of `file` (the runs file(s) next to a mapping read in place). */
  format: z.enum(["csv", "tsv", "jsonl", "wandb", "optuna", "mlflow"]).optional(),
  file: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** Optuna: import only this study (default: all studies of the storage). */
  study: z.string().min(1).optional(),
  runId: column.optional(),
  dataset: z.union([
    column,
    z.object({
      column: column.optional(),
      value: z.string().min(1).optional(),
      // Regular expression and replacement: ['^.*/', ''] turns mtlbm/micro/set0/BCT into BCT.
      rename: z.union([z.tuple([z.string(), z.string()]), z.record(z.string(), z.string())]).optional(),
    }).strict(),
  ]).optional(),
  model: column.optional(),
  metaFeatures: z.union([
    z.array(column),
    TableRef,
    z.object({ prefix: z.string().min(1) }).strict(),
    z.record(z.string(), column),
  ]).optional(),
  domain: z.union([column, TableRef, z.object({ column }).strict(), z.object({ value: z.string().min(1) }).strict()]).optional(),
  modality: z.union([column, z.object({ column }).strict(), z.object({ value: z.string().min(1) }).strict()]).optional(),
  hyperparameters: z.union([
    z.array(column).min(1),
    z.object({
      columns: z.array(column).min(1).optional(),
      prefix: z.string().min(1).optional(),
      /** A pack folder, a search-space JSON or a meta-dataset: keep the columns it knows, in its spelling. */
      like: z.string().min(1).optional(),
      exclude: z.array(column).optional(),
    }).strict(),
  ]).optional(),
  /** Value aliases per hyperparameter: {clip_grad: {'': -1}} writes -1 where the cell is empty. */
  values: z.record(z.string(), z.record(z.string(), HpValue)).optional(),
  /** A categorical built from flag columns: {data_augmentation: {from: [auto_augment, random_augment], else: None}}. */
  derive: z.record(z.string(), z.object({
    from: z.union([z.array(column).min(1), z.record(z.string(), column)]),
    else: HpValue.optional(),
  }).strict()).optional(),
  /** Hyperparameters with one value for every run (not recorded by the tracker). */
  set: z.record(z.string(), HpValue).optional(),
  /** Keep only rows whose column has this value (or one of these values). */
  filter: z.record(z.string(), z.union([Scalar, z.array(Scalar).min(1)])).optional(),
  metric: z.object({
    column: column.optional(),
    name: z.string().min(1).optional(),
    direction: Direction.optional(),
    /** last (default): the value the tracker reports; best: the best of its logged history. */
    use: z.enum(["last", "best"]).optional(),
    /** A NaN or infinite metric: the run is a failure (default), is skipped, or stops the import. */
    nonFinite: z.enum(["failed", "skip", "error"]).optional(),
    /** Column with the value at the last epoch, when the metric column holds the best. */
    final: column.optional(),
  }).strict().optional(),
  cost: column.optional(),
  status: column.optional(),
  /** A run is a result only when it reached its budget: last (0-based epoch index) >= configured - 1. */
  epochs: z.object({ configured: z.union([column, z.number().int().positive()]), last: column }).strict().optional(),
}).strict();
export type Mapping = z.infer<typeof Mapping>;

const KEYS = Object.keys(Mapping.shape);

/** The fix shown under an error about each top-level key. */
const HINTS: Record<string, string> = {
  dataset: "dataset: <column>, or {column: <column>, rename: ['<regex>', '<replacement>']}",
  metaFeatures: "metaFeatures: [<column>, ...], {name: <column>}, {prefix: <prefix>} or {table: <file>, columns: [n_samples, n_classes, ...]}",
  domain: "domain: <column>, {table: meta-album}, {table: <file>} or {value: <domain>}",
  modality: "modality: <column> or {value: image}",
  hyperparameters: "hyperparameters: [<column>, ...], {prefix: params_}, {like: models/default} (optionally with exclude: [...]), or leave it out",
  values: "values: {<hyperparameter>: {'<value as written>': <value to use>}}, e.g. values: {clip_grad: {'': -1}}",
  derive: "derive: {<name>: {from: [<flag column>, ...], else: <value>}}",
  set: "set: {<hyperparameter>: <value>}",
  filter: "filter: {<column>: <value>} or {<column>: [<value>, ...]}",
  metric: "metric: {column: <column>, name: <name>, direction: max|min, use: last|best, nonFinite: failed|skip|error}",
  epochs: "epochs: {configured: <column or number>, last: <column>}",
  format: "format: csv|tsv|jsonl|wandb|optuna|mlflow",
  file: "file: <runs file relative to the mapping> (or a list of files)",
};

/** Validates a parsed mapping; problems become one InputError naming each key, what is wrong and the fix. */
export function parseMapping(raw: unknown, where: string): Mapping {
  if (raw === null || raw === undefined) raw = {};
  const r = Mapping.safeParse(raw);
  if (r.success) return r.data;
  const lines: string[] = [];
  let hint = "";
  for (const issue of r.error.issues) {
    const key = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) {
        const near = issue.path.length === 0 ? closest(k, KEYS) : undefined;
        lines.push(`${[...issue.path, k].join(".")}: unknown key${near ? `; did you mean "${near}"?` : ""}`);
      }
      hint ||= issue.path.length === 0 ? `the keys are: ${KEYS.join(", ")}` : HINTS[String(issue.path[0])] ?? "";
    } else {
      lines.push(`${key || "(mapping)"}: ${issue.message}`);
      hint ||= HINTS[String(issue.path[0])] ?? "write the mapping as a YAML/JSON object (see hporec data import --help)";
    }
  }
  throw new InputError(`invalid mapping:\n  ${lines.join("\n  ")}`, where, hint);
}

export function readMapping(file: string): Mapping {
  return parseMapping(readJsonOrYaml(file, "mapping file"), file);
}
