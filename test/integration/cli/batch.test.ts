import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Recommendation } from "../../../src/recommend/schema.ts";
import { jsonLines, runCli, startCli, tempDir, waitFor } from "./helpers.ts";

interface Line {
  line: number;
  name: string | null;
  ok: boolean;
  recommendation?: unknown;
  verdict?: { pass: boolean };
  error?: { message: string; where?: string; hint?: string };
}

test("batch: good and bad CSV lines; each bad card fails its own line with field, value and fix", () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.csv");
  writeFileSync(
    cards,
    [
      "name,samples,classes,imageSize,channels,domain,budgetSeconds,allowModels",
      "good-a,3000,7,128,3,plants,,",
      "negative,-5,7,128,3,,,",
      "zero-classes,3000,0,128,3,,,",
      "typo,3000,7,128,3,plnts,,",
      "good-b,12000,45,256,3,remote_sensing,3600,edgenext_small;mobilevit_xs",
    ].join("\n") + "\n",
  );
  const out = path.join(dir, "out.jsonl");
  const r = runCli(["batch", cards, "--out", out, "--candidates", "300", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual({ ...JSON.parse(r.stdout), seconds: 0 }, { total: 5, skipped: 0, retried: 0, ok: 2, failed: 3, seconds: 0, out });
  const lines = jsonLines<Line>(out);
  assert.deepEqual(lines.map((l) => [l.line, l.name, l.ok]), [
    [2, "good-a", true],
    [3, "negative", false],
    [4, "zero-classes", false],
    [5, "typo", false],
    [6, "good-b", true],
  ]);
  for (const l of lines.filter((l) => l.ok)) {
    Recommendation.parse(l.recommendation);
    assert.equal(typeof l.verdict?.pass, "boolean");
  }
  const b = Recommendation.parse(lines[4].recommendation);
  assert.ok(["edgenext_small", "mobilevit_xs"].includes(b.recommendation.model));
  assert.deepEqual(b.constraints.allowModels, ["edgenext_small", "mobilevit_xs"]);
  const err = (i: number) => lines[i].error!;
  assert.deepEqual([err(1).where, err(1).message], ["line 3: samples", "samples must be at least 1, got -5"]);
  assert.match(err(1).hint!, /number of training examples/);
  assert.deepEqual([err(2).where, err(2).message], ["line 4: classes", "classes must be at least 2, got 0"]);
  assert.equal(err(3).where, "line 5: domain");
  assert.match(err(3).message, /unknown domain "plnts"; did you mean "plants"\?/);

  // The cards fixed, the same command again: the failed items run again, the good ones are kept, each once.
  writeFileSync(cards, readFileSync(cards, "utf8").replace("-5,", "500,").replace("3000,0,", "3000,5,").replace("plnts", "plants"));
  const again = runCli(["batch", cards, "--out", out, "--candidates", "300"]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /batch: 3 ok, 0 failed, 2 already in .* \(3 that had failed there ran again\) of 5/);
  const fixed = jsonLines<Line>(out);
  assert.deepEqual(fixed.map((l) => [l.name, l.ok]).sort(), ["good-a", "good-b", "negative", "typo", "zero-classes"].map((n) => [n, true]));
  assert.deepEqual(fixed.slice(0, 2), [lines[0], lines[4]], "the good results are kept as they were");
});

test("batch: the summary lists each failed line with its field and fix", () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.csv");
  writeFileSync(cards, "name,samples,classes,imageSize,channels\nok,3000,7,128,3\nnegative,-5,7,128,3\n");
  const r = runCli(["batch", cards, "--candidates", "200", "--no-judge"]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /batch: 1 ok, 1 failed of 2[^\n]*\nfailed:\n {2}negative, line 3: samples: samples must be at least 1, got -5 \(fix: .*number of training examples/);
});

test("batch: JSONL with constraints; unreadable lines and unknown models are per-line errors; results on stdout", () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.jsonl");
  writeFileSync(
    cards,
    [
      JSON.stringify({ name: "j1", samples: 800, classes: 4, imageSize: 64, channels: 1, objective: "cost", constraints: { fixed: { batch_size: 32 } } }),
      "{not json",
      JSON.stringify({ name: "j3", samples: 800, classes: 4, imageSize: 64, channels: 3, constraints: { denyModels: ["no_such_net"] } }),
      "",
      JSON.stringify({ samples: 500, classes: 2, modality: "tabular" }),
    ].join("\n"),
  );
  const r = runCli(["batch", cards, "--candidates", "200", "--no-judge"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
  assert.deepEqual(lines.map((l) => [l.line, l.name, l.ok]), [
    [1, "j1", true],
    [2, null, false],
    [3, "j3", false],
    [5, null, true],
  ]);
  const j1 = Recommendation.parse(lines[0].recommendation);
  assert.equal(j1.objective, "cost");
  assert.equal(j1.recommendation.hyperparameters.batch_size, 32);
  assert.equal(lines[0].verdict, undefined);
  assert.match(lines[1].error!.message, /not a JSON object/);
  assert.deepEqual([lines[2].error!.where, lines[2].error!.message], ["line 3: constraints.denyModels", 'unknown model "no_such_net"']);
  assert.match(r.stderr, /2 ok, 2 failed of 4/);
});

test("batch: a JSON array of cards (pretty-printed) is read like JSONL, each card numbered by its place", () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.json");
  writeFileSync(cards, JSON.stringify([{ name: "a", samples: 3000, classes: 7, imageSize: 224, channels: 3 }, "x", { name: "b", samples: 9000, classes: 20, imageSize: 128, channels: 3 }], null, 2));
  const r = runCli(["batch", cards, "--candidates", "200", "--no-judge"]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
  assert.deepEqual(lines.map((l) => [l.line, l.name, l.ok]), [
    [1, "a", true],
    [2, null, false],
    [3, "b", true],
  ]);
  assert.match(lines[1].error!.message, /not a JSON object/);
});

test("batch: a CSV with an unknown column is rejected as a whole (exit 2)", () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.csv");
  writeFileSync(cards, "name,samples,clases\na,10,2\n");
  const r = runCli(["batch", cards]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cards\.csv:1: unknown column "clases"/);
  assert.match(r.stderr, /fix: the header names card fields/);
  assert.equal(runCli(["batch", path.join(dir, "missing.csv")]).status, 2);
});

test("batch: killed mid-run, then resumed: every item exactly once, a cut-off last line repaired", async () => {
  const dir = tempDir("hporec-batch-");
  const cards = path.join(dir, "cards.jsonl");
  const n = 24;
  writeFileSync(cards, Array.from({ length: n }, (_, i) => JSON.stringify({ name: `d${i}`, samples: 500 + 100 * i, classes: 2 + (i % 9), imageSize: 64 + 8 * i, channels: 3 })).join("\n") + "\n");
  const out = path.join(dir, "out.jsonl");
  const args = ["batch", cards, "--out", out, "--candidates", "200", "--no-judge", "--json"];
  const child = startCli(args);
  const exited = new Promise((r) => child.on("exit", r));
  // The child is writing, and the kill may land mid-write: count the lines it finished (the resume repairs the rest).
  await waitFor(() => jsonLines(out, { finishedOnly: true }).length >= 3 || child.exitCode !== null);
  child.kill("SIGKILL");
  await exited;
  const before = jsonLines<Line>(out, { finishedOnly: true }).length;
  assert.ok(before >= 3 && before < n, `killed after ${before} of ${n} items`);
  appendFileSync(out, '{"line":99,"name":"half a wri'); // what a kill during a write would leave

  const r = runCli(args);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.skipped, before);
  assert.equal(summary.ok, n - before);
  const lines = jsonLines<Line>(out);
  assert.deepEqual(lines.map((l) => l.name).sort(), Array.from({ length: n }, (_, i) => `d${i}`).sort());
  assert.ok(lines.every((l) => l.ok));
  assert.ok(readFileSync(out, "utf8").endsWith("}\n"));
});
