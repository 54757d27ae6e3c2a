/**
 * /v1/recommend computed in real worker threads (RecommendPool): the same answers as on the event loop, input
 * errors still 400, and a worker that dies is replaced without taking the server down.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";
import { RecommendPool } from "../../../src/server/workers/recommend-pool.ts";
import { post, start, TEST_SAMPLES } from "./helpers.ts";
import { InputError } from "../../../src/util/errors.ts";

describe("recommendations in worker threads", () => {
  let pool: RecommendPool;
  let pooled: Awaited<ReturnType<typeof start>>;
  let inline: Awaited<ReturnType<typeof start>>;
  before(async () => {
    pool = await RecommendPool.start({ packDir: DEFAULT_PACK, samples: TEST_SAMPLES }, 2);
    pooled = await start({}, pool);
    inline = await start();
  });
  after(async () => {
    await pooled.stop();
    await inline.stop();
  });

  const card = (i: number) => ({ card: { samples: 800 + 350 * i, classes: 2 + (i % 30), imageSize: 224, channels: 3, domain: "plants" }, constraints: i % 2 ? { budgetSeconds: 3600 } : {} });

  it("answers exactly as the event loop does, for concurrent distinct requests", async () => {
    const n = 12;
    const [a, b] = await Promise.all([
      Promise.all(Array.from({ length: n }, (_, i) => post(`${pooled.url}/v1/recommend`, card(i)))),
      Promise.all(Array.from({ length: n }, (_, i) => post(`${inline.url}/v1/recommend`, card(i)))),
    ]);
    for (let i = 0; i < n; i++) {
      assert.equal(a[i].status, 200, JSON.stringify(a[i].json));
      assert.deepEqual(a[i].json, b[i].json, `request ${i}`);
    }
  });

  it("checks a request before a worker sees it, and turns an input error raised in a worker into an InputError", async () => {
    const r = await post(`${pooled.url}/v1/recommend`, { ...card(1), constraints: { fixed: { no_such_hp: 1 } } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.path, "body.constraints.fixed");
    assert.match(r.json.error.message, /unknown hyperparameter "no_such_hp" \(fix: one of: /);
    // Straight to the pool (a library caller): the worker's recommender checks the request too.
    const req = { dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 } }, constraints: { fixed: { no_such_hp: 1 } } };
    await assert.rejects(pool.run(req, [], []), (e: Error) => e instanceof InputError && (e as InputError).where === "constraints.fixed");
  });

  it("replaces a worker that dies; the server keeps answering", async () => {
    const worker = (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0].worker;
    await worker.terminate();
    for (let i = 0; i < 4; i++) assert.equal((await post(`${pooled.url}/v1/recommend`, card(100 + i))).status, 200);
    const deadline = Date.now() + 60_000;
    while (pool.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(pool.size, 2, "a replacement worker started");
  });
});
