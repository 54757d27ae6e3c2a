import type { Failure, ImportReport, MetaDataset } from "../schema.ts";

export type Format = MetaDataset["format"] | "saved";

/** A meta-dataset with what its import left beside the runs: failed runs and the import report. */
export interface ImportedHistory {
  metaDataset: MetaDataset;
  failures: Failure[];
  report?: ImportReport;
}

/** One importer per source format. `load` returns an unvalidated MetaDataset; load.ts validates it with zod. */
export interface Importer {
  format: Format;
  /** What `--format` accepts for it, and what `--help` lists. */
  description: string;
  /** True when `dir` looks like this format (cheap: file names only). */
  detect(dir: string): boolean;
  load(dir: string): MetaDataset;
  /** Importers that keep failed runs and a report (trackers, saved meta-datasets) give them here. */
  loadHistory?(dir: string): ImportedHistory;
}
