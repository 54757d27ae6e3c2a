import { Router } from "express";
import { judgeRecommendation, type JudgeContext } from "../../judge/judge.ts";
import { ruleJudge } from "../../judge/rule-judge.ts";
import type { JudgeVerdict } from "../../judge/verdict.ts";
import { DEFAULT_TIMEOUT_MS, withDeadline } from "../../chat/llm.ts";
import type { Services } from "../context.ts";
import { JudgeRequest, type JudgeResponse } from "../schemas.ts";
import type { z } from "zod";
import { parseBody } from "../validate.ts";

/**
 * Judges one recommendation or a list (with a pass count). Rules always (each verdict lists its problems —
 * for a false claim, the claim quoted and why it is false — and every claim checked); the LLM judge's grades
 * too when a model is configured and answers within the timeout (otherwise the rules' verdict, with llmError).
 */
export function judgeRoutes(s: Services): Router {
  const generator = s.options.llm?.generator;
  const judge = async (rec: unknown, ctx: JudgeContext): Promise<JudgeVerdict> => {
    if (!generator) return judgeRecommendation(rec, ctx);
    const v = await withDeadline(s.options.llm?.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => judgeRecommendation(rec, ctx, generator));
    return v ?? { ...ruleJudge(rec, ctx), llmError: "the LLM judge did not answer in time" };
  };
  return Router().post("/v1/judge", async (req, res) => {
    const body = parseBody(JudgeRequest, req);
    const ctx = { pack: s.engine.recommender.pack, recommender: s.engine.recommender };
    if (body.recommendation) return void res.json({ verdict: await judge(body.recommendation, ctx) } satisfies z.input<typeof JudgeResponse>);
    const verdicts: JudgeVerdict[] = [];
    for (const r of body.recommendations!) verdicts.push(await judge(r, ctx));
    res.json({ verdicts, summary: { total: verdicts.length, passed: verdicts.filter((v) => v.pass).length } } satisfies z.input<typeof JudgeResponse>);
  });
}
