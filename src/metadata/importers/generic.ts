/**
 * Bring-your-own history read in place: a folder holding a mapping file (hporec-mapping.yaml|json) whose `file`
 * names the runs, relative to the mapping. The mapping is the one `hporec data import --mapping` takes (see
 * mapping/schema.ts); `format` says what the runs are: csv (default by extension), tsv, jsonl, wandb, optuna
 * or mlflow. Example (an Optuna trials_dataframe() CSV):
 *
 *   file: trials.csv
 *   dataset: dataset
 *   model: params_model
 *   metaFeatures: [n_samples, n_classes]
 *   hyperparameters: {prefix: "params_"}
 *   metric: {column: value, name: accuracy, direction: max}
 *   cost: duration_seconds
 *   status: state
 *
 * Rows of failed or pruned trials become failures (kept apart from the runs); see `hporec data inspect`.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { importWithMapping } from "../mapping/apply.ts";
import { readMapping } from "../mapping/schema.ts";
import { tableFormatOf } from "../sources/table.ts";
import type { ImportedHistory, Importer } from "./types.ts";

export const MAPPING_FILES = ["hporec-mapping.yaml", "hporec-mapping.yml", "hporec-mapping.json", "mapping.yaml", "mapping.yml", "mapping.json"];

export const generic: Importer = {
  format: "generic",
  description: "runs file(s) + a mapping file naming them (hporec-mapping.yaml|json, or pass the mapping file itself)",
  detect: (dir) => mappingFile(dir) !== undefined,
  load: (dir) => loadGeneric(dir).metaDataset,
  loadHistory: loadGeneric,
};

function loadGeneric(dir: string): ImportedHistory {
  const file = mappingFile(dir);
  if (!file) throw new InputError("no mapping file", dir, `add one of ${MAPPING_FILES.join(", ")} describing the columns`);
  const m = readMapping(file);
  if (!m.file) throw new InputError("the mapping names no runs file", `${file}: file`, "add file: <runs file, relative to the mapping>");
  const files = (Array.isArray(m.file) ? m.file : [m.file]).map((f) => (/^sqlite:/.test(f) ? f : path.resolve(path.dirname(file), f)));
  const h = importWithMapping(files, m.format ?? tableFormatOf(files[0]), m, file);
  if (!m.name) h.metaDataset.name = path.basename(path.dirname(path.resolve(file)));
  return h;
}

/** The mapping file: `dir` itself when it is a file, else the first known mapping name inside it. */
export function mappingFile(dir: string): string | undefined {
  if (existsSync(dir) && statSync(dir).isFile()) return /\.(ya?ml|json)$/i.test(dir) ? dir : undefined;
  return MAPPING_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
}
