import assert from "node:assert/strict";
import { test } from "node:test";
import { SequencePool } from "../../../src/llm/sequence-pool.ts";

test("requests beyond the pool size wait in order, and every item is reset before reuse", async () => {
  const pool = new SequencePool(["a", "b"]);
  let busy = 0;
  let peak = 0;
  const order: number[] = [];
  const resets: string[] = [];
  const tasks = Array.from({ length: 6 }, (_, i) =>
    pool.use(
      async (item) => {
        busy++;
        peak = Math.max(peak, busy);
        await new Promise((r) => setTimeout(r, 5));
        busy--;
        order.push(i);
        if (i === 2) throw new Error("task failed");
        return item;
      },
      async (item) => void resets.push(item),
    ),
  );
  const results = await Promise.allSettled(tasks);
  assert.equal(peak, 2);
  assert.equal(results.filter((r) => r.status === "rejected").length, 1);
  assert.equal(resets.length, 6); // a failed task still returns its item
  assert.deepEqual(order.slice(0, 2).sort(), [0, 1]);
  assert.equal(pool.pending, 0);
});
