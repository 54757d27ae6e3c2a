/**
 * `hporec data import`: any run history -> one validated meta-dataset with its failures and report. Tracker
 * sources (W&B, Optuna, MLflow) and plain run tables go through a mapping (mapping/); the structured folders
 * (Quick-Tune, MedQuickTune, HPO-B, a saved meta-dataset) through their importers.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../util/errors.ts";
import { IMPORTERS, type ImportedHistory } from "./importers/index.ts";
import { loadHistory } from "./load.ts";
import { importWithMapping } from "./mapping/apply.ts";
import { parseMapping, readMapping, type Mapping } from "./mapping/schema.ts";
import { SOURCE_FORMATS, detectSourceFormat } from "./sources/index.ts";
import { builtinWandbMapping } from "./importers/wandb-folder.ts";
import type { SourceFormat } from "./sources/types.ts";

const FOLDER_FORMATS = IMPORTERS.map((i) => i.format);
export const IMPORT_FORMATS: readonly string[] = [...new Set([...SOURCE_FORMATS, ...FOLDER_FORMATS])];

export interface ImportOptions {
  /** A source or folder format; "auto" (default) detects it from the files. */
  format?: string;
  /** Mapping file (YAML/JSON) for tracker and table sources. */
  mapping?: string;
  /** Optuna: only this study. */
  study?: string;
}

export function importHistory(sources: string[], opts: ImportOptions = {}): ImportedHistory {
  // Quick-Tune's micro W&B exports come with a mapping of their own (importers/wandb-folder.ts).
  const mappingFile = opts.mapping ?? builtinWandbMapping(sources);
  const mapping: Mapping = mappingFile ? readMapping(mappingFile) : parseMapping({}, "mapping");
  if (!sources.length && mapping.file && opts.mapping) {
    sources = (Array.isArray(mapping.file) ? mapping.file : [mapping.file]).map((f) => path.resolve(path.dirname(opts.mapping!), f));
  }
  if (!sources.length) throw new InputError("nothing to import", "<source>", "pass the export files or folders (or a mapping with file: ...)");
  for (const s of sources) if (!/^sqlite:/.test(s) && !existsSync(s)) throw new InputError("source not found", s, "pass an existing file or folder");
  const format = opts.format && opts.format !== "auto" ? opts.format : (mapping.format ?? detect(sources));
  if (!IMPORT_FORMATS.includes(format)) throw new InputError(`unknown format ${JSON.stringify(format)}`, "--format", `use one of: ${IMPORT_FORMATS.join(", ")}`);

  if ((SOURCE_FORMATS as readonly string[]).includes(format)) {
    return importWithMapping(sources, format as SourceFormat, opts.study ? { ...mapping, study: opts.study } : mapping, mappingFile);
  }
  if (opts.mapping) throw new InputError(`a mapping applies to ${SOURCE_FORMATS.join(", ")} sources; ${format} folders are read as they are`, "--mapping", "leave out --mapping, or pick the source's format with --format");
  if (sources.length !== 1) throw new InputError(`a ${format} meta-dataset is one folder, got ${sources.length} sources`, sources.join(", "), "import one folder at a time");
  return loadHistory(sources[0], { format: format as never });
}

function detect(sources: string[]): string {
  const source = detectSourceFormat(sources);
  if (source) return source;
  const dir = sources[0];
  const hit = sources.length === 1 && statSync(dir).isDirectory() ? IMPORTERS.find((i) => i.detect(dir)) : undefined;
  if (hit) return hit.format;
  throw new InputError(
    "cannot tell the format of this source",
    sources.join(", "),
    `pass --format (${IMPORT_FORMATS.join(", ")}): W&B = run-table CSV exports, optuna = sqlite:///study.db, mlflow = an mlruns folder`,
  );
}
