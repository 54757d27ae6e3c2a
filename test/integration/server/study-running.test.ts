/**
 * Parallel workers over HTTP (Optuna's semantics): a configuration asked and not told is running, so workers
 * asking at the same time, or after one result, never get one another's; GET lists the running ones, and
 * includeRunning offers them again (a lost worker's run).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { CARD, get, post, start } from "./helpers.ts";

let server: Awaited<ReturnType<typeof start>> | undefined;
after(() => server?.stop());

test("workers asking at once get different configurations; after one result the next is none of those running", { timeout: 240_000 }, async () => {
  server = await start();
  const id = (await post(`${server.url}/v1/studies`, { card: CARD })).json.study.id;
  const rec = (await post(`${server.url}/v1/recommend`, { card: CARD })).json.recommendation.recommendation.candidateId;

  const asks = await Promise.all([1, 2, 3].map(() => post(`${server!.url}/v1/studies/${id}/ask`, {})));
  const ids = asks.map((r) => r.json.suggestions[0].candidateId);
  assert.equal(new Set(ids).size, 3, ids.join(","));
  assert.ok(ids.includes(rec), "one worker gets the zero-shot pick");

  const [a, b, c] = ids;
  assert.equal((await post(`${server.url}/v1/studies/${id}/tell`, { config: a, value: 71.2 })).status, 201);
  const view = (await get(`${server.url}/v1/studies/${id}`)).json;
  assert.deepEqual(view.running.map((x: { candidateId: string }) => x.candidateId).sort(), [b, c].sort());

  const next = (await post(`${server.url}/v1/studies/${id}/ask`, { n: 3 })).json;
  const nextIds = next.suggestions.map((s: { candidateId: string }) => s.candidateId);
  assert.ok(!nextIds.some((x: string) => [a, b, c].includes(x)), nextIds.join(","));
  assert.match(next.warnings.join("\n"), new RegExp(`2 running configurations \\(asked, no result told yet\\) left out: (${b}, ${c}|${c}, ${b}); .*includeRunning`));

  // A lost worker: includeRunning offers the running ones again (nothing told: the zero-shot pick itself).
  const fresh = (await post(`${server.url}/v1/studies`, { card: CARD })).json.study.id;
  assert.equal((await post(`${server.url}/v1/studies/${fresh}/ask`, {})).json.suggestions[0].candidateId, rec);
  assert.notEqual((await post(`${server.url}/v1/studies/${fresh}/ask`, {})).json.suggestions[0].candidateId, rec);
  const back = (await post(`${server.url}/v1/studies/${fresh}/ask`, { includeRunning: true })).json;
  assert.equal(back.suggestions[0].candidateId, rec);
  assert.doesNotMatch(back.warnings.join("\n"), /running/);
  assert.equal((await post(`${server.url}/v1/studies/${fresh}/ask`, { includeRunning: "yes" })).json.error.path, "body.includeRunning");
});
