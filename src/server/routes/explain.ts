import { Router } from "express";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { ExplainQuery, type ExplainResponse } from "../schemas.ts";
import type { z } from "zod";
import { parseQuery } from "../validate.ts";
import { importanceForDataset } from "../../explain/games/recommendation-importance.ts";
import { domainRanges } from "../../explain/explain-learner.ts";

/** What the loaded pack learned: importance, interactions, good ranges (overall or per domain), reduced space. */
export function explainRoutes(s: Services): Router {
  return Router().get("/v1/explain", (req, res) => {
    const q = parseQuery(ExplainQuery, req);
    const { explanations: ex, pack } = s.engine.recommender;
    const domainGood = domainRanges(ex, q.domain);
    if (q.domain !== undefined && !domainGood)
      throw new ApiError(400, "invalid_request", `unknown domain ${JSON.stringify(q.domain)}; known: ${Object.keys(ex.goodRanges.byDomain).join(", ")}`, "query.domain");
    const past = q.datasetId === undefined ? undefined : pack.datasets.find((d) => d.id === q.datasetId);
    if (q.datasetId !== undefined && !past)
      throw new ApiError(400, "invalid_request", `unknown dataset ${JSON.stringify(q.datasetId)}; known: ${pack.datasets.map((d) => d.id).join(", ")}`, "query.datasetId");
    res.json({
      pack: { name: pack.manifest.name, target: pack.manifest.target, metric: pack.manifest.metric },
      rowsExplained: ex.rowsExplained,
      importance: ex.importance.slice(0, q.top),
      interactions: ex.interactions.slice(0, q.top),
      goodRanges: (domainGood ?? ex.goodRanges.overall).slice(0, q.top),
      goodRangesScope: q.domain ?? "overall",
      reducedSpace: ex.reducedSpace,
      ...(past && { importanceForDataset: importanceForDataset(pack, past) }),
    } satisfies z.input<typeof ExplainResponse>);
  });
}
