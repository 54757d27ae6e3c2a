import { Router } from "express";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { ExplainQuery } from "../schemas.ts";
import { parseQuery } from "../validate.ts";

/** What the loaded pack learned: importance, interactions, good ranges (overall or per domain), reduced space. */
export function explainRoutes(s: Services): Router {
  return Router().get("/v1/explain", (req, res) => {
    const q = parseQuery(ExplainQuery, req);
    const { explanations: ex, pack } = s.engine.recommender;
    if (q.domain !== undefined && !ex.goodRanges.byDomain[q.domain])
      throw new ApiError(400, "invalid_request", `unknown domain ${JSON.stringify(q.domain)}; known: ${Object.keys(ex.goodRanges.byDomain).join(", ")}`, "query.domain");
    res.json({
      pack: { name: pack.manifest.name, target: pack.manifest.target, metric: pack.manifest.metric },
      rowsExplained: ex.rowsExplained,
      importance: ex.importance.slice(0, q.top),
      interactions: ex.interactions.slice(0, q.top),
      goodRanges: (q.domain ? ex.goodRanges.byDomain[q.domain] : ex.goodRanges.overall).slice(0, q.top),
      goodRangesScope: q.domain ?? "overall",
      reducedSpace: ex.reducedSpace,
    });
  });
}
