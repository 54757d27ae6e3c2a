/**
 * Meta-features of a NEW dataset (MetaLLMiX: instances, classes, imbalance ratio, class entropy, resolution,
 * class-size statistics, modality) from a dataset card, an image folder or a CSV.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { cardToMetaFeatures, parseCard, readCard, type DatasetCard } from "../card.ts";
import { describeCsv } from "./csv.ts";
import { describeImageFolder } from "./image-folder.ts";
import type { DatasetDescription } from "./types.ts";

export interface DescribeOptions {
  /** CSV label column (default "label", else the last column). */
  label?: string;
  /** Image folders: how many images per class to read headers from. */
  maxImagesPerClass?: number;
}

/** `input`: a path (image folder, .csv/.tsv, card .json/.yaml/.yml) or an already parsed card object. */
export function describeDataset(input: string | DatasetCard, opts: DescribeOptions = {}): DatasetDescription {
  if (typeof input !== "string") return fromCard(parseCard(input), "card");
  if (!existsSync(input)) throw new InputError("not found", input, "pass an image folder (one sub-folder per class), a CSV, or a dataset card (.json/.yaml)");
  if (statSync(input).isDirectory()) return describeImageFolder(input, opts.maxImagesPerClass);
  if (/\.(csv|tsv)$/i.test(input)) return describeCsv(input, opts.label);
  if (/\.(json|ya?ml)$/i.test(input)) return fromCard(readCard(input), path.basename(input).replace(/\.[^.]+$/, ""));
  throw new InputError(`cannot describe ${path.extname(input) || "a file without extension"}`, input, "pass an image folder, a .csv/.tsv file, or a dataset card (.json/.yaml/.yml)");
}

function fromCard(card: DatasetCard, fallbackName: string): DatasetDescription {
  const classCounts = card.classCounts && !Array.isArray(card.classCounts) ? card.classCounts : undefined;
  return {
    kind: "card",
    name: card.name ?? fallbackName,
    metaFeatures: cardToMetaFeatures(card),
    domain: card.domain,
    modality: card.modality ?? "image",
    ...(classCounts ? { classCounts } : {}),
  };
}

export type { DatasetDescription } from "./types.ts";
