import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { generateWithRetry, type AttemptSettings } from "../../../src/llm/json-attempts.ts";

const schema = z.object({ n: z.int().min(1) });
const usage = { prompt: 10, completion: 5 };

function scripted(outputs: string[], hitMaxTokens = false) {
  const seen: AttemptSettings[] = [];
  const attempt = async (s: AttemptSettings) => {
    seen.push(s);
    return { text: outputs[seen.length - 1], tokens: usage, hitMaxTokens };
  };
  return { seen, attempt };
}

test("a valid first answer: one attempt, tokens and speed reported", async () => {
  const { attempt } = scripted(['{"n": 3}']);
  const r = await generateWithRetry({ prompt: "p", schema }, () => "m", attempt);
  assert.ok(r.ok);
  assert.deepEqual(r.value, { n: 3 });
  assert.equal(r.attempts, 1);
  assert.deepEqual(r.tokens, usage);
  assert.equal(r.model, "m");
});

test("an invalid answer is retried once with the next seed", async () => {
  const { attempt, seen } = scripted(['{"n": 0}', '{"n": 2}']);
  const r = await generateWithRetry({ prompt: "p", schema, seed: 7, maxTokens: 99 }, () => "m", attempt);
  assert.ok(r.ok);
  assert.equal(r.attempts, 2);
  assert.deepEqual(seen.map((s) => s.seed), [7, 8]);
  assert.equal(seen[0].maxTokens, 99);
  assert.deepEqual(r.tokens, { prompt: 20, completion: 10 });
});

test("two failures give ok:false with both reasons", async () => {
  const { attempt } = scripted(['{"n": 0}', "not json"]);
  const r = await generateWithRetry({ prompt: "p", schema }, () => "m", attempt);
  assert.equal(r.ok, false);
  assert.equal(r.attempts, 2);
  assert.match(!r.ok ? r.error : "", /attempt 1: schema: n: .*; attempt 2: not valid JSON/);
});

test("a cut-off answer says so; a thrown attempt is a failed attempt, not an exception", async () => {
  const cut = await generateWithRetry({ prompt: "p", schema, maxTokens: 4 }, () => "m", scripted(['{"n', '{"n'], true).attempt);
  assert.match(!cut.ok ? cut.error : "", /stopped at maxTokens \(4\) before the JSON was complete/);
  const thrown = await generateWithRetry({ prompt: "p", schema }, () => "m", async () => {
    throw new Error("connection refused");
  });
  assert.equal(thrown.ok, false);
  assert.match(!thrown.ok ? thrown.error : "", /connection refused/);
});

test("an aborted request throws instead of retrying", async () => {
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(
    generateWithRetry({ prompt: "p", schema, signal: abort.signal }, () => "m", async () => {
      throw new Error("aborted");
    }),
    /aborted/,
  );
});
