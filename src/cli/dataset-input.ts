/** How the CLI learns about a new dataset: a card file, an image folder, a CSV, or flags. */
import { Option, type Command } from "commander";
import { describeDataset } from "../metadata/describe/index.ts";
import { parseCard } from "../metadata/card.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import { InputError } from "../util/errors.ts";
import { intOption } from "./options.ts";

export interface DatasetFlags {
  dataset?: string;
  images?: string;
  csv?: string;
  label?: string;
  samples?: number;
  classes?: number;
  imageSize?: number;
  channels?: number;
  domain?: string;
  modality?: string;
  name?: string;
}

export function addDatasetOptions(cmd: Command): Command {
  return cmd
    .option("--dataset <card>", "dataset card (.json/.yaml): samples, classes, imageSize, channels, domain, modality, classCounts")
    .option("--images <folder>", "image folder with one sub-folder per class (meta-features are measured)")
    .option("--csv <file>", "CSV with a label column (see --label)")
    .option("--label <column>", "label column of --csv (default: label, else the last column)")
    .option("--samples <n>", "number of training samples", intOption("--samples", 1, 1e10))
    .option("--classes <k>", "number of classes", intOption("--classes", 2, 1e7))
    .option("--image-size <px>", "image side in pixels (128 when not given, the past datasets' size; the answer says it was assumed)", intOption("--image-size", 1, 1e5))
    .option("--channels <c>", "image channels (1 grayscale, 3 RGB; 3 when not given, said in the answer)", intOption("--channels", 1, 64))
    .option("--domain <d>", "application domain, e.g. plants, microscopy, remote_sensing, medical")
    .addOption(new Option("--modality <m>", "data modality").choices(["image", "mri", "ct", "xray", "ultrasound", "tabular", "text"]))
    .option("--name <name>", "a name for the dataset in the answer");
}

/** Exactly one way of describing the dataset; flags build a card validated like a card file. */
export function datasetFromFlags(f: DatasetFlags): RecommendRequest["dataset"] {
  const sources = [f.dataset && "--dataset", f.images && "--images", f.csv && "--csv", (f.samples !== undefined || f.classes !== undefined) && "--samples/--classes"].filter(Boolean);
  if (sources.length === 0)
    throw new InputError("no dataset given", "dataset", "pass --samples N --classes K (and optionally --image-size, --channels, --domain), or --dataset card.json, or --images <folder>");
  if (sources.length > 1) throw new InputError(`give the dataset one way, not ${sources.join(" and ")}`, "dataset");
  const path = f.dataset ?? f.images ?? f.csv;
  const d = path
    ? describeDataset(path, { label: f.label })
    : describeDataset(
        parseCard(
          {
            ...(f.name && { name: f.name }),
            samples: f.samples,
            classes: f.classes,
            imageSize: f.imageSize ?? (isImage(f.modality) ? ASSUMED.imageSize : undefined),
            channels: f.channels ?? (isImage(f.modality) ? ASSUMED.channels : undefined),
            ...(f.domain && { domain: f.domain }),
            ...(f.modality && { modality: f.modality }),
          },
          "flags",
        ),
      );
  return { name: f.name ?? (path ? d.name : undefined), metaFeatures: d.metaFeatures, domain: f.domain && path ? f.domain : d.domain, modality: d.modality };
}

const isImage = (m?: string) => !m || !["tabular", "text"].includes(m);

/** What an image dataset described by --samples/--classes is taken to have when not said: the past datasets' size. */
const ASSUMED = { imageSize: 128, channels: 3 };

/** What `datasetFromFlags` filled in for an image dataset described by --samples/--classes, said as the --ask path says it. */
export function flagAssumptions(f: DatasetFlags): string[] {
  if (f.dataset || f.images || f.csv || !isImage(f.modality)) return [];
  return [
    ...(f.imageSize === undefined ? [`image size ${ASSUMED.imageSize} px (not given: --image-size; ${ASSUMED.imageSize} px is the past datasets' size)`] : []),
    ...(f.channels === undefined ? [`${ASSUMED.channels} channels (not given: --channels)`] : []),
  ];
}
