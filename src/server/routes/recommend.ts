import { Router } from "express";
import type { Services } from "../context.ts";
import { RecommendInput } from "../schemas.ts";
import { parseBody } from "../validate.ts";
import { recommendAndJudge } from "../recommend-input.ts";

export function recommendRoutes(s: Services): Router {
  return Router().post("/v1/recommend", async (req, res) => {
    const input = parseBody(RecommendInput, req);
    const { outcome, hit } = await recommendAndJudge(input, s.engine, s.cache, s.options.samples, s.pool);
    s.metrics.recommendations.inc({ endpoint: "recommend", model: outcome.recommendation.recommendation.model });
    res.setHeader("X-Cache", hit ? "hit" : "miss");
    res.json(outcome);
  });
}
