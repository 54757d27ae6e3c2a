import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { JsonGenerator } from "../../../src/llm/json-generator.ts";
import { ruleJudge } from "../../../src/judge/rule-judge.ts";
import { post, sharedEngine, start } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof start>>;
const stats = { tokens: { prompt: 10, completion: 5 }, ms: 1, tokensPerSecond: 5, attempts: 1, model: "scripted" };

/**
 * Over HTTP, in the chat: an LLM-written recommendation is held to the rule judge as in the CLI. The generator is
 * scripted (a real model cannot be made to write a chosen claim on cue); everything else is the real server.
 * It writes the recommendation's justification from the candidate line it is shown, truthfully or not.
 */
function writer(mode: { truthful: boolean }, calls: string[]): JsonGenerator {
  return {
    generateJson: async (req) => {
      if (req.schemaName !== "recommendation_choice") return { ok: false, error: "not scripted", ...stats };
      calls.push(req.prompt);
      // "s12 convnext_small: 0.974±0.019 (top1_accuracy 83.3), 88 min, ...": the first candidate shown.
      const [, id, model, metric, minutes] = /\n(\S+) (\S+): [\d.]+±[\d.]+ \(top1_accuracy ([\d.]+)\), (\d+) min/.exec(req.prompt)!;
      const evidence = /\n(ds:[^:\s]+):/.exec(req.prompt)![1];
      const value = mode.truthful ? Number(metric) : Number(metric) + 11;
      const justification = `I recommend ${model}: about ${value.toFixed(1)} top-1 accuracy in about ${minutes} min [${evidence}].`;
      return { ok: true, value: { choice: id, justification, evidence: [evidence] } as never, source: "llm", ...stats };
    },
    info: () => ({ kind: "remote", location: "test", model: "scripted" }),
    dispose: async () => {},
  };
}

describe("POST /v1/chat with an LLM writer held to the rule judge", () => {
  let s: Server;
  const mode = { truthful: true };
  const calls: string[] = [];
  before(async () => {
    s = await start({ llm: { generator: writer(mode, calls), timeoutMs: 10_000 } });
  });
  after(async () => {
    await s?.stop();
  });

  const recommend = async () => {
    calls.length = 0;
    const r = await post(`${s.url}/v1/chat`, { message: "recommend for 3000 dermoscopy images, 7 classes, 224 px" });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };

  test("a true justification is delivered as the LLM's, and passes the judge", async () => {
    mode.truthful = true;
    const r = await recommend();
    assert.equal(calls.length, 1);
    assert.equal(r.recommendation.source, "llm");
    assert.match(r.recommendation.justification, /^I recommend \S+: about [\d.]+ top-1 accuracy/);
    const { recommender } = await sharedEngine();
    assert.equal(ruleJudge(r.recommendation, { pack: recommender.pack, recommender }).pass, true);
  });

  test("a false one is written again with the judge's reasons, then replaced by the deterministic answer", async () => {
    mode.truthful = false;
    const r = await recommend();
    assert.equal(calls.length, 2);
    assert.match(calls[1], /Your previous answer was rejected by the judge:\n- accuracy: the text claims ".*top-1 accuracy", which is false/);
    assert.equal(r.recommendation.source, "deterministic");
    assert.match(r.recommendation.warnings.at(-1), /the LLM answer failed the judge twice/);
    assert.match(r.reply, /Warning: the LLM answer failed the judge twice/);
  });
});
