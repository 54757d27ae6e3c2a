import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CARD, get, post, start } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof start>>;

describe("HTTP API (real HTTP, default pack)", () => {
  let s: Server;
  let keyed: Server;
  before(async () => {
    s = await start({ bodyLimit: "40kb" }); // a judged list of two recommendations is ~21 KB
    keyed = await start({ apiKey: "s3cret" });
  });
  after(async () => {
    await s?.stop();
    await keyed?.stop();
  });

  test("health is ready once the pack is loaded; metrics and OpenAPI are served", async () => {
    const h = await get(`${s.url}/health`);
    assert.equal(h.status, 200);
    assert.equal(h.json.status, "ready");
    const doc = await get(`${s.url}/openapi.json`);
    assert.equal(doc.json.openapi, "3.1.0");
    for (const p of ["/v1/recommend", "/v1/chat", "/v1/batch", "/v1/batch/{id}", "/v1/judge", "/v1/explain", "/v1/chat/completions"]) assert.ok(doc.json.paths[p], p);
    // Generated from the zod schema: the card/dataset/text body and its constraints.
    const schema = doc.json.paths["/v1/recommend"].post.requestBody.content["application/json"].schema;
    assert.ok(schema.properties.text && schema.properties.constraints && schema.properties.objective);
    // The answer's extrapolation flag is published with the recommendation.
    const answer = doc.json.paths["/v1/recommend"].post.responses["200"].content["application/json"].schema.properties.recommendation;
    assert.deepEqual(answer.properties.extrapolation, { type: "array", items: { type: "string" }, default: [] });
  });

  test("recommend from a card: full recommendation with a judge verdict", async () => {
    const r = await post(`${s.url}/v1/recommend`, { card: CARD, constraints: { budgetSeconds: 3600 } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const rec = r.json.recommendation;
    assert.equal(rec.dataset.name, "skin");
    assert.equal(rec.dataset.metaFeatures.n_classes, 7);
    assert.ok(rec.recommendation.predicted.seconds <= 3600);
    // 7 classes is below every past dataset of the pack: flagged, and said in the warnings.
    assert.ok(rec.extrapolation.includes("n_classes"), JSON.stringify(rec.extrapolation));
    assert.ok(rec.warnings.some((w: string) => w.startsWith("extrapolation: classes = 7 ")), rec.warnings.join("\n"));
    assert.ok(Object.keys(rec.recommendation.hyperparameters).length >= 20);
    assert.equal(typeof r.json.judge.pass, "boolean");
    assert.deepEqual(Object.keys(r.json.judge.scores).sort(), ["accuracy", "completeness", "format"]);
    assert.ok(r.headers.get("x-request-id"));
    // The same request again is answered from the cache, identically.
    const again = await post(`${s.url}/v1/recommend`, { card: CARD, constraints: { budgetSeconds: 3600 } });
    assert.equal(again.headers.get("x-cache"), "hit");
    assert.deepEqual(again.json, r.json);
  });

  test("recommend from free text reads the dataset and the budget and states assumptions", async () => {
    const r = await post(`${s.url}/v1/recommend`, { text: "about 12,000 satellite images in 45 classes, 2 GPU-hours" });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.recommendation.dataset.metaFeatures.n_samples, 12000);
    assert.equal(r.json.recommendation.constraints.budgetSeconds, 7200);
    assert.ok(r.json.assumptions.some((a: string) => a.includes("image size")));
  });

  test("recommend from meta-features, with a model allow-list", async () => {
    const r = await post(`${s.url}/v1/recommend`, { dataset: { metaFeatures: { n_samples: 800, n_classes: 4, image_size: 128, channels: 1 } }, constraints: { allowModels: ["tf_efficientnet_b4_ns"] } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.recommendation.recommendation.model, "tf_efficientnet_b4_ns");
  });

  test("validation errors are 400 {error: {code, message, path}} without stack traces", async () => {
    const cases: Array<[unknown, string]> = [
      [{ card: { ...CARD, samples: "many" } }, "card"],
      [{ card: CARD, objective: "fastest" }, "body.objective"],
      [{ card: CARD, constraints: { budgetSeconds: -5 } }, "body.constraints.budgetSeconds"],
      [{ card: CARD, text: "3000 images" }, "body.card"],
      [{ text: "I have some photos" }, "body.text"],
      [{ card: CARD, constraints: { allowModels: ["no_such_model"] } }, "constraints.allowModels"],
      [[1, 2], "body"],
    ];
    for (const [body, path] of cases) {
      const r = await post(`${s.url}/v1/recommend`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(Object.keys(r.json), ["error"]);
      assert.ok(r.json.error.code && r.json.error.message, JSON.stringify(r.json));
      assert.ok(String(r.json.error.path).includes(path), `${JSON.stringify(body)} -> ${JSON.stringify(r.json)}`);
      assert.doesNotMatch(JSON.stringify(r.json), /at .*\.ts:\d+|node_modules/);
    }
  });

  test("a card sent as `dataset` (meta-features) is told to go under `card`, on every route that takes a dataset", async () => {
    for (const route of ["/v1/recommend", "/v1/studies"]) {
      const r = await post(`${s.url}${route}`, { dataset: { samples: 3000, classes: 30, imageSize: 224 } });
      assert.equal(r.status, 400, JSON.stringify(r.json));
      assert.equal(r.json.error.path, "body.dataset");
      assert.match(r.json.error.message, /^samples, classes, imageSize are a dataset card's fields: send the card as \{"card": \{\.\.\.\}\}/);
    }
    // Any other unknown key beside meta-features is the usual message.
    const other = await post(`${s.url}/v1/recommend`, { dataset: { metaFeatures: { n_samples: 800 }, foo: 1 } });
    assert.match(other.json.error.message, /^Unrecognized key: "foo"; the fields here are name, metaFeatures/);
  });

  test("a 400 quotes the value that was sent beside what was expected, and calls a field left out missing", async () => {
    const objective = await post(`${s.url}/v1/recommend`, { card: CARD, objective: "fastest" });
    assert.match(objective.json.error.message, /expected one of .*"accuracy".*; got "fastest"/);
    const samples = await post(`${s.url}/v1/recommend`, { card: CARD, samples: 3 });
    assert.match(samples.json.error.message, />=10; got 3$/);
    const missing = await post(`${s.url}/v1/recommend`, { dataset: { domain: "plants" } });
    assert.equal(missing.json.error.path, "body.dataset.metaFeatures");
    assert.match(missing.json.error.message, /^missing: expected record/);
    const unknown = await post(`${s.url}/v1/recommend`, { card: CARD, constraints: { budget: 3600 } });
    assert.equal(unknown.json.error.path, "body.constraints");
    assert.match(unknown.json.error.message, /Unrecognized key: "budget"; the fields here are budgetSeconds, allowModels, denyModels, fixed$/);
    const mixedUp = await post(`${s.url}/v1/recommend`, { dataset: { metaFeatures: { n_samples: 800, n_classes: 4 }, samples: 800 } });
    assert.match(mixedUp.json.error.message, /the fields here are name, metaFeatures, domain, modality/);
    const long = await post(`${s.url}/v1/recommend`, { card: CARD, objective: "x".repeat(500) });
    assert.ok(long.json.error.message.length < 200, long.json.error.message);
  });

  test("malformed JSON is 400, an oversized body 413, an unknown route 404, all JSON", async () => {
    const bad = await post(`${s.url}/v1/recommend`, '{"card": {');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, "malformed_json");
    const big = await post(`${s.url}/v1/recommend`, { text: "x".repeat(60_000) });
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, "payload_too_large");
    assert.match(big.json.error.message, /exceeds the limit of 40960 bytes; .*--body-limit/);
    const nf = await get(`${s.url}/v1/nothing-here`);
    assert.equal(nf.status, 404);
    assert.equal(nf.json.error.code, "not_found");
    const q = await get(`${s.url}/v1/explain?top=zero`);
    assert.equal(q.status, 400);
    assert.equal(q.json.error.path, "query.top");
    const p = await get(`${s.url}/v1/batch/not%20an%20id`);
    assert.equal(p.status, 400);
    assert.equal(p.json.error.path, "params.id");
  });

  test("explain returns importance, interactions, good ranges and the reduced space", async () => {
    const r = await get(`${s.url}/v1/explain?top=5`);
    assert.equal(r.status, 200);
    assert.equal(r.json.importance.length, 5);
    assert.ok(r.json.importance[0].meanAbsShap >= r.json.importance[4].meanAbsShap);
    assert.ok(r.json.interactions.length > 0 && r.json.goodRanges.length > 0);
    assert.ok(Object.keys(r.json.reducedSpace.hyperparameters).length > 0);
    const bad = await get(`${s.url}/v1/explain?domain=atlantis`);
    assert.equal(bad.status, 400);
  });

  test("explain?datasetId adds the dataset's tunability game; an unknown id is a 400 naming the parameter", async () => {
    const r = await get(`${s.url}/v1/explain?top=3&datasetId=BCT`);
    assert.equal(r.status, 200);
    const imp = r.json.importanceForDataset;
    assert.equal(imp.game, "tunability");
    // Exact Shapley values are efficient: they add up to what tuning every player gains over the baseline
    // (each value is rounded to 5 decimals in the answer, hence the tolerance).
    const sum = imp.players.reduce((a: number, p: { value: number }) => a + p.value, 0);
    assert.ok(Math.abs(sum - (imp.tunedValue - imp.baselineValue)) < 1e-5 * (imp.players.length + 2), `${sum} vs ${imp.tunedValue - imp.baselineValue}`);
    const bad = await get(`${s.url}/v1/explain?datasetId=ATLANTIS`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "query.datasetId");
  });

  test("judge: one recommendation, a list, and a tampered one that fails", async () => {
    const rec = (await post(`${s.url}/v1/recommend`, { card: CARD })).json.recommendation;
    const one = await post(`${s.url}/v1/judge`, { recommendation: rec });
    assert.equal(one.status, 200);
    assert.equal(one.json.verdict.judge, "rules");
    const tampered = structuredClone(rec);
    delete tampered.recommendation.hyperparameters.lr;
    tampered.justification += " [ds:NOT_A_DATASET]";
    const list = await post(`${s.url}/v1/judge`, { recommendations: [rec, tampered] });
    assert.equal(list.status, 200);
    assert.equal(list.json.verdicts.length, 2);
    assert.equal(list.json.verdicts[1].pass, false);
    assert.ok(list.json.verdicts[1].scores.completeness < 1);
    assert.equal(list.json.summary.total, 2);
    const bad = await post(`${s.url}/v1/judge`, { recommendation: { model: 3 } });
    assert.equal(bad.status, 400);
  });

  test("judge: a misquoted prediction in the text and an inflated one in the structure, each shown with why it is false", async () => {
    const rec = (await post(`${s.url}/v1/recommend`, { card: CARD })).json.recommendation;
    const metric: number = rec.recommendation.predicted.metric;
    const quoted = /a predicted top1_accuracy of about ([\d.]+)/.exec(rec.justification)!;
    assert.ok(Math.abs(Number(quoted[1]) - metric) < 0.1, rec.justification);
    const text = { ...rec, justification: rec.justification.replace(quoted[0], `a predicted top1_accuracy of about ${(metric + 11).toFixed(1)}`) };
    const structure = structuredClone(rec);
    structure.recommendation.predicted.metric = metric + 11;
    const r = await post(`${s.url}/v1/judge`, { recommendations: [text, structure] });
    assert.equal(r.status, 200);
    const [v1, v2] = r.json.verdicts;
    assert.equal(v1.pass, false);
    assert.ok(
      v1.problems.some((p: string) => p.startsWith(`accuracy: the text claims "`) && p.includes(`about ${(metric + 11).toFixed(1)}`) && p.includes(`which is false: the answer says ${metric}`)),
      JSON.stringify(v1.problems),
    );
    assert.ok(v1.claims.some((c: { kind: string; status: string }) => c.kind === "metric" && c.status === "false"));
    assert.equal(v2.pass, false);
    assert.ok(v2.problems.some((p: string) => /stated predictions are not the meta-learner's: recommendation: metric [\d.]+ \(meta-learner: [\d.]+/.test(p)), JSON.stringify(v2.problems));
  });

  test("metrics count requests, latencies and recommendations in Prometheus format", async () => {
    // Its own recommendation first: the test must not depend on which tests ran before it.
    assert.equal((await post(`${s.url}/v1/recommend`, { card: { ...CARD, name: "metrics" } })).status, 200);
    const m = await get(`${s.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers.get("content-type") ?? "", /text\/plain/);
    assert.match(m.json, /hporec_http_requests_total\{method="POST",route="\/v1\/recommend",status="200"\} \d+/);
    assert.match(m.json, /hporec_http_request_duration_seconds_bucket\{le="0.5",method="POST",route="\/v1\/recommend"\}/);
    assert.match(m.json, /hporec_recommendations_total\{endpoint="recommend",model="[\w.-]+"\} \d+/);
    assert.match(m.json, /# TYPE hporec_llm_tokens_total counter/);
  });

  test("API key: required on /v1 when set, health stays open", async () => {
    const none = await post(`${keyed.url}/v1/recommend`, { card: CARD });
    assert.equal(none.status, 401);
    assert.equal(none.json.error.code, "unauthorized");
    const wrong = await post(`${keyed.url}/v1/recommend`, { card: CARD }, { authorization: "Bearer nope" });
    assert.equal(wrong.status, 401);
    const ok = await post(`${keyed.url}/v1/recommend`, { card: CARD }, { authorization: "Bearer s3cret" });
    assert.equal(ok.status, 200);
    assert.equal((await get(`${keyed.url}/health`)).status, 200);
    // CORS is off unless configured.
    const res = await fetch(`${keyed.url}/health`, { headers: { origin: "http://evil.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), null);
  });
});
