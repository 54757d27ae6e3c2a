/**
 * A tracker's runs as one table, before any mapping: each source format (W&B export, Optuna storage, MLflow
 * file store, CSV/JSONL) is read into rows of named columns, and says what it knows about its own columns
 * (which one is the state, the runtime, the run id; which are bookkeeping, never hyperparameters).
 */
import type { SearchSpace } from "../schema.ts";

export type SourceFormat = "wandb" | "optuna" | "mlflow" | "csv" | "tsv" | "jsonl";

export interface SourceRow {
  /** The value of a column: a CSV cell (string) or a typed value; undefined when this row has no such column. */
  get(column: string): unknown;
  /** Where the row is, for messages: "file:line", "study s, trial 12". */
  where: string;
  /** Logged history of a metric column, by step (Optuna intermediate values, MLflow metric files). */
  history?(column: string): number[] | undefined;
}

/** What a source knows about its columns; a mapping key left out falls back to these. */
export interface SourceDefaults {
  /** Run id columns, first non-empty wins. */
  runId?: string[];
  dataset?: string;
  model?: string;
  cost?: string;
  status?: string;
  metric?: { column: string; direction?: "max" | "min"; name?: string };
  /** Hyperparameters are the columns with this prefix (stripped): Optuna params_, MLflow params. */
  hyperparameterPrefix?: string;
  /** Numeric columns with this prefix (stripped) are meta-features: Optuna study_user_attrs_. */
  metaFeaturePrefix?: string;
  /** Tracker bookkeeping and logged results: never hyperparameters, never attributes. */
  reserved(column: string, metricColumn: string | undefined): boolean;
}

export interface SourceTable {
  format: SourceFormat;
  /** Default meta-dataset name (folder, study or experiment name). */
  name: string;
  /** The files read, for the report. */
  files: string[];
  /** Every column, in first-seen order. */
  columns: string[];
  rows: SourceRow[];
  defaults: SourceDefaults;
  /** The search space as the source defines it (Optuna distributions), keyed by column name. */
  space?: SearchSpace;
}
