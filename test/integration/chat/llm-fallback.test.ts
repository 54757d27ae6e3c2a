import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatEngine } from "../../../src/chat/engine.ts";
import { newConversation } from "../../../src/chat/conversation.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";
import type { JsonGenerator } from "../../../src/llm/json-generator.ts";

const engine = loadEngine(DEFAULT_PACK);
const stats = { tokens: { prompt: 10, completion: 5 }, ms: 1, tokensPerSecond: 5, attempts: 1, model: "fake" };
const info = () => ({ kind: "remote" as const, location: "test", model: "fake" });

test("an LLM that never answers: the rule-based answer comes back after the timeout", async () => {
  const hanging: JsonGenerator = { generateJson: () => new Promise(() => {}), info, dispose: async () => {} };
  const chat = new ChatEngine(await engine, { samples: 100, llm: { generator: hanging, timeoutMs: 300 } });
  const t = Date.now();
  const r = await chat.reply(newConversation("c"), "2000 images, 5 classes, 128 px");
  assert.equal(r.source, "deterministic");
  assert.match(r.reply, /^I recommend /);
  assert.ok(Date.now() - t < 5000);
});

/** The recommendation's model and predicted metric, read from the facts the rewording prompt carries. */
function factsOf(prompt: string): { model: string; metric: number } {
  const m = /I recommend (\S+) \(top1_accuracy ≈ ([\d.]+)/.exec(prompt)!;
  return { model: m[1], metric: Number(m[2]) };
}

/** A generator standing in for the LLM (it must say chosen things on cue): only the rewording call answers. */
function rewording(reply: (prompt: string, call: number) => string, prompts: string[] = []): JsonGenerator {
  return {
    generateJson: async (req) => {
      if (req.schemaName !== "chat_reply") return { ok: false, error: "no", ...stats };
      prompts.push(req.prompt);
      return { ok: true, value: { reply: reply(req.prompt, prompts.length) } as never, source: "llm", ...stats };
    },
    info,
    dispose: async () => {},
  };
}

test("an LLM that answers truly: its wording is used and its tokens are counted", async () => {
  const seen: number[] = [];
  const gen = rewording((p) => `Use ${factsOf(p).model}: about ${factsOf(p).metric} top-1 accuracy is expected.`);
  const chat = new ChatEngine(await engine, { samples: 100, llm: { generator: gen, onTokens: (p, c) => seen.push(p, c) } });
  const conv = newConversation("c");
  const r = await chat.reply(conv, "2000 images, 5 classes, 128 px");
  assert.equal(r.source, "llm");
  assert.match(r.reply, /^Use \S+: about [\d.]+ top-1 accuracy is expected\.$/);
  // The rules still read the dataset when the LLM extraction fails.
  assert.equal(conv.card.samples, 2000);
  assert.ok(r.recommendation);
  assert.deepEqual(seen.slice(-2), [10, 5]);
});

test("a wording with a false number: asked once more with the judge's reasons, then the computed answer with a warning", async () => {
  const prompts: string[] = [];
  const gen = rewording((p) => `Use ${factsOf(p).model}: about ${(factsOf(p).metric + 11).toFixed(1)} top-1 accuracy.`, prompts);
  const chat = new ChatEngine(await engine, { samples: 100, llm: { generator: gen } });
  const r = await chat.reply(newConversation("c"), "2000 images, 5 classes, 128 px");
  assert.equal(prompts.length, 2);
  assert.match(prompts[1], /rejected by the judge:\n- the text claims ".*top-1 accuracy", which is false/);
  assert.equal(r.source, "deterministic");
  assert.match(r.reply, /^I recommend /);
  assert.match(r.warnings!.join(), /the LLM's wording failed the judge twice \(.*which is false.*\); the computed answer is given/);
});

test("a wording that leaves out the model and its metric is not used either", async () => {
  const gen = rewording(() => "Use the recommended model.");
  const chat = new ChatEngine(await engine, { samples: 100, llm: { generator: gen } });
  const r = await chat.reply(newConversation("c"), "2000 images, 5 classes, 128 px");
  assert.equal(r.source, "deterministic");
  assert.match(r.warnings!.join(), /does not name the recommended model/);
});
