import type { MetaDataset } from "../schema.ts";

export type Format = MetaDataset["format"];

/** One importer per source format. `load` returns an unvalidated MetaDataset; load.ts validates it with zod. */
export interface Importer {
  format: Format;
  /** What `--format` accepts for it, and what `--help` lists. */
  description: string;
  /** True when `dir` looks like this format (cheap: file names only). */
  detect(dir: string): boolean;
  load(dir: string): MetaDataset;
}
