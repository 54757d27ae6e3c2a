/**
 * The neighbours stage: the past datasets of the pack most similar to the new one. Their winners become
 * candidates, their outcome distributions give the predicted metric, their runs the retrieval prior.
 */
import type { DatasetSummary } from "../learner/pack.ts";
import type { RecommendRequest } from "./request.ts";

/** Similar past datasets whose winners become candidates. */
export const DEFAULT_NEIGHBOURS = 5;

export interface Neighbour {
  summary: DatasetSummary;
  similarity: number;
}

/** Finds the past datasets most similar to a new one (cosine similarity in [-1, 1], best first). */
export type SimilarityFinder = (dataset: RecommendRequest["dataset"], k: number) => Promise<{ id: string; similarity: number }[]>;

/** Similar-dataset hits as neighbours; hits the pack has no summary of are dropped. */
export function toNeighbours(similar: { id: string; similarity: number }[], summaries: Map<string, DatasetSummary>): Neighbour[] {
  return similar.flatMap((s) => {
    const summary = summaries.get(s.id);
    return summary ? [{ summary, similarity: s.similarity }] : [];
  });
}

/** The k nearest past datasets of a dataset, as neighbours of the pack's summaries (in the finder's order). */
export function neighbourFinder(findSimilar: SimilarityFinder, datasets: readonly DatasetSummary[]): (dataset: RecommendRequest["dataset"], k: number) => Promise<Neighbour[]> {
  const summaries = new Map(datasets.map((d) => [d.id, d]));
  return async (dataset, k) => toNeighbours(await findSimilar(dataset, k), summaries);
}
