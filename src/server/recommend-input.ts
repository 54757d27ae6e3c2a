/** One recommendation request body -> the engine's request -> recommendation + judge verdict. */
import { ruleJudge } from "../judge/rule-judge.ts";
import type { JudgeVerdict } from "../judge/verdict.ts";
import { DEFAULT_NEIGHBOURS } from "../recommend/neighbours.ts";
import type { Engine } from "../recommend/engine.ts";
import type { Recommendation } from "../recommend/schema.ts";
import { buildRequest, packContext, type BuiltRequest, type RecommendInput } from "../recommend/request.ts";
import type { RecommendPool } from "./workers/recommend-pool.ts";
import { LRUCache } from "lru-cache";
import { memoAsync } from "../util/memo.ts";

export interface RecommendOutcome {
  recommendation: Recommendation;
  judge: JudgeVerdict;
  assumptions: string[];
}

export function toRecommendRequest(input: RecommendInput, engine: Engine, defaultSamples?: number): BuiltRequest {
  return buildRequest(input, packContext(engine.recommender.pack), "body", defaultSamples === undefined ? {} : { samples: defaultSamples });
}

/**
 * Recommendations are deterministic for a given request and pack, so identical requests are answered from a
 * small LRU cache (keyed by the resolved request, not by the body's spelling).
 */
export class RecommendCache {
  private readonly lru: LRUCache<string, Promise<RecommendOutcome>>;

  constructor(capacity = 500) {
    this.lru = new LRUCache({ max: capacity });
  }

  async get(key: string, compute: () => Promise<RecommendOutcome>): Promise<{ outcome: RecommendOutcome; hit: boolean }> {
    const { value, hit } = memoAsync(this.lru, key, compute);
    return { outcome: await value, hit };
  }
}

/** With a worker pool, the recommendation is computed there (the request is resolved and validated here). */
export async function recommendAndJudge(
  input: RecommendInput,
  engine: Engine,
  cache: RecommendCache | undefined,
  defaultSamples?: number,
  pool?: RecommendPool,
): Promise<{ outcome: RecommendOutcome; hit: boolean }> {
  const { req, assumptions } = toRecommendRequest(input, engine, defaultSamples);
  const compute = async (): Promise<RecommendOutcome> => {
    if (pool) return pool.run(req, assumptions, await engine.recommender.findSimilar(req.dataset, req.neighbours ?? DEFAULT_NEIGHBOURS));
    const recommendation = await engine.recommender.recommend(req);
    return { recommendation, judge: ruleJudge(recommendation, { pack: engine.recommender.pack, recommender: engine.recommender }), assumptions };
  };
  if (!cache) return { outcome: await compute(), hit: false };
  return cache.get(JSON.stringify([engine.recommender.pack.manifest.name, req, assumptions]), compute);
}
