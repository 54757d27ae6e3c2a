import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { completedLines, parseBatchCsv, parseBatchJsonl, runBatch, type BatchLine } from "../../../src/recommend/batch.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";

/** A recommender stand-in: records what it was asked, answers with the dataset's name. */
function fakeRecommender(calls: string[]): Recommender {
  return {
    pack: { space: { models: ["net_a", "net_b"], searchSpace: { hyperparameters: {} } } },
    recommend: async (req: { dataset: { name?: string } }) => {
      calls.push(req.dataset.name ?? "?");
      return { dataset: req.dataset } as unknown as Recommendation;
    },
  } as unknown as Recommender;
}

const tmp = () => path.join(mkdtempSync(path.join(tmpdir(), "hporec-batch-unit-")), "out.jsonl");

test("parseBatchCsv: numbers, ';' model lists into constraints, empty cells left out, line numbers", () => {
  const items = parseBatchCsv("name,samples,classes,allowModels,budgetSeconds,objective\na,100,2,net_a; net_b,60,cost\n\nb,abc,2,,,\n");
  assert.deepEqual(items, [
    { line: 2, raw: { name: "a", samples: 100, classes: 2, objective: "cost", constraints: { allowModels: ["net_a", "net_b"], budgetSeconds: 60 } } },
    { line: 4, raw: { name: "b", samples: "abc", classes: 2 } },
  ]);
  assert.match(parseBatchCsv("name,samples\na,1,2\n")[0].error!.message, /expected 2 fields, found 3/);
  assert.throws(() => parseBatchCsv("name,color\n"), /unknown column "color"/);
});

test("parseBatchJsonl: objects per line; arrays and broken JSON become line errors", () => {
  const items = parseBatchJsonl('{"name":"a","samples":1}\n[1]\n\n{oops\n');
  assert.deepEqual(items[0], { line: 1, raw: { name: "a", samples: 1 } });
  assert.deepEqual(items.slice(1).map((i) => [i.line, i.error?.where]), [[2, "line 2"], [4, "line 4"]]);
});

test("completedLines: drops a cut-off last line from the file; rejects a file that is not batch output", () => {
  const out = tmp();
  writeFileSync(out, '{"line":2,"name":"a","ok":true}\n{"line":3,"name":null,"ok":false}\n{"line":4,"na');
  assert.deepEqual(completedLines(out), [{ line: 2, name: "a", ok: true }, { line: 3, name: null, ok: false }]);
  assert.equal(readFileSync(out, "utf8"), '{"line":2,"name":"a","ok":true}\n{"line":3,"name":null,"ok":false}\n');
  writeFileSync(out, "hello\n");
  assert.throws(() => completedLines(out), /line 1 is not a batch result/);
});

test("runBatch: resume skips what the output holds, keyed by name, by line when names are missing or repeat", async () => {
  const out = tmp();
  const card = (name?: string) => ({ ...(name && { name }), samples: 100, classes: 2, imageSize: 32, channels: 3 });
  const items = [
    { line: 1, raw: card("a") },
    { line: 2, raw: card() },
    { line: 3, raw: card("dup") },
    { line: 4, raw: card("dup") },
    { line: 5, raw: { ...card("bad"), samples: 0 } },
  ];
  // A previous run finished "a" and the first "dup" (line 3) only.
  writeFileSync(out, '{"line":1,"name":"a","ok":true}\n{"line":3,"name":"dup","ok":true}\n');
  const calls: string[] = [];
  const seen: BatchLine[] = [];
  const s = await runBatch(fakeRecommender(calls), items, { out, onItem: (r) => seen.push(r) });
  assert.deepEqual({ ...s, seconds: 0 }, { total: 5, skipped: 2, retried: 0, ok: 2, failed: 1, seconds: 0 });
  assert.deepEqual(calls, ["?", "dup"]);
  assert.deepEqual(seen.map((r) => [r.line, r.ok]), [[2, true], [4, true], [5, false]]);
  // Run again: the four done are skipped; the failed one runs again (its old line taken out), one line per item.
  const again = await runBatch(fakeRecommender(calls), items, { out });
  assert.deepEqual([again.skipped, again.retried, again.ok, again.failed], [4, 1, 0, 1]);
  const lines = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as BatchLine);
  assert.deepEqual(lines.map((l) => [l.line, l.ok]).sort(), [[1, true], [2, true], [3, true], [4, true], [5, false]]);
});
