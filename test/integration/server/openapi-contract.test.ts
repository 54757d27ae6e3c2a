/**
 * The OpenAPI document is a contract: every documented operation is called over real HTTP (default pack; chat and
 * judge by their rules, then again with the tiny test LLM), and each answer's status and JSON body are checked
 * against what /openapi.json documents for it (contract.ts). A client generated from the document can trust it.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { LlamaRuntime } from "../../../src/llm/llama-runtime.ts";
import { testModelsDir } from "../../helpers/env.ts";
import { CARD, sharedEngine, start } from "./helpers.ts";
import { Contract, unconstrainedParts, type OpenApiDoc } from "./contract.ts";

type Server = Awaited<ReturnType<typeof start>>;
type Answer = { status: number; json: any };

/**
 * 2xx JSON fields that are arbitrary JSON by design, and why; every other part of a 2xx schema must say what it holds.
 * /v1/chat's `data` is whatever backs the turn's reply, shaped by its intent (assumptions, drivers, a study's
 * suggestions...): a client reads `intent` first, and the typed answer is `recommendation`.
 */
const ARBITRARY_BY_DESIGN = new Set(["POST /v1/chat 200 /properties/data"]);

let contract: Contract;

/** Calls `path` on `server` (a documented template, `{name}` filled from params), expects `status`, checks the answer. */
async function call(
  server: Server,
  method: string,
  path: string,
  status: number,
  opts: { params?: Record<string, string>; query?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const url = `${server.url}${path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(opts.params?.[name] ?? ""))}${opts.query ?? ""}`;
  const hasBody = opts.body !== undefined || opts.raw !== undefined;
  const res = await fetch(url, {
    method,
    headers: { ...(hasBody && { "content-type": "application/json" }), ...opts.headers },
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  const json = res.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text;
  assert.equal(res.status, status, `${method} ${url}: ${text.slice(0, 500)}`);
  contract.check(method, path, res.status, text ? res.headers.get("content-type") : null, json);
  return { status: res.status, json };
}

describe("OpenAPI contract: real answers match the served document", () => {
  let s: Server;
  let keyed: Server;
  before(async () => {
    [s, keyed] = await Promise.all([start({ bodyLimit: "40kb" }), start({ apiKey: "s3cret" })]);
    contract = new Contract((await (await fetch(`${s.url}/openapi.json`)).json()) as OpenApiDoc);
  });
  after(async () => {
    await s?.stop();
    await keyed?.stop();
  });
  const on =
    (server: () => Server) =>
    (method: string, path: string, status: number, opts?: Parameters<typeof call>[4]) =>
      call(server(), method, path, status, opts);
  const api = on(() => s);
  const withKey = on(() => keyed);

  test("no documented 2xx JSON answer is an unknown schema", () => {
    const unknown: string[] = [];
    for (const [path, ops] of Object.entries(contract.doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [status, r] of Object.entries(op.responses))
          if (status.startsWith("2") && r.content?.["application/json"])
            for (const at of unconstrainedParts(r.content["application/json"].schema ?? {}, contract.components)) {
              const where = `${method.toUpperCase()} ${path} ${status} ${at}`;
              if (!ARBITRARY_BY_DESIGN.has(where)) unknown.push(where);
            }
    assert.deepEqual(unknown, []);
  });

  test("the check refuses an undocumented status, a missing field and a field the document does not name", () => {
    assert.throws(() => contract.check("GET", "/health", 418, "application/json", { status: "ready" }), /GET \/health answered 418, which is not documented/);
    assert.throws(() => contract.check("GET", "/health", 200, "application/json", {}), /GET \/health 200: .*\n.*must have required property 'status'/);
    assert.throws(() => contract.check("GET", "/health", 200, "application/json", { status: "ready", extra: 1 }), /unevaluated properties .*"extra"/);
    assert.throws(() => contract.check("GET", "/health", 200, "text/html", "<p>ready</p>"), /answered text\/html; documented: application\/json/);
  });

  test("system routes", async () => {
    await api("GET", "/health", 200);
    await api("GET", "/metrics", 200);
  });

  test("recommend, judge and explain", async () => {
    const rec = await api("POST", "/v1/recommend", 200, { body: { card: CARD, constraints: { budgetSeconds: 3600 } } });
    const bad = await api("POST", "/v1/recommend", 400, { body: { card: CARD, objective: "fastest" } });
    assert.equal(bad.json.error.path, "body.objective");
    await api("POST", "/v1/recommend", 400, { raw: '{"card": {' });
    await api("POST", "/v1/recommend", 413, { body: { text: "x".repeat(60_000) } });
    await api("POST", "/v1/recommend", 415, { raw: JSON.stringify({ card: CARD }), headers: { "content-type": "text/plain" } });
    await withKey("POST", "/v1/recommend", 401, { body: { card: CARD } });

    const one = await api("POST", "/v1/judge", 200, { body: { recommendation: rec.json.recommendation } });
    assert.equal(typeof one.json.verdict.pass, "boolean");
    const many = await api("POST", "/v1/judge", 200, { body: { recommendations: [rec.json.recommendation, rec.json.recommendation] } });
    assert.equal(many.json.summary.total, 2);
    await api("POST", "/v1/judge", 400, { body: {} });

    const ex = await api("GET", "/v1/explain", 200, { query: "?top=3&datasetId=BCT" });
    assert.ok(ex.json.importanceForDataset);
    const domain = Object.keys((await sharedEngine()).recommender.explanations.goodRanges.byDomain)[0];
    const scoped = await api("GET", "/v1/explain", 200, { query: `?domain=${encodeURIComponent(domain)}` });
    assert.equal(scoped.json.goodRangesScope, domain);
    await api("GET", "/v1/explain", 400, { query: "?top=zero" });
    await withKey("GET", "/v1/explain", 401);
  });

  test("chat, its conversation, and the OpenAI-compatible routes", async () => {
    const first = await api("POST", "/v1/chat", 200, { body: { message: "recommend for my dataset: 3000 dermoscopy images, 7 classes, 224 px" } });
    const conversationId = first.json.conversationId;
    await api("POST", "/v1/chat", 200, { body: { conversationId, message: "why this learning rate?" } });
    await api("POST", "/v1/chat", 200, { body: { conversationId, message: "I got 71.2 % with that" } });
    await api("POST", "/v1/chat", 200, { body: { conversationId, message: "give me three to run in parallel" } });
    await api("POST", "/v1/chat", 200, { body: { conversationId, message: "which hyperparameters matter?" } });
    await api("POST", "/v1/chat", 404, { body: { conversationId: "no-such-conversation", message: "hi" } });
    await api("POST", "/v1/chat", 400, { body: { message: "" } });
    const conv = await api("GET", "/v1/chat/{id}", 200, { params: { id: conversationId } });
    assert.equal(conv.json.messages.length, 10);
    await api("GET", "/v1/chat/{id}", 404, { params: { id: "no-such-conversation" } });
    await api("GET", "/v1/chat/{id}", 400, { params: { id: "a.b" } });

    const models = await api("GET", "/v1/models", 200);
    assert.ok(models.json.data.some((m: { id: string }) => m.id === "hporec"));
    const messages = [{ role: "user", content: "I have 4000 images of birds, 20 classes, 224 px." }];
    const done = await api("POST", "/v1/chat/completions", 200, { body: { model: "hporec", messages } });
    assert.equal(done.json.object, "chat.completion");
    await api("POST", "/v1/chat/completions", 200, { body: { model: "hporec", messages, stream: true } });
    await api("POST", "/v1/chat/completions", 404, { body: { model: "gpt-4", messages } });
    await api("POST", "/v1/chat/completions", 400, { body: { model: "hporec", messages: [] } });
  });

  test("batch jobs", async () => {
    const job = await api("POST", "/v1/batch", 202, { body: { items: [{ card: CARD }, { card: { ...CARD, samples: 3 } }] } });
    await api("POST", "/v1/batch", 400, { body: { items: [] } });
    const id = job.json.id;
    let view = await api("GET", "/v1/batch/{id}", 200, { params: { id } });
    for (const until = Date.now() + 30_000; view.json.status !== "done" && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 100));
      view = await api("GET", "/v1/batch/{id}", 200, { params: { id } });
    }
    assert.deepEqual(view.json.results.map((r: { ok: boolean }) => r.ok), [true, false], "a result and a refused item, both checked");
    await api("GET", "/v1/batch/{id}", 400, { params: { id }, query: "?limit=-1" });
    await api("GET", "/v1/batch/{id}", 404, { params: { id: "no-such-job" } });
    await api("DELETE", "/v1/batch/{id}", 200, { params: { id } });
    await api("DELETE", "/v1/batch/{id}", 404, { params: { id: "no-such-job" } });
  });

  test("studies: create, ask, tell, results, forget, list, delete", async () => {
    const created = await api("POST", "/v1/studies", 201, { body: { card: CARD } });
    await api("POST", "/v1/studies", 400, { body: { card: { ...CARD, samples: "many" } } });
    const id = created.json.study.id;
    const ask = await api("POST", "/v1/studies/{id}/ask", 200, { params: { id }, body: { n: 3 } });
    await api("POST", "/v1/studies/{id}/ask", 400, { params: { id }, body: { n: 0 } });
    await api("POST", "/v1/studies/{id}/ask", 404, { params: { id: "no-such-study" }, body: {} });
    const [a, b, c] = ask.json.suggestions.map((x: { candidateId: string }) => x.candidateId);

    await api("POST", "/v1/studies/{id}/tell", 201, { params: { id }, body: { trialId: "t-1", config: a, value: 71.2, seconds: 3600 } });
    await api("POST", "/v1/studies/{id}/tell", 200, { params: { id }, body: { trialId: "t-1", config: a, value: 71.2, seconds: 3600 } });
    const conflict = await api("POST", "/v1/studies/{id}/tell", 409, { params: { id }, body: { trialId: "t-1", config: a, value: 50 } });
    assert.equal(conflict.json.error.code, "trial_conflict");
    await api("POST", "/v1/studies/{id}/tell", 400, { params: { id }, body: { config: a, value: "high" } });
    await api("POST", "/v1/studies/{id}/tell", 404, { params: { id: "no-such-study" }, body: { config: a, value: 1 } });

    const results = [{ trialId: "t-2", config: b, value: 74.5 }, { trialId: "t-3", config: c, failed: "oom", reason: "CUDA out of memory" }];
    await api("POST", "/v1/studies/{id}/results", 201, { params: { id }, body: { results } });
    await api("POST", "/v1/studies/{id}/results", 200, { params: { id }, body: { results } });
    await api("POST", "/v1/studies/{id}/results", 400, { params: { id }, body: { results: [] } });

    // With a best result and a failure told, the belief and the next suggestions carry every field.
    await api("POST", "/v1/studies/{id}/ask", 200, { params: { id }, body: { n: 2 } });
    const viewed = await api("GET", "/v1/studies/{id}", 200, { params: { id } });
    assert.equal(viewed.json.belief.best.id, "t-2");
    await api("GET", "/v1/studies/{id}", 404, { params: { id: "no-such-study" } });
    await api("GET", "/v1/studies/{id}", 400, { params: { id: "a.b" } });
    await api("DELETE", "/v1/studies/{id}/trials/{trialId}", 200, { params: { id, trialId: "t-3" } });
    await api("DELETE", "/v1/studies/{id}/trials/{trialId}", 404, { params: { id, trialId: "t-3" } });

    const list = await api("GET", "/v1/studies", 200);
    assert.ok(list.json.studies.some((x: { id: string }) => x.id === id));
    await api("GET", "/v1/studies", 400, { query: "?limit=0" });
    await withKey("GET", "/v1/studies", 401);
    await api("DELETE", "/v1/studies/{id}", 204, { params: { id } });
    await api("DELETE", "/v1/studies/{id}", 404, { params: { id } });
  });

  test("every documented operation was answered with a checked 2xx", () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(contract.doc.paths))
      for (const method of Object.keys(ops)) {
        const statuses = [...(contract.checked.get(`${method.toUpperCase()} ${path}`) ?? [])];
        if (!statuses.some((x) => x >= 200 && x < 300)) missing.push(`${method.toUpperCase()} ${path}`);
      }
    assert.deepEqual(missing, []);
  });
});

/** With a model configured, answers carry the LLM's parts too (grades, llm meta, or why it was not used). */
describe("OpenAPI contract with an LLM (stories260K)", { skip: testModelsDir() ? false : "no test models" }, () => {
  let s: Server;
  let runtime: LlamaRuntime;
  before(async () => {
    runtime = new LlamaRuntime({ model: path.join(testModelsDir()!, "stories260K.gguf"), threads: 1, sequences: 1, contextSize: 1024 });
    s = await start({ llm: { generator: runtime, timeoutMs: 10_000 } });
    contract ??= new Contract((await (await fetch(`${s.url}/openapi.json`)).json()) as OpenApiDoc);
  });
  after(async () => {
    await s?.stop();
    await runtime?.dispose();
  });

  test("chat, judge and completions answer as documented", async () => {
    const first = await call(s, "POST", "/v1/chat", 200, { body: { message: "recommend for my dataset: 3000 dermoscopy images, 7 classes, 224 px" } });
    await call(s, "POST", "/v1/chat", 200, { body: { conversationId: first.json.conversationId, message: "why this learning rate?" } });
    await call(s, "GET", "/v1/chat/{id}", 200, { params: { id: first.json.conversationId } });
    const verdict = await call(s, "POST", "/v1/judge", 200, { body: { recommendation: first.json.recommendation } });
    assert.ok(verdict.json.verdict.llm || verdict.json.verdict.llmError, "the LLM judge graded, or said why not");
    await call(s, "POST", "/v1/chat/completions", 200, { body: { model: "hporec", messages: [{ role: "user", content: "I have 4000 images of birds, 20 classes, 224 px." }] } });
  });
});
