/** Defects found by fuzzing the HTTP API: the same input rules as the CLI, 415 for non-JSON, timeouts, metrics labels, OpenAPI. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { CARD, get, post, start } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof start>>;

describe("HTTP input rules and hardening", () => {
  let s: Server;
  let keyed: Server;
  before(async () => {
    s = await start({}, undefined, { requestTimeoutMs: 1000 });
    keyed = await start({ apiKey: "s3cret" });
  });
  after(async () => {
    await s?.stop();
    await keyed?.stop();
  });

  const rejects = async (body: unknown, path: RegExp, message: RegExp) => {
    const r = await post(`${s.url}/v1/recommend`, body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.match(r.json.error.path ?? "", path, JSON.stringify(r.json));
    assert.match(r.json.error.message, message, JSON.stringify(r.json));
  };

  test("a fixed value outside the space: 400 naming the field and the range", async () => {
    await rejects({ card: CARD, constraints: { fixed: { lr: 100 } } }, /body\.constraints\.fixed\.lr/, /lr = 100 is outside the space.*fix: a number from/);
  });

  test("an unknown model to deny: 400, as in batch", async () => {
    await rejects({ card: CARD, constraints: { denyModels: ["no_such_model"] } }, /body\.constraints\.denyModels/, /unknown model "no_such_model"/);
  });

  test("negative or absurd meta-features: 400, as on the CLI", async () => {
    await rejects({ dataset: { metaFeatures: { n_samples: -5, n_classes: 7 } } }, /body\.dataset\.metaFeatures\.n_samples/, /n_samples = -5 is outside its range/);
    await rejects({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 1e300 } } }, /body\.dataset\.metaFeatures\.n_classes/, /outside its range/);
    await rejects({ card: { ...CARD, classes: 1e9 } }, /n_classes/, /outside its range/);
  });

  test("names every JavaScript object has, as meta-features, fixed values or a domain: 400 naming them, not a 500", async () => {
    await rejects({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, constructor: 1 } } }, /body\.dataset\.metaFeatures\.constructor/, /"constructor" is a name every JavaScript object already has/);
    await rejects({ card: CARD, constraints: { fixed: { toString: 2 } } }, /body\.constraints\.fixed\.toString/, /"toString" is a name/);
    const domain = await get(`${s.url}/v1/explain?domain=constructor`);
    assert.equal(domain.status, 400, JSON.stringify(domain.json));
    assert.match(domain.json.error.message, /unknown domain "constructor"/);
  });

  test("a body nested thousands of levels deep: 400, and the server goes on answering", async () => {
    const deep = `${"[".repeat(6000)}${"]".repeat(6000)}`;
    for (const route of ["/v1/recommend", "/v1/studies", "/v1/judge", "/v1/chat"]) {
      const res = await fetch(`${s.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: deep });
      const body = await res.json();
      assert.equal(res.status, 400, `${route}: ${JSON.stringify(body)}`);
      assert.match(body.error.message, /nested more than 64 levels/);
    }
    assert.equal((await post(`${s.url}/v1/recommend`, { card: CARD })).status, 200);
  });

  test("fewer samples than classes: 400 at n_samples; meta-features given by name answer as the card does", async () => {
    await rejects({ card: { ...CARD, samples: 3, classes: 700 } }, /n_samples/, /n_samples = 3 is fewer than n_classes = 700/);
    const card = { samples: 1000, classes: 30, imageSize: 128, channels: 3 };
    const byCard = await post(`${s.url}/v1/recommend`, { card });
    const byName = await post(`${s.url}/v1/recommend`, { dataset: { metaFeatures: { n_samples: 1000, n_classes: 30, image_size: 128, channels: 3 } } });
    assert.equal(byName.json.recommendation.recommendation.candidateId, byCard.json.recommendation.recommendation.candidateId);
    assert.deepEqual(byName.json.recommendation.dataset.metaFeatures, byCard.json.recommendation.dataset.metaFeatures);
  });

  test("a body sent as application/vnd.api+json is read as JSON", async () => {
    const res = await fetch(`${s.url}/v1/recommend`, { method: "POST", headers: { "content-type": "application/vnd.api+json" }, body: JSON.stringify({ card: CARD }) });
    assert.equal(res.status, 200);
  });

  test("a JSON body sent as text/plain: 415 naming the content type", async () => {
    const res = await fetch(`${s.url}/v1/recommend`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ card: CARD }) });
    assert.equal(res.status, 415);
    const body = await res.json();
    assert.equal(body.error.code, "unsupported_media_type");
    assert.match(body.error.message, /application\/json/);
  });

  test("clients sending an incomplete body are disconnected after the request timeout", async () => {
    const closed = await Promise.all(
      Array.from({ length: 5 }, () =>
        new Promise<number>((resolve, reject) => {
          const t0 = Date.now();
          const sock = net.connect(s.port, "127.0.0.1", () => {
            sock.write(`POST /v1/recommend HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"card":`);
          });
          sock.on("error", () => undefined);
          sock.resume(); // read the 408, so the close is seen
          sock.on("close", () => resolve(Date.now() - t0));
          setTimeout(() => reject(new Error("still connected after 10 s")), 10_000).unref();
        }),
      ),
    );
    for (const ms of closed) assert.ok(ms < 5000, `closed after ${ms} ms`);
  });

  test("metrics label rejected requests with their route, not 'unmatched'", async () => {
    // Counted as a difference, so the test holds whatever other tests sent to the same server.
    const count = async (url: string, status: number) => {
      const m = (await get(`${url}/metrics`)).json as string;
      return Number(new RegExp(`hporec_http_requests_total\\{method="POST",route="/v1/recommend",status="${status}"\\} (\\d+)`).exec(m)?.[1] ?? 0);
    };
    const before = [await count(s.url, 400), await count(keyed.url, 401)];
    assert.equal((await post(`${s.url}/v1/recommend`, "{oops")).status, 400);
    assert.equal((await post(`${keyed.url}/v1/recommend`, { card: CARD })).status, 401);
    assert.deepEqual([await count(s.url, 400), await count(keyed.url, 401)], [before[0] + 1, before[1] + 1]);
  });

  test("OpenAPI documents 415, 401 and 404 where they happen, and streamed completions", async () => {
    const doc = (await get(`${s.url}/openapi.json`)).json;
    const post = (p: string) => doc.paths[p].post.responses;
    for (const p of ["/v1/recommend", "/v1/chat", "/v1/batch", "/v1/judge", "/v1/chat/completions"]) {
      assert.ok(post(p)["415"], `${p} 415`);
      assert.ok(post(p)["401"], `${p} 401`);
    }
    for (const p of ["/v1/chat/{id}", "/v1/batch/{id}"]) assert.ok(doc.paths[p].get.responses["401"], `${p} 401`);
    assert.ok(post("/v1/chat/completions")["404"], "unknown model");
    // Every route with an id in its path answers 400 to a malformed one: documented on each.
    for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>))
      if (p.includes("{")) for (const [method, op] of Object.entries(ops)) assert.ok(op.responses["400"], `${method.toUpperCase()} ${p} 400`);
    for (const path of ["/v1/chat/a.b", "/v1/batch/a.b", "/v1/studies/a.b"]) assert.equal((await get(`${s.url}${path}`)).status, 400, path);
    assert.ok(post("/v1/chat/completions")["200"].content["text/event-stream"], "streamed completions");
  });

  test("OpenAPI lists every error code the server can answer with", async () => {
    const doc = (await get(`${s.url}/openapi.json`)).json;
    const described = JSON.stringify(doc);
    // The codes as the source writes them: ApiError(status, "code" ...) and ConflictError("code" ...).
    const codes = new Set<string>();
    for (const file of readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts")))
      for (const m of readFileSync(path.join("src", file), "utf8").matchAll(/(?:ApiError\(\d{3}, |ConflictError\()"([a-z_]+)"/g)) codes.add(m[1]);
    assert.ok(codes.size >= 15 && codes.has("trial_conflict") && codes.has("invalid_input"), [...codes].join(", "));
    for (const code of codes) assert.match(described, new RegExp(`\\b${code}\\b`), `${code} is not documented in ErrorResponse`);
  });
});
