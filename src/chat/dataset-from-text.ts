/**
 * Turns what a user said (a card, or words) into the engine's dataset. Shared by the chat engine, the HTTP
 * recommend endpoint and batch jobs, so a message and a card mean the same thing everywhere.
 */
import { describeDataset } from "../metadata/describe/index.ts";
import { parseCard, type DatasetCard } from "../metadata/card.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import { InputError } from "../util/errors.ts";

/** Image defaults when a message leaves them out (the CLI's flags use the same ones). */
export const IMAGE_DEFAULTS = { imageSize: 128, channels: 3 } as const;

export interface ResolvedDataset {
  dataset: RecommendRequest["dataset"];
  /** What was assumed because the user did not say it. */
  assumptions: string[];
}

/** A partial card from a message: samples and classes are required, image size and channels get defaults. */
export function datasetFromPartialCard(card: Partial<DatasetCard>, where: string): ResolvedDataset {
  const missing = (["samples", "classes"] as const).filter((k) => card[k] === undefined);
  if (missing.length)
    throw new InputError(`the description does not give the number of ${missing.map((m) => (m === "samples" ? "training samples" : "classes")).join(" or the number of ")}`, where, 'say e.g. "5,000 images in 7 classes, 224 px"');
  const assumptions: string[] = [];
  const full = { ...card };
  if (full.modality !== "tabular" && full.modality !== "text") {
    if (full.imageSize === undefined) {
      full.imageSize = IMAGE_DEFAULTS.imageSize;
      assumptions.push(`image size ${IMAGE_DEFAULTS.imageSize} px (not stated)`);
    }
    if (full.channels === undefined) {
      full.channels = IMAGE_DEFAULTS.channels;
      assumptions.push(`${IMAGE_DEFAULTS.channels} colour channels (not stated)`);
    }
  }
  return { dataset: datasetFromCard(full, where), assumptions };
}

export function datasetFromCard(card: unknown, where = "card"): RecommendRequest["dataset"] {
  const d = describeDataset(parseCard(card, where));
  return { name: d.name === "card" ? undefined : d.name, metaFeatures: d.metaFeatures, domain: d.domain, modality: d.modality };
}
