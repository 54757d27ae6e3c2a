/**
 * A study over the stateless OpenAI-compatible endpoint (real HTTP, no LLM): an OpenAI client sends the whole
 * history each time, so the study a conversation built up ("I got 71.2 % with that", "give me three", a failure,
 * a new budget, "that was wrong") must be rebuilt from it. Each completion must say what /v1/chat says at the same
 * turn of the same conversation, where the server keeps the state.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { post, start } from "./helpers.ts";

let s: Awaited<ReturnType<typeof start>>;
before(async () => {
  s = await start();
});
after(async () => {
  await s?.stop();
});

const turns = [
  "3000 plant images, 30 classes, 224 px",
  "I got 71.2 % with that",
  "that one got 75 %",
  "give me three to run in parallel",
  "the second one ran out of memory",
  "the first one got 78.5 %",
  "what if I only have one GPU-hour?",
  "I got 69 % with it",
  "sorry, that was wrong",
  "it got 73 %",
];

test("every turn of a study over /v1/chat/completions answers as /v1/chat does with the state kept", { timeout: 240_000 }, async () => {
  const stateful: string[] = [];
  let conversationId: string | undefined;
  for (const message of turns) {
    const r = await post(`${s.url}/v1/chat`, { message, ...(conversationId && { conversationId }) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    conversationId = r.json.conversationId;
    stateful.push(r.json.reply);
  }
  // The conversation really is a study with every result told where it belongs (else the comparison proves little).
  assert.match(stateful[2], /^Noted: 75 with /);
  assert.match(stateful[4], /ran out of memory/);
  for (let k = 1; k < turns.length; k++) {
    const messages = turns.slice(0, k + 1).flatMap((content, i) => [{ role: "user", content }, ...(i < k ? [{ role: "assistant", content: stateful[i] }] : [])]);
    const r = await post(`${s.url}/v1/chat/completions`, { model: "hporec", messages });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.choices[0].message.content, stateful[k], `turn ${k + 1}: "${turns[k]}"`);
  }
});
