import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { post, start } from "./helpers.ts";
import { MAX_USER_TURNS } from "../../../src/server/routes/openai.ts";

let s: Awaited<ReturnType<typeof start>>;
let client: OpenAI;
before(async () => {
  s = await start({ apiKey: "k-123" });
  client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "k-123", maxRetries: 0 });
});
after(async () => {
  await s?.stop();
});

const history = [
  { role: "system" as const, content: "You are helpful." },
  { role: "user" as const, content: "I have 4000 images of birds, 20 classes, 224 px." },
  { role: "assistant" as const, content: "(earlier answer)" },
  { role: "user" as const, content: "what if I only have one GPU-hour?" },
];

test("the official openai client gets a completion; earlier turns carry the dataset", async () => {
  const models = await client.models.list();
  assert.ok(models.data.some((m) => m.id === "hporec"));
  const r = await client.chat.completions.create({ model: "hporec", messages: history });
  assert.equal(r.object, "chat.completion");
  const text = r.choices[0].message.content ?? "";
  assert.match(text, /60 min/);
  assert.ok(r.usage!.completion_tokens > 0);
  assert.equal(r.choices[0].finish_reason, "stop");
});

test("the official openai client streams chunks that add up to the answer", async () => {
  const stream = await client.chat.completions.create({ model: "hporec", messages: history.slice(0, 2), stream: true });
  let text = "";
  let n = 0;
  let finish: string | null = null;
  for await (const chunk of stream) {
    n++;
    text += chunk.choices[0]?.delta?.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.ok(n > 3);
  assert.equal(finish, "stop");
  assert.match(text, /^I recommend \S+/);
  const plain = await client.chat.completions.create({ model: "hporec", messages: history.slice(0, 2) });
  assert.equal(text, plain.choices[0].message.content);
});

test("unknown model is 404, a wrong key 401 through the client", async () => {
  await assert.rejects(client.chat.completions.create({ model: "gpt-4o", messages: history }), (e: any) => e.status === 404);
  const bad = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: "wrong", maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: "hporec", messages: history }), (e: any) => e.status === 401);
  const r = await post(`${s.url}/v1/chat/completions`, { model: "hporec", messages: [{ role: "user", content: 5 }] }, { authorization: "Bearer k-123" });
  assert.equal(r.status, 400);
  assert.match(r.json.error.path, /^body\.messages\.0\.content/);
});

test("a history longer than the replay bound is refused with the field and the way out", async () => {
  const messages = Array.from({ length: MAX_USER_TURNS + 1 }, (_, i) => ({ role: "user", content: i ? "I got 70 % with that" : "3000 plant images, 30 classes" }));
  const r = await post(`${s.url}/v1/chat/completions`, { model: "hporec", messages }, { authorization: "Bearer k-123" });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.path, "body.messages");
  assert.match(r.json.error.message, /at most 100 are replayed.*\/v1\/chat/);
  const ok = await post(`${s.url}/v1/chat/completions`, { model: "hporec", messages: messages.slice(0, MAX_USER_TURNS) }, { authorization: "Bearer k-123" });
  assert.equal(ok.status, 200, JSON.stringify(ok.json));
});
