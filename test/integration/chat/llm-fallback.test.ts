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

test("an LLM that answers: its wording is used and its tokens are counted", async () => {
  const seen: number[] = [];
  // The extractor's call fails (not the extraction schema); the rewording call succeeds.
  const gen: JsonGenerator = {
    generateJson: async (req) => (req.schemaName === "chat_reply" ? { ok: true, value: { reply: "Use the recommended model." } as never, source: "llm", ...stats } : { ok: false, error: "no", ...stats }),
    info,
    dispose: async () => {},
  };
  const chat = new ChatEngine(await engine, { samples: 100, llm: { generator: gen, onTokens: (p, c) => seen.push(p, c) } });
  const conv = newConversation("c");
  const r = await chat.reply(conv, "2000 images, 5 classes, 128 px");
  assert.equal(r.source, "llm");
  assert.equal(r.reply, "Use the recommended model.");
  // The rules still read the dataset when the LLM extraction fails.
  assert.equal(conv.card.samples, 2000);
  assert.ok(r.recommendation);
  assert.deepEqual(seen.slice(-2), [10, 5]);
});
