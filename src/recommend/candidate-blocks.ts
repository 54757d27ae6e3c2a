/**
 * The candidates stage: configurations for a dataset, in blocks. Per similar past dataset, its winners and 4
 * mutations of each; then samples from the space. Each block draws from its own random stream (seed, dataset),
 * so it is the same whatever the other neighbours are, and is prepared for prediction once (learner/
 * block-predictor.ts), not per request: blocks recur across requests and are kept, least recently used first out.
 */
import { LRUCache } from "lru-cache";
import type { Configuration } from "../learner/features.ts";
import type { MetaLearner, PreparedConfigurations } from "../learner/meta-learner.ts";
import type { SearchSpace } from "../metadata/schema.ts";
import { hashSeed } from "../util/hash.ts";
import { createRng } from "../util/random.ts";
import { allowedModels, completeConfiguration, mutate, sampleConfigurations, type Candidate } from "./candidates.ts";
import type { Neighbour } from "./neighbours.ts";
import type { RecommendRequest } from "./request.ts";

export interface CandidateBlock {
  /** Ids are unique across the blocks of one request: "<dataset>-<k>" for a neighbour's, "s<k>" for samples. */
  candidates: Candidate[];
  prepared: PreparedConfigurations;
}

/** Random configurations sampled from the search space when the request does not say. */
export const DEFAULT_SAMPLES = 2000;

/** Mutations of each neighbour's winner. */
const MUTATIONS = 4;

/** Configuration rows kept prepared across requests. */
const ROWS_KEPT = 20_000;

export class CandidateBlocks {
  private readonly kept = new LRUCache<string, CandidateBlock>({ maxSize: ROWS_KEPT, sizeCalculation: (b) => Math.max(1, b.candidates.length) });

  constructor(
    private readonly learner: MetaLearner,
    private readonly space: { searchSpace: SearchSpace; models: string[] },
  ) {}

  /** The blocks of a request whose constraints were checked (request.ts): one per neighbour, then the samples. */
  for(req: RecommendRequest, neighbours: Neighbour[]): CandidateBlock[] {
    const c = req.constraints ?? {};
    const space = this.space.searchSpace;
    const models = allowedModels(this.space.models, c);
    const fixed = c.fixed ?? {};
    const seed = req.seed ?? 1;
    const samples = req.samples ?? DEFAULT_SAMPLES;
    const scope = JSON.stringify([seed, models, fixed]);
    const blocks = neighbours.map((n) =>
      this.block(`ds:${n.summary.id} ${scope}`, `${n.summary.id}-`, () => {
        const rng = createRng(hashSeed(seed, n.summary.id));
        return n.summary.topRuns
          .filter((r) => models.includes(r.model))
          .flatMap((r) => {
            const base = completeConfiguration(space, r, fixed);
            const origin = `ds:${n.summary.id}/${r.runId}`;
            return [{ ...base, origin }, ...Array.from({ length: MUTATIONS }, () => ({ ...mutate(space, base, rng, fixed), origin: `mutation:${origin}` }))];
          });
      }),
    );
    blocks.push(this.block(`samples:${samples} ${scope}`, "s", () => sampleConfigurations(space, models, samples, createRng(seed), fixed).map((cfg) => ({ ...cfg, origin: "sample" }))));
    return blocks;
  }

  private block(key: string, idPrefix: string, make: () => (Configuration & { origin: string })[]): CandidateBlock {
    let b = this.kept.get(key);
    if (!b) {
      const candidates = make().map((c, i) => ({ ...c, id: `${idPrefix}${i}` }));
      b = { candidates, prepared: this.learner.prepare(candidates) };
      this.kept.set(key, b);
    }
    return b;
  }
}
