import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../util/errors.ts";
import { env } from "../config.ts";

/** Default meta-dataset: the Quick-Tune extended folder inside HPOREC_DATA. */
export const DEFAULT_DATASET = "quicktune-extended";

/**
 * Resolves a meta-dataset folder: an existing path as given, otherwise a name inside the data root
 * (`--data` flag or env HPOREC_DATA, e.g. ../shared/metadata).
 */
export function resolveDataDir(dir: string | undefined, dataRoot = env().data): string {
  const name = dir ?? DEFAULT_DATASET;
  if (existsSync(name)) return path.resolve(name);
  if (dataRoot) {
    const inRoot = path.join(dataRoot, name);
    if (existsSync(inRoot)) return path.resolve(inRoot);
  }
  throw new InputError(
    `meta-dataset folder not found: ${JSON.stringify(name)}`,
    dir ? "argument <dir>" : "default data",
    dataRoot
      ? `pass an existing folder, or a name inside HPOREC_DATA=${dataRoot} (quicktune-extended, medquicktune, hpob-top5)`
      : "pass a folder path, or set HPOREC_DATA (or --data) to the folder holding the meta-datasets, e.g. ../shared/metadata",
  );
}
