/**
 * The chat's study through /v1/studies (real HTTP, SQLite state, no LLM): a client that started in the chat reads,
 * tells and asks the same study under the conversation's id; a result told on either side is seen on the other,
 * counted once, and survives a restart.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
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

test("an expired conversation's study is swept with it, unless it was used through /v1/studies since", { timeout: 240_000 }, async () => {
  const dir = tempDir();
  const a = await start({ stateDir: dir });
  const chatWithStudy = async () => {
    const first = (await post(`${a.url}/v1/chat`, { message: "3000 plant images, 30 classes, 224 px" })).json;
    assert.equal((await post(`${a.url}/v1/chat`, { conversationId: first.conversationId, message: "I got 71.2 % with that" })).status, 200);
    return first.conversationId as string;
  };
  const [idle, used] = [await chatWithStudy(), await chatWithStudy()];
  await a.stop();
  // Both conversations idle for two hours; only `idle`'s study as long (`used`'s was told a result a minute ago).
  const db = new Database(path.join(dir, "state.sqlite"));
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  for (const id of [idle, used]) {
    const row = db.prepare("SELECT data FROM conversations WHERE id = ?").get(id) as { data: string };
    const at = ago(2 * 3600_000);
    db.prepare("UPDATE conversations SET data = ?, updated_at = ? WHERE id = ?").run(JSON.stringify({ ...JSON.parse(row.data), updatedAt: at }), at, id);
  }
  // A study's time of change is its row's (the record itself has none).
  db.prepare("UPDATE studies SET updated_at = ? WHERE id = ?").run(ago(2 * 3600_000), idle);
  db.prepare("UPDATE studies SET updated_at = ? WHERE id = ?").run(ago(60_000), used);
  db.close();
  const b = await start({ stateDir: dir, conversationTtlMs: 3600_000 });
  try {
    assert.equal((await get(`${b.url}/v1/chat/${idle}`)).status, 404);
    assert.equal((await get(`${b.url}/v1/studies/${idle}`)).status, 404, "swept with its conversation");
    assert.equal((await get(`${b.url}/v1/chat/${used}`)).status, 404);
    assert.equal((await get(`${b.url}/v1/studies/${used}`)).status, 200, "changed since: kept");
  } finally {
    await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
