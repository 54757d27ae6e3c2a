/** Entry point of the metadata layer: find the format, import, apply a given search space, validate. */
import { existsSync } from "node:fs";
import { InputError } from "../util/errors.ts";
import { formatZodError } from "../util/zod-format.ts";
import { IMPORTERS, type Format, type Importer } from "./importers/index.ts";
import { MetaDataset, type Run, type SearchSpace } from "./schema.ts";
import { readSearchSpaceFile } from "./search-space.ts";

export const FORMATS = IMPORTERS.map((i) => i.format);

export interface LoadOptions {
  /** Skip detection; "auto" (default) detects from the file names. */
  format?: Format | "auto";
  /** A search-space JSON file that replaces the inferred space (becomes source "given"). */
  searchSpace?: string;
}

export function detectFormat(dir: string): Importer {
  const hit = IMPORTERS.find((i) => i.detect(dir));
  if (!hit) {
    throw new InputError(
      "unknown meta-dataset format",
      dir,
      `expected one of: ${IMPORTERS.map((i) => `${i.format} = ${i.description}`).join("; ")}`,
    );
  }
  return hit;
}

export function loadMetaDataset(dir: string, opts: LoadOptions = {}): MetaDataset {
  if (!existsSync(dir)) throw new InputError("meta-dataset not found", dir, "pass an existing folder (or mapping file)");
  const format = opts.format ?? "auto";
  let importer: Importer | undefined;
  if (format === "auto") importer = detectFormat(dir);
  else {
    importer = IMPORTERS.find((i) => i.format === format);
    if (!importer) throw new InputError(`unknown format ${JSON.stringify(format)}`, "--format", `use auto or one of ${FORMATS.join(", ")}`);
  }
  const md = importer.load(dir);
  if (opts.searchSpace) applyGivenSpace(md, readSearchSpaceFile(opts.searchSpace));
  const r = MetaDataset.safeParse(md);
  if (!r.success) {
    // Importers check their input, so this is a bug or an input shape nobody anticipated: say where.
    throw new InputError(`imported data does not match the meta-dataset schema:\n${formatZodError(r.error)}`, dir, `check the ${importer.format} files`);
  }
  return r.data;
}

function applyGivenSpace(md: MetaDataset, space: SearchSpace): void {
  const inRuns = new Set(md.runs.flatMap((r) => Object.keys(r.hyperparameters)));
  const unknown = Object.keys(space.hyperparameters).filter((k) => !inRuns.has(k));
  const uncovered = [...inRuns].filter((k) => !(k in space.hyperparameters));
  md.searchSpace = space;
  md.searchSpaces = undefined;
  md.notes = [
    ...(md.notes ?? []),
    ...(unknown.length ? [`given search space names hyperparameters no run has: ${unknown.join(", ")}`] : []),
    ...(uncovered.length ? [`hyperparameters in the runs but not in the given search space: ${uncovered.join(", ")}`] : []),
  ];
}

/** The search space a run was sampled from (its own space in multi-space meta-datasets such as HPO-B). */
export function spaceOf(md: MetaDataset, run: Pick<Run, "space">): SearchSpace {
  return (run.space && md.searchSpaces?.[run.space]) || md.searchSpace;
}
