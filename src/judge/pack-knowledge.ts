/**
 * What the judge needs from a pack besides the meta-learner: its explanations (good ranges, importance) and the
 * ids of every evidence document its index holds. Computed once per pack: a batch judges many answers.
 */
import type { Pack } from "../learner/pack.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import { readExplanations } from "../explain/pack-explanations.ts";
import { evidenceFromPack } from "../retrieval/evidence-from-pack.ts";

export interface PackKnowledge {
  explanations: Explanations;
  evidenceIds: Set<string>;
}

const cache = new WeakMap<Pack, PackKnowledge>();

export function packKnowledge(pack: Pack, explanations?: Explanations): PackKnowledge {
  let k = cache.get(pack);
  if (!k) {
    const ex = explanations ?? readExplanations(pack);
    // The index is built from exactly these documents, so their ids are the ones an answer may cite.
    k = { explanations: ex, evidenceIds: new Set(evidenceFromPack(pack, ex).map((d) => d.id)) };
    cache.set(pack, k);
  }
  return k;
}
