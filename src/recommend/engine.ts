/** Loads everything a recommendation needs from a pack, once: meta-learner, explanations, knowledge index. */
import { loadPack } from "../learner/pack.ts";
import { readExplanations } from "../explain/pack-explanations.ts";
import type { EmbedderChoice } from "../retrieval/create-embeddings.ts";
import type { KnowledgeIndex } from "../retrieval/knowledge-index.ts";
import { loadPackIndex } from "../retrieval/pack-index.ts";
import { Recommender } from "./recommender.ts";
import { DEFAULT_PACK } from "../package-info.ts";

export interface Engine {
  recommender: Recommender;
  index: KnowledgeIndex;
}

/** Loads a pack (default: the built-in one) with its explanations and knowledge index. */
export async function loadEngine(packDir: string = DEFAULT_PACK, choice: EmbedderChoice = {}): Promise<Engine> {
  const pack = loadPack(packDir);
  const explanations = readExplanations(pack);
  const index = await loadPackIndex(pack, choice);
  const recommender = new Recommender(
    pack,
    explanations,
    async (dataset, k) => (await index.similarDatasets(dataset, k)).map((h) => ({ id: h.doc.metadata.datasetId ?? h.doc.id, similarity: h.score })),
    (id) => index.get(id)?.text,
  );
  return { recommender, index };
}
