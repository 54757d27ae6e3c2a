/**
 * The saved meta-dataset: what `hporec data import` writes, and what every command reads wherever it takes a
 * meta-dataset. One folder holding one JSON file (hporec-meta-dataset.json, format version 1):
 *
 *   { "format": "hporec-meta-dataset", "version": 1, "createdAt": ISO time,
 *     "metaDataset": the MetaDataset of schema.ts (datasets, runs = results only, models, search space, metric),
 *     "failures":    runs that crashed, failed, were killed or pruned, logged no metric or stopped early (Failure),
 *     "report":      rows read, rows skipped per reason, values respelled, warnings (ImportReport) }
 *
 * Consumers that train or evaluate read `metaDataset` only, so failures never become candidates or training rows.
 * One file parsed with JSON.parse and validated with zod loads in milliseconds; the folder is written atomically.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { replaceDirAtomic } from "../util/atomic.ts";
import { InputError } from "../util/errors.ts";
import { formatZodError } from "../util/zod-format.ts";
import { readJson } from "./io.ts";
import type { ImportedHistory, Importer } from "./importers/types.ts";
import { Failure, ImportReport, MetaDataset } from "./schema.ts";

export const SAVED_FILE = "hporec-meta-dataset.json";
export const SAVED_FORMAT = "hporec-meta-dataset";
export const SAVED_VERSION = 1;

export const SavedMetaDataset = z.object({
  format: z.literal(SAVED_FORMAT),
  version: z.literal(SAVED_VERSION),
  createdAt: z.string(),
  metaDataset: MetaDataset,
  failures: z.array(Failure),
  report: ImportReport.optional(),
});
export type SavedMetaDataset = z.infer<typeof SavedMetaDataset>;

/**
 * Writes the folder atomically: a reader sees the previous folder or the complete new one, never half of it.
 * Only an empty folder or an earlier saved meta-dataset is replaced, never a folder holding anything else.
 */
export async function writeSaved(dir: string, h: ImportedHistory): Promise<void> {
  if (existsSync(dir) && (!statSync(dir).isDirectory() || (readdirSync(dir).length && !existsSync(path.join(dir, SAVED_FILE))))) {
    throw new InputError("refusing to replace it: it is not a folder written by hporec data import", dir, "choose a new --out folder (or remove this one first)");
  }
  const content: SavedMetaDataset = {
    format: SAVED_FORMAT,
    version: SAVED_VERSION,
    createdAt: new Date().toISOString(),
    metaDataset: h.metaDataset,
    failures: h.failures,
    ...(h.report ? { report: h.report } : {}),
  };
  const text = JSON.stringify(SavedMetaDataset.parse(content));
  await replaceDirAtomic(dir, (tmp) => writeFileSync(path.join(tmp, SAVED_FILE), text));
}

export function readSaved(dir: string): ImportedHistory {
  const file = path.join(dir, SAVED_FILE);
  const raw = readJson(file, "saved meta-dataset") as { format?: unknown; version?: unknown };
  if (raw?.format !== SAVED_FORMAT || raw?.version !== SAVED_VERSION) {
    throw new InputError(
      `not a saved meta-dataset of this version: format ${JSON.stringify(raw?.format)} version ${JSON.stringify(raw?.version)}, expected ${SAVED_FORMAT} version ${SAVED_VERSION}`,
      file,
      "import the source again with: hporec data import <source> --out <dir>",
    );
  }
  const r = SavedMetaDataset.safeParse(raw);
  if (!r.success) throw new InputError(`saved meta-dataset does not match its schema:\n${formatZodError(r.error)}`, file, "import the source again with: hporec data import <source> --out <dir>");
  return { metaDataset: r.data.metaDataset, failures: r.data.failures, report: r.data.report };
}

export const saved: Importer = {
  format: "saved",
  description: `a folder written by hporec data import (${SAVED_FILE})`,
  detect: (dir) => existsSync(path.join(dir, SAVED_FILE)),
  load: (dir) => readSaved(dir).metaDataset,
  loadHistory: readSaved,
};
