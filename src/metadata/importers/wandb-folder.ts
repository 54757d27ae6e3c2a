/**
 * A folder of W&B run-table exports read in place (`--train`, `--test`, `--data` take it as they take any
 * meta-dataset folder). A W&B export says nothing of which columns are the dataset, the metric or the
 * hyperparameters, so it needs a mapping: one beside the exports makes the folder `generic`; Quick-Tune's own
 * micro experiments (exports beside `micro_meta_descriptors.json`) are read with the shipped mapping
 * metadata/examples/wandb-micro.yaml, exactly as `hporec data import <folder> --mapping <it>` imports them — so
 * `hporec eval --train <quicktune-extended> --test <micro exports>` needs no import step.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../../package-info.ts";
import { InputError } from "../../util/errors.ts";
import { importWithMapping } from "../mapping/apply.ts";
import { readMapping } from "../mapping/schema.ts";
import { detectSourceFormat } from "../sources/index.ts";
import type { ImportedHistory, Importer } from "./types.ts";

/** The side table Quick-Tune's micro exports come with (dataset -> n_samples, n_classes, image size, channels). */
const MICRO_DESCRIPTORS = "micro_meta_descriptors.json";
const MICRO_MAPPING = path.join(PROJECT_ROOT, "metadata/examples/wandb-micro.yaml");

export const wandbFolder: Importer = {
  format: "wandb",
  description: `W&B run-table CSV exports (Quick-Tune's micro exports beside ${MICRO_DESCRIPTORS} read with metadata/examples/wandb-micro.yaml; any other with a mapping file beside them)`,
  detect: (dir) => statSync(dir).isDirectory() && detectSourceFormat([dir]) === "wandb",
  load: (dir) => loadWandbFolder(dir).metaDataset,
  loadHistory: loadWandbFolder,
};

/** The mapping shipped for these sources, if they are Quick-Tune's micro exports (a folder, or files in one). */
export function builtinWandbMapping(sources: readonly string[]): string | undefined {
  if (!sources.every((s) => existsSync(s)) || detectSourceFormat([...sources]) !== "wandb") return undefined;
  return mappingBeside(sources.map((s) => (statSync(s).isDirectory() ? s : path.dirname(s))));
}

/** The shipped mapping when every folder holds Quick-Tune's micro descriptors beside its exports. */
function mappingBeside(dirs: readonly string[]): string | undefined {
  return dirs.length > 0 && dirs.every((d) => existsSync(path.join(d, MICRO_DESCRIPTORS))) ? MICRO_MAPPING : undefined;
}

function loadWandbFolder(dir: string): ImportedHistory {
  // The folder was detected as W&B exports already (detect above): only the descriptors decide the mapping.
  const mapping = mappingBeside([dir]);
  if (!mapping)
    throw new InputError(
      "a folder of W&B exports needs a mapping (which columns are the dataset, the metric, the hyperparameters)",
      dir,
      `add hporec-mapping.yaml beside the exports (metadata/examples/wandb-micro.yaml is one), or import once: hporec data import ${dir} --mapping <file> --out <folder>`,
    );
  return importWithMapping([dir], "wandb", readMapping(mapping), mapping);
}
