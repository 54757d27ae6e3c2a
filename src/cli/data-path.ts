import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { InputError } from "../util/errors.ts";
import { env } from "../config.ts";

/** Default meta-dataset: the Quick-Tune extended folder inside HPOREC_DATA. */
export const DEFAULT_DATASET = "quicktune-extended";

/**
 * Resolves a meta-dataset folder: an existing path as given, otherwise a name inside the data root
 * (`--data` flag or env HPOREC_DATA, e.g. ../shared/metadata). `where` is the flag or argument the folder came from,
 * so the error names what the user typed (--train, --test, --data, ...).
 */
export function resolveDataDir(dir: string | undefined, where = "argument <dir>", dataRoot = env().data): string {
  const name = dir ?? DEFAULT_DATASET;
  if (existsSync(name)) return path.resolve(name);
  if (dataRoot) {
    const inRoot = path.join(dataRoot, name);
    if (existsSync(inRoot)) return path.resolve(inRoot);
  }
  const names = dataRoot ? foldersIn(dataRoot) : [];
  throw new InputError(
    `meta-dataset folder not found: ${JSON.stringify(name)}`,
    dir ? where : `${where} (default ${DEFAULT_DATASET})`,
    dataRoot
      ? `pass an existing folder, or a name inside HPOREC_DATA=${dataRoot}${names.length ? ` (${names.join(", ")})` : " (it holds no folder)"}`
      : "pass a folder path, or set HPOREC_DATA to the folder holding the meta-datasets (e.g. HPOREC_DATA=../shared/metadata) and pass a name inside it",
  );
}

/** The sub-folders of the data root: the names a user can pass instead of a path. */
function foldersIn(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
