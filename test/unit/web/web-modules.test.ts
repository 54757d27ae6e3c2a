/** The web app's modules that need no browser: the SSE reader, error paths -> form fields, batch files. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { SseParser } from "../../../web/sse.ts";
import { fieldOf } from "../../../web/field-path.ts";
import { readBatchText } from "../../../web/batch-file.ts";
import { parseBatchCsv, parseBatchJsonl } from "../../../src/recommend/batch.ts";

test("SSE: events split anywhere across chunks, CRLF, comments and multi-line data", () => {
  const stream = 'event: meta\r\ndata: {"conversationId":"c1"}\r\n\r\n: keep-alive\n\nevent: delta\ndata: {"text":"I rec"}\n\ndata: line one\ndata: line two\n\nevent: done\ndata: {}\n\n';
  for (const size of [1, 3, 7, stream.length]) {
    const p = new SseParser();
    const events = [];
    for (let i = 0; i < stream.length; i += size) events.push(...p.push(stream.slice(i, i + size)));
    assert.deepEqual(events, [
      { event: "meta", data: '{"conversationId":"c1"}' },
      { event: "delta", data: '{"text":"I rec"}' },
      { event: "message", data: "line one\nline two" },
      { event: "done", data: "{}" },
    ], `chunks of ${size}`);
  }
  assert.deepEqual(new SseParser().push("event: delta\ndata: half"), [], "an event is complete only at its blank line");
});

test("an API error path points at its form field", () => {
  const fields = ["name", "samples", "classes", "domain", "budgetHours", "objective"];
  assert.equal(fieldOf("body.card: classes", fields), "classes");
  assert.equal(fieldOf("body.card.domain", fields), "domain");
  assert.equal(fieldOf("body.constraints.budgetSeconds", fields), "budgetHours");
  assert.equal(fieldOf("body.objective", fields), "objective");
  assert.equal(fieldOf("body.card", fields), undefined, "no field: the error goes above the form");
  assert.equal(fieldOf(undefined, fields), undefined);
});

test("a batch CSV reads in the browser as `hporec batch` reads it", () => {
  const csv = "name,samples,classes,imageSize,channels,domain,budgetSeconds,allowModels\nleaves,4200,12,224,3,plant_diseases,,\ntiles,31000,45,128,3,,3600,a;b\nshort,1,2\n";
  const web = readBatchText("cards.csv", csv);
  const cli = parseBatchCsv(csv);
  assert.equal(web.length, 3);
  // The CLI's raw line is card fields plus constraints; the web sends the same as {card, constraints}.
  for (const [i, w] of web.entries()) {
    assert.equal(w.line, cli[i].line);
    if (cli[i].error) assert.match(w.error ?? "", /expected 8 fields/);
    else {
      const { constraints, ...card } = cli[i].raw!;
      assert.deepEqual(w.input, { card, ...(constraints ? { constraints } : {}) });
    }
  }
  assert.deepEqual(web[1].input, { card: { name: "tiles", samples: 31000, classes: 45, imageSize: 128, channels: 3 }, constraints: { budgetSeconds: 3600, allowModels: ["a", "b"] } });
});

test("a JSON array of cards reads in the browser as `hporec batch` reads it", () => {
  const text = JSON.stringify([{ name: "a", samples: 100, classes: 3, imageSize: 128, channels: 3 }, 7], null, 2);
  const web = readBatchText("cards.json", text);
  const cli = parseBatchJsonl(text);
  assert.deepEqual(web.map((l) => l.line), cli.map((i) => i.line));
  assert.deepEqual(web[0].input, { card: { name: "a", samples: 100, classes: 3, imageSize: 128, channels: 3 } });
  assert.deepEqual(cli[0].raw, { name: "a", samples: 100, classes: 3, imageSize: 128, channels: 3 });
  assert.match(web[1].error ?? "", /not a JSON object/);
  assert.match(cli[1].error?.message ?? "", /not a JSON object/);
});

test("a batch JSONL: one card per line, an unreadable line is a failure with its number", () => {
  const lines = readBatchText("cards.jsonl", '{"name":"a","samples":100,"classes":3,"objective":"cost"}\n\nnot json\n[1]\n');
  assert.deepEqual(lines[0], { line: 1, input: { card: { name: "a", samples: 100, classes: 3 }, objective: "cost" } });
  assert.deepEqual(lines.slice(1).map((l) => [l.line, /not a JSON object/.test(l.error ?? "")]), [[3, true], [4, true]]);
});
