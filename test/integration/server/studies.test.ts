/**
 * Ask/tell studies over real HTTP (express on 127.0.0.1, the built-in pack, SQLite state): the first ask is the
 * recommendation, results survive a server restart, a retried tell (same Idempotency-Key) counts once, and bad
 * input is a 400 naming the field. The restart is a new app and a reopened state database in this process.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { CARD, get, post, start, tempDir } from "./helpers.ts";
import { loadPack } from "../../../src/learner/pack.ts";
import { DEFAULT_PACK } from "../cli/helpers.ts";

const stateDir = tempDir();
let server: Awaited<ReturnType<typeof start>> | undefined;
after(async () => {
  await server?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

test("a study asks, is told, survives a restart between tell and ask, and never counts a result twice", { timeout: 240_000 }, async () => {
  server = await start({ stateDir });
  const created = await post(`${server.url}/v1/studies`, { card: CARD });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const id = created.json.study.id;
  assert.equal(created.headers.get("location"), `/v1/studies/${id}`);

  const first = await post(`${server.url}/v1/studies/${id}/ask`, {});
  assert.equal(first.status, 200, JSON.stringify(first.json));
  const rec = await post(`${server.url}/v1/recommend`, { card: CARD });
  assert.equal(first.json.suggestions[0].candidateId, rec.json.recommendation.recommendation.candidateId);
  assert.deepEqual(first.json.suggestions[0].evidence, rec.json.recommendation.evidence, "the first suggestion cites what the recommendation cites");
  assert.deepEqual(first.json.suggestions[0].optuna, { model: rec.json.recommendation.recommendation.model, ...rec.json.recommendation.recommendation.hyperparameters });

  const three = await post(`${server.url}/v1/studies/${id}/ask`, { n: 3 });
  const [a, b] = three.json.suggestions;
  const told = await post(`${server.url}/v1/studies/${id}/tell`, { config: a.candidateId, value: 71.2, seconds: 3600 }, { "idempotency-key": "run-a" });
  assert.equal(told.status, 201, JSON.stringify(told.json));
  await server.stop();
  server = undefined;

  server = await start({ stateDir });
  const retried = await post(`${server.url}/v1/studies/${id}/tell`, { config: a.candidateId, value: 71.2, seconds: 3600 }, { "idempotency-key": "run-a" });
  assert.equal(retried.status, 200);
  assert.equal(retried.json.duplicate, true);
  assert.equal(retried.json.trials, 1);
  const conflict = await post(`${server.url}/v1/studies/${id}/tell`, { config: a.candidateId, value: 60 }, { "idempotency-key": "run-a" });
  assert.equal(conflict.status, 409, "another result under the same key conflicts with the stored one (OpenAPI: 409)");
  assert.match(conflict.json.error.message, /already told/);
  assert.equal((await post(`${server.url}/v1/studies/${id}/tell`, { trialId: "run-b", config: b.candidateId, value: 74.5 })).status, 201);
  const otherResult = await post(`${server.url}/v1/studies/${id}/tell`, { trialId: "run-b", config: b.candidateId, value: 47.5 });
  assert.equal(otherResult.status, 409, JSON.stringify(otherResult.json));
  assert.equal(otherResult.json.error.code, "trial_conflict");
  assert.match(otherResult.json.error.message, /trial run-b was already told with another result; .*forget the trial first/);

  const next = await post(`${server.url}/v1/studies/${id}/ask`, { n: 4 });
  assert.equal(next.status, 200);
  const ids = next.json.suggestions.map((s: { candidateId: string }) => s.candidateId);
  assert.ok(!ids.includes(a.candidateId) && !ids.includes(b.candidateId), ids.join(","));
  assert.equal(next.json.belief.trials, 2);
  assert.equal(next.json.belief.pairs, 1);
  assert.match(next.json.belief.explanation, /Best so far: 74\.5 \(run-b\)/);
  // A past dataset's two experts (its card, its runs) are one entry, named as the pack names the dataset.
  const similar = next.json.belief.similarDatasets.map((d: { id: string }) => d.id);
  const packIds = new Set(loadPack(DEFAULT_PACK).datasets.map((d) => d.id));
  assert.ok(similar.length > 0 && similar.every((d: string) => packIds.has(d)), similar.join(","));
  assert.equal(new Set(similar).size, similar.length, similar.join(","));

  const view = await get(`${server.url}/v1/studies/${id}`);
  assert.deepEqual(view.json.study.trials.map((t: { id: string }) => t.id), ["run-a", "run-b"]);

  // The list: the most recently changed first, with what a user finds a study by.
  const other = (await post(`${server.url}/v1/studies`, { card: { ...CARD, name: "other" } })).json.study.id;
  const listed = (await get(`${server.url}/v1/studies`)).json.studies;
  assert.deepEqual(listed.map((x: { id: string }) => x.id), [other, id]);
  const toldIds = new Set(view.json.study.trials.map((t: { candidateId?: string }) => t.candidateId));
  const running = view.json.study.asked.filter((x: { candidateId: string }) => !toldIds.has(x.candidateId)).length;
  assert.deepEqual({ ...listed[1], createdAt: undefined, updatedAt: undefined }, { id, name: "skin", pack: "quicktune-extended", direction: "max", trials: 2, running, best: 74.5, createdAt: undefined, updatedAt: undefined });
  assert.ok(listed[1].updatedAt > listed[1].createdAt, JSON.stringify(listed[1]));
  assert.equal(listed[0].best, null);
  await post(`${server.url}/v1/studies/${id}/ask`, {});
  const [changed] = (await get(`${server.url}/v1/studies?limit=1`)).json.studies;
  assert.equal(changed.id, id, "an ask changes the study");
  assert.equal(changed.running, running + 1, "the configuration asked is running");
  const badLimit = await get(`${server.url}/v1/studies?limit=0`);
  assert.equal(badLimit.status, 400);
  assert.equal(badLimit.json.error.path, "query.limit");
  // A query value that does not read as a number is quoted as sent (its coerced NaN would print as null).
  assert.match((await get(`${server.url}/v1/studies?limit=abc`)).json.error.message, /; got "abc"$/);
  assert.equal((await fetch(`${server.url}/v1/studies/${other}`, { method: "DELETE" })).status, 204);
  assert.ok(view.json.study.asked.length >= 3);

  // Bad input: 400 naming the field; unknown study: 404.
  const bad = [
    [{ config: a.candidateId }, "body.value"],
    [{ config: "nope", value: 1 }, "body.config"],
    [{ config: a.candidateId, value: 1, failed: "melted" }, "body.failed"],
  ] as const;
  for (const [body, path] of bad) {
    const r = await post(`${server.url}/v1/studies/${id}/tell`, body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json.error.path, path);
  }
  const badN = await post(`${server.url}/v1/studies/${id}/ask`, { n: 0 });
  assert.equal(badN.status, 400);
  assert.equal(badN.json.error.path, "body.n");
  assert.equal((await post(`${server.url}/v1/studies`, { card: { ...CARD, classes: 1 } })).status, 400);

  // A value told on another scale is recorded with a warning, and a told result can be taken back.
  const fraction = await post(`${server.url}/v1/studies/${id}/tell`, { config: three.json.suggestions[2].candidateId, value: 0.712 });
  assert.equal(fraction.status, 201, JSON.stringify(fraction.json));
  assert.equal(fraction.json.warnings.length, 1);
  assert.match(fraction.json.warnings[0], /^0\.712 looks like a fraction: top1_accuracy in the past runs goes from [\d.]+ to 100, so 71\.2 % is told as 71\.2/);
  assert.deepEqual(told.json.warnings, [], "71.2 is on the past runs' scale");
  const forget = (trial: string) => fetch(`${server!.url}/v1/studies/${id}/trials/${trial}`, { method: "DELETE" }).then(async (r) => ({ status: r.status, json: await r.json() }));
  const forgotten = await forget(fraction.json.trial.id);
  assert.equal(forgotten.status, 200, JSON.stringify(forgotten.json));
  assert.equal(forgotten.json.forgotten.value, 0.712);
  assert.equal(forgotten.json.trials, 2);
  assert.deepEqual((await get(`${server.url}/v1/studies/${id}`)).json.study.trials.map((t: { id: string }) => t.id), ["run-a", "run-b"]);
  const again = await forget(fraction.json.trial.id);
  assert.equal(again.status, 404);
  assert.equal(again.json.error.path, "params.trialId");
  assert.match(again.json.error.message, /run-a, run-b/);
  assert.equal((await forget("no%20spaces")).status, 400);
  // A configuration written out is checked against the pack: an unknown model is a 400; one given in part is told, with a warning.
  const unknown = await post(`${server.url}/v1/studies/${id}/tell`, { config: { model: "gpt5", hyperparameters: {} }, value: 70 });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.error.path, "body.config.model");
  // An lr no suggestion of that model has: a configuration of its own, its other hyperparameters unknown.
  const model = three.json.suggestions[0].model;
  const lrs = [...three.json.suggestions, ...next.json.suggestions].filter((s: { model: string }) => s.model === model).map((s: { hyperparameters: { lr: number } }) => s.hyperparameters.lr);
  const partial = await post(`${server.url}/v1/studies/${id}/tell`, { config: { model, hyperparameters: { lr: [0.001, 0.002, 0.0005].find((lr) => !lrs.includes(lr)) } }, value: 70 });
  assert.equal(partial.status, 201, JSON.stringify(partial.json));
  assert.equal(partial.json.trial.candidateId, undefined);
  assert.match(partial.json.warnings.join("\n"), /hyperparameters not given .*reads them as unknown/);
  // A running suggestion written out without its lr and batch size: told as that suggestion, completed from it.
  const inPart = await post(`${server.url}/v1/studies/${id}/tell`, { config: { model: next.json.suggestions[3].model, hyperparameters: { ...next.json.suggestions[3].hyperparameters, lr: undefined, batch_size: undefined } }, value: 64 });
  assert.equal(inPart.status, 201, JSON.stringify(inPart.json));
  assert.equal(inPart.json.trial.candidateId, next.json.suggestions[3].candidateId);
  assert.deepEqual(inPart.json.trial.config.hyperparameters, next.json.suggestions[3].hyperparameters);
  assert.match(inPart.json.warnings.join("\n"), /told as suggestion .* its other hyperparameters \(batch_size, lr\) taken as suggested/);
  // Two clients forgetting the same trial at once: one takes it back, the other is told it is gone.
  const extra = await post(`${server.url}/v1/studies/${id}/tell`, { config: three.json.suggestions[2].candidateId, value: 55 });
  const both = await Promise.all([forget(extra.json.trial.id), forget(extra.json.trial.id)]);
  assert.deepEqual(both.map((r) => r.status).sort(), [200, 404], JSON.stringify(both));

  assert.equal((await fetch(`${server.url}/v1/studies/${id}`, { method: "DELETE" })).status, 204);
  assert.equal((await get(`${server.url}/v1/studies/${id}`)).status, 404);
  assert.equal((await post(`${server.url}/v1/studies/${id}/ask`, {})).status, 404);

  const doc = await get(`${server.url}/openapi.json`);
  for (const p of ["/v1/studies", "/v1/studies/{id}/ask", "/v1/studies/{id}/tell", "/v1/studies/{id}", "/v1/studies/{id}/trials/{trialId}"]) assert.ok(doc.json.paths[p], `${p} missing from OpenAPI`);
});

test("POST /v1/studies/{id}/results tells many results in one transaction: all or none, a retry counts once", { timeout: 120_000 }, async () => {
  const s = await start();
  try {
    const id = (await post(`${s.url}/v1/studies`, { card: CARD })).json.study.id;
    const [a, b, c] = (await post(`${s.url}/v1/studies/${id}/ask`, { n: 3 })).json.suggestions;
    const results = [
      { trialId: "w-1", config: a.candidateId, value: 71.2, seconds: 3600 },
      { trialId: "w-2", config: b.candidateId, failed: "oom", reason: "CUDA out of memory" },
    ];
    // One refused result (named by its place) records none of them.
    const bad = await post(`${s.url}/v1/studies/${id}/results`, { results: [...results, { config: c.candidateId, value: "high" }] });
    assert.equal(bad.status, 400, JSON.stringify(bad.json));
    assert.equal(bad.json.error.path, "body.results.2.value");
    assert.equal((await get(`${s.url}/v1/studies/${id}`)).json.study.trials.length, 0);
    const unknown = await post(`${s.url}/v1/studies/${id}/results`, { results: [...results, { config: "NOPE-1", value: 50 }] });
    assert.equal(unknown.status, 400, JSON.stringify(unknown.json));
    assert.match(unknown.json.error.path, /^body\.results\.2\.config/);
    assert.equal((await get(`${s.url}/v1/studies/${id}`)).json.study.trials.length, 0);

    const told = await post(`${s.url}/v1/studies/${id}/results`, { results });
    assert.equal(told.status, 201, JSON.stringify(told.json));
    assert.deepEqual(told.json.told.map((t: { id: string; candidateId: string }) => [t.id, t.candidateId]), [["w-1", a.candidateId], ["w-2", b.candidateId]]);
    assert.equal(told.json.trials, 2);
    const again = await post(`${s.url}/v1/studies/${id}/results`, { results });
    assert.equal(again.status, 200);
    assert.deepEqual([again.json.told.length, again.json.duplicates, again.json.trials], [0, 2, 2]);
    // Told like single results: c still running, a and b not; the next ask is none of the three.
    const view = (await get(`${s.url}/v1/studies/${id}`)).json;
    assert.deepEqual(view.running.map((r: { candidateId: string }) => r.candidateId), [c.candidateId]);
    const next = (await post(`${s.url}/v1/studies/${id}/ask`, {})).json.suggestions[0].candidateId;
    assert.ok(![a, b, c].some((x) => x.candidateId === next), next);
    const empty = await post(`${s.url}/v1/studies/${id}/results`, { results: [] });
    assert.equal(empty.status, 400);
  } finally {
    await s.stop();
  }
});
