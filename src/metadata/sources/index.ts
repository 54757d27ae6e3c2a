/** Reads run histories into source tables, and recognises their format from the files. */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { csvHeader, isSqlite } from "./files.ts";
import { isMlflowStore, readMlflow } from "./mlflow.ts";
import { isSqliteUrl, readOptuna } from "./optuna.ts";
import { readTable, tableFormatOf } from "./table.ts";
import type { SourceFormat, SourceTable } from "./types.ts";
import { isWandbHeader, readWandb } from "./wandb.ts";

export const SOURCE_FORMATS: readonly SourceFormat[] = ["wandb", "optuna", "mlflow", "csv", "tsv", "jsonl"];

export interface SourceOptions {
  /** Optuna: one study of the storage (default all). */
  study?: string;
}

export function readSource(format: SourceFormat, sources: string[], opts: SourceOptions = {}): SourceTable {
  if (!sources.length) throw new InputError("no source given", "<source>", "pass the export file(s) or folder to import");
  switch (format) {
    case "wandb":
      return readWandb(sources);
    case "optuna":
      return readOptuna(sources, opts.study);
    case "mlflow":
      return readMlflow(sources);
    case "csv":
    case "tsv":
    case "jsonl": {
      for (const s of sources) if (!existsSync(s) || !statSync(s).isFile()) throw new InputError(`${format} runs file not found`, s, "pass the runs file itself");
      return { ...readTable(sources, format), defaults: { reserved: () => false } };
    }
  }
}

/** The format of run-history sources, from their names and first bytes; undefined when nothing matches. */
export function detectSourceFormat(sources: string[]): SourceFormat | undefined {
  const first = sources[0];
  if (first && isSqliteUrl(first)) return "optuna";
  if (!first || !existsSync(first)) return undefined;
  if (statSync(first).isFile() && isSqlite(first)) return "optuna";
  if (isMlflowStore(first)) return "mlflow";
  const files = statSync(first).isDirectory() ? readdirSync(first).map((f) => path.join(first, f)) : sources;
  const csvs = files.filter((f) => /\.csv$/i.test(f));
  if (csvs.some((f) => isWandbHeader(csvHeader(f)))) return "wandb";
  if (statSync(first).isFile()) return tableFormatOf(first);
  return undefined;
}
