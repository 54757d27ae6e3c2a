/** A recommender loaded from a pack without its knowledge index (see `loadRecommender`). */
import { loadPack } from "../learner/pack.ts";
import { readExplanations } from "../explain/pack-explanations.ts";
import { evidenceFromPack } from "../retrieval/evidence-from-pack.ts";
import { Recommender } from "./recommender.ts";
import type { SimilarityFinder } from "./neighbours.ts";

/**
 * The recommender without the knowledge index, for worker threads. faiss-node must not even be imported in a
 * worker: its addon keeps one constructor reference per process, and a worker's import breaks the main
 * thread's index. Similar datasets come from `findSimilar` (the main thread's index), evidence texts from the
 * pack's own documents, which are what the index was built from.
 */
export function loadRecommender(packDir: string, findSimilar: SimilarityFinder): Recommender {
  const pack = loadPack(packDir);
  const explanations = readExplanations(pack);
  const texts = new Map(evidenceFromPack(pack, explanations).map((d) => [d.id, d.text]));
  return new Recommender(pack, explanations, findSimilar, (id) => texts.get(id));
}
