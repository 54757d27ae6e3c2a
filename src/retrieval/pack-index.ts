/** The knowledge index of a pack: evidence documents from the pack, embedded, saved in <pack>/index. */
import { loadPack, type Pack } from "../learner/pack.ts";
import { readExplanations } from "../explain/pack-explanations.ts";
import type { EmbedderChoice } from "./create-embeddings.ts";
import { embeddingsForBuild } from "./create-embeddings.ts";
import { evidenceFromPack } from "./evidence-from-pack.ts";
import { indexDirOf, KnowledgeIndex, type BuildOptions } from "./knowledge-index.ts";

/** Builds and atomically replaces the pack's index; the previous index stays usable until the swap. */
export async function buildPackIndex(pack: Pack | string, choice: EmbedderChoice = {}, options: BuildOptions = {}): Promise<KnowledgeIndex> {
  const p = typeof pack === "string" ? loadPack(pack) : pack;
  const docs = evidenceFromPack(p, readExplanations(p));
  const index = await KnowledgeIndex.build(docs, await embeddingsForBuild(docs, choice), options);
  await index.save(indexDirOf(p.dir));
  return index;
}

export function loadPackIndex(pack: Pack, choice: EmbedderChoice = {}): Promise<KnowledgeIndex> {
  return KnowledgeIndex.load(indexDirOf(pack.dir), { ...choice, rebuildHint: `hporec index --pack ${pack.dir}` });
}
