import { test } from "node:test";
import assert from "node:assert/strict";
import { LRUCache } from "lru-cache";
import { memoAsync } from "../../../src/util/memo.ts";

test("memoAsync computes once per key and reports hits", async () => {
  const cache = new LRUCache<string, Promise<number>>({ max: 4 });
  let calls = 0;
  const compute = async () => ++calls;
  const first = memoAsync(cache, "k", compute);
  const second = memoAsync(cache, "k", compute);
  assert.equal(first.hit, false);
  assert.equal(second.hit, true);
  assert.equal(await first.value, 1);
  assert.equal(await second.value, 1);
  assert.equal(calls, 1);
});

test("memoAsync drops a rejected promise so the next call computes again", async () => {
  const cache = new LRUCache<string, Promise<string>>({ max: 4 });
  let fail = true;
  const compute = async () => {
    if (fail) throw new Error("boom");
    return "ok";
  };
  await assert.rejects(memoAsync(cache, "k", compute).value, /boom/);
  await new Promise((r) => setImmediate(r));
  assert.equal(cache.has("k"), false);
  fail = false;
  const again = memoAsync(cache, "k", compute);
  assert.equal(again.hit, false);
  assert.equal(await again.value, "ok");
});
