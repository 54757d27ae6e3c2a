/**
 * The chat's study through /v1/studies (real HTTP, SQLite state, no LLM): a client that started in the chat reads,
 * tells and asks the same study under the conversation's id; a result told on either side is seen on the other,
 * counted once, and survives a restart.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { get, post, start, tempDir } from "./helpers.ts";

const stateDir = tempDir();
let server: Awaited<ReturnType<typeof start>> | undefined;
after(async () => {
  await server?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test("the conversation's study is /v1/studies/{conversationId}, kept in step both ways and across a restart", { timeout: 240_000 }, async () => {
  server = await start({ stateDir });
  const say = async (message: string, conversationId?: string) => {
    const r = await post(`${server!.url}/v1/chat`, { message, ...(conversationId && { conversationId }) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };
  const first = await say("3000 plant images, 30 classes, 224 px");
  const id = first.conversationId;
  const pick = first.recommendation.recommendation.candidateId;
  const told = await say("I got 71.2 % with that", id);
  const next = told.data.suggestions[0].candidateId;

  // Read through /v1/studies: the chat's result, and its next suggestion running.
  const view = await get(`${server.url}/v1/studies/${id}`);
  assert.equal(view.status, 200, JSON.stringify(view.json));
  assert.deepEqual(view.json.study.trials.map((t: { candidateId: string; value: number }) => [t.candidateId, t.value]), [[pick, 71.2]]);
  assert.deepEqual(view.json.running.map((r: { candidateId: string }) => r.candidateId), [next]);
  assert.ok((await get(`${server.url}/v1/studies`)).json.studies.some((s: { id: string }) => s.id === id));

  // Told through /v1/studies (a worker script), seen by the chat; a retry counts once.
  const body = { trialId: "worker-1", config: next, value: 64.5 };
  assert.equal((await post(`${server.url}/v1/studies/${id}/tell`, body)).status, 201);
  assert.equal((await post(`${server.url}/v1/studies/${id}/tell`, body)).json.duplicate, true);
  const conv = (await get(`${server.url}/v1/chat/${id}`)).json;
  assert.deepEqual(conv.study.trials.map((t: { id: string }) => t.id), ["t1", "worker-1"]);
  const three = await say("give me three to run in parallel", id);
  assert.equal(three.data.belief.trials, 2);
  const ids = three.data.suggestions.map((s: { candidateId: string }) => s.candidateId);
  assert.ok(!ids.includes(pick) && !ids.includes(next), ids.join(","));

  // Asked through /v1/studies: none of the chat's three (running), and the chat's next is not it; told in the chat,
  // seen through /v1/studies.
  const asked = (await post(`${server.url}/v1/studies/${id}/ask`, {})).json.suggestions[0].candidateId;
  assert.ok(!ids.includes(asked), asked);
  const chatNext = (await say(`${ids[0]} got 80 %`, id)).data.suggestions[0].candidateId;
  assert.ok(![asked, ...ids].includes(chatNext), `the chat suggests ${chatNext}, running on a worker or awaited`);
  await server.stop();
  server = undefined;

  server = await start({ stateDir });
  const after = (await get(`${server.url}/v1/studies/${id}`)).json.study;
  assert.deepEqual(after.trials.map((t: { id: string; candidateId: string; value: number }) => [t.id, t.candidateId, t.value]), [
    ["t1", pick, 71.2],
    ["worker-1", next, 64.5],
    ["t3", ids[0], 80],
  ]);
  assert.ok(after.asked.some((a: { candidateId: string }) => a.candidateId === asked), "what was asked through /v1/studies is kept");
  // The chat takes its last result back: gone from /v1/studies too.
  await say("that was wrong", id);
  assert.deepEqual((await get(`${server.url}/v1/studies/${id}`)).json.study.trials.map((t: { id: string }) => t.id), ["t1", "worker-1"]);

  // Deleted through /v1/studies: gone from the conversation too, not written back by its next turn; a result told
  // there afterwards starts a new study with that result alone.
  assert.equal((await fetch(`${server.url}/v1/studies/${id}`, { method: "DELETE" })).status, 204);
  assert.equal((await get(`${server.url}/v1/chat/${id}`)).json.study, undefined);
  await say("I got 50 % with that", id);
  const fresh = (await get(`${server.url}/v1/studies/${id}`)).json.study;
  assert.deepEqual(fresh.trials.map((t: { id: string; value: number }) => [t.id, t.value]), [["t1", 50]]);
});
