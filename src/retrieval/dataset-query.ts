/**
 * A dataset as a retrieval query: what is known about a (new) dataset. Structurally a subset of the
 * meta-dataset's `Dataset` (a past dataset can be passed as is); from a user's card (src/metadata/card.ts):
 * `{ ...card, metaFeatures: cardToMetaFeatures(card) }`.
 */
import { withMetaLine } from "./meta-line.ts";

export interface DatasetQuery {
  name?: string;
  description?: string;
  domain?: string;
  modality?: string;
  task?: string;
  metaFeatures: Record<string, number>;
}

/** The query text: the meta line, then the words that describe the dataset (for the text features). */
export function renderDatasetQuery(card: DatasetQuery): string {
  const words = [
    card.name && `dataset ${card.name}`,
    card.domain && `domain ${card.domain}`,
    card.modality && `modality ${card.modality}`,
    card.task && `task ${card.task}`,
    card.description,
  ].filter((s): s is string => !!s && s.trim() !== "");
  return withMetaLine(card, words.join("\n"));
}
