/**
 * A study survives a real process restart: `hporec serve` is killed with SIGKILL right after a result is told
 * (no graceful shutdown), a new process on the same state directory still has the result, counts a retried
 * tell once, and its next suggestions leave out what was told.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { get, post, tempDir, CARD } from "./helpers.ts";
import { childServers, exited } from "./child-server.ts";

const stateDir = tempDir();
const servers = childServers(stateDir);
after(() => {
  servers.killAll();
  rmSync(stateDir, { recursive: true, force: true });
});

test("a told result survives SIGKILL of the server, and a retried tell after the restart counts once", { timeout: 240_000 }, async () => {
  let { child, url } = await servers.serve();
  const created = await post(`${url}/v1/studies`, { card: CARD });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.study.id;
  const [a, b] = (await post(`${url}/v1/studies/${id}/ask`, { n: 2 })).json.suggestions;
  const told = await post(`${url}/v1/studies/${id}/tell`, { trialId: "run-a", config: a.candidateId, value: 64.5, seconds: 1200 });
  assert.equal(told.status, 201, JSON.stringify(told.json));
  child.kill("SIGKILL");
  await exited(child);

  ({ child, url } = await servers.serve());
  const view = (await get(`${url}/v1/studies/${id}`)).json;
  assert.deepEqual(view.study.trials.map((t: { id: string; value: number }) => [t.id, t.value]), [["run-a", 64.5]]);
  assert.ok(view.study.asked.some((s: { candidateId: string }) => s.candidateId === b.candidateId), "the suggestions made before the kill are remembered");
  const retried = await post(`${url}/v1/studies/${id}/tell`, { trialId: "run-a", config: a.candidateId, value: 64.5, seconds: 1200 });
  assert.equal(retried.status, 200);
  assert.equal(retried.json.duplicate, true);
  assert.equal(retried.json.trials, 1);
  // b can still be told by its id after the restart.
  assert.equal((await post(`${url}/v1/studies/${id}/tell`, { trialId: "run-b", config: b.candidateId, value: 70.1 })).status, 201);
  const next = await post(`${url}/v1/studies/${id}/ask`, { n: 3 });
  assert.equal(next.status, 200);
  const ids = next.json.suggestions.map((s: { candidateId: string }) => s.candidateId);
  assert.ok(!ids.includes(a.candidateId) && !ids.includes(b.candidateId), ids.join(","));
  assert.equal(next.json.belief.trials, 2);
  child.kill("SIGTERM");
  assert.equal(await exited(child), 0);
});
