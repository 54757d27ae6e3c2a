import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { evaluate, readAnswers } from "../../../src/judge/evaluation.ts";
import { ruleJudge } from "../../../src/judge/rule-judge.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommendation } from "../../../src/recommend/schema.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";

describe("hporec judge over a JSONL file", () => {
  let dir: string;
  let good: Recommendation;
  let file: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "hporec-judge-"));
    const { recommender } = await loadEngine(DEFAULT_PACK);
    good = await recommender.recommend({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 } }, samples: 200 });
    const bad = structuredClone(good);
    delete bad.recommendation.hyperparameters.lr;
    file = path.join(dir, "answers.jsonl");
    const lines = [
      JSON.stringify(good),
      JSON.stringify({ line: 1, name: "skin", ok: true, recommendation: good }),
      "",
      JSON.stringify(bad),
      "{not json",
      JSON.stringify({ line: 3, name: "broken", ok: false, error: { message: "no samples" } }),
    ];
    writeFileSync(file, lines.join("\n") + "\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("reads answers and batch lines, reports malformed and failed lines by number", () => {
    const { items, malformed, batchFailures } = readAnswers(`${JSON.stringify(good)}\n\n[1]\n{x\n${JSON.stringify({ ok: false, error: { message: "m" } })}\n`);
    assert.deepEqual(items.map((i) => i.line), [1]);
    assert.deepEqual(malformed.map((m) => [m.line, m.problem.split(":")[0]]), [[3, "not a JSON object"], [4, "not JSON"]]);
    assert.deepEqual(batchFailures, [{ line: 5, problem: "batch line without a recommendation: m" }]);
  });

  test("one saved answer, pretty-printed as recommend --json writes it, or an array of answers, is one document", () => {
    const one = readAnswers(JSON.stringify(good, null, 2));
    assert.deepEqual([one.items.map((i) => i.line), one.malformed], [[1], []]);
    const many = readAnswers(JSON.stringify([good, { ok: false, error: { message: "m" } }, 3], null, 2));
    assert.deepEqual(many.items.map((i) => i.line), [1]);
    assert.deepEqual(many.batchFailures.map((m) => m.line), [2]);
    assert.deepEqual(many.malformed, [{ line: 3, problem: "not a JSON object" }]);
    const saved = path.join(dir, "answer.json");
    writeFileSync(saved, JSON.stringify(good, null, 2) + "\n");
    const r = spawnSync(process.execPath, ["bin/hporec.js", "judge", saved], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^.*answer\.json: 1 of 1 answers pass/);
  });

  test("evaluation: pass rates, distributions, failures with reasons", async () => {
    const { recommender } = await loadEngine(DEFAULT_PACK);
    const { items } = readAnswers(`${JSON.stringify(good)}\n${JSON.stringify({ ...good, justification: "no citations" })}\n`);
    const ev = evaluate(items.map((item) => ({ item, verdict: ruleJudge(item.answer, { pack: recommender.pack }) })));
    assert.equal(ev.judged, 2);
    assert.equal(ev.passRate, 0.5);
    assert.equal(ev.criteria.format.passRate, 1);
    assert.equal(ev.criteria.completeness.passRate, 0.5);
    assert.ok(ev.criteria.completeness.min < 1 && ev.criteria.completeness.median < 1);
    assert.equal(ev.failures.length, 1);
    assert.equal(ev.failures[0].line, 2);
    assert.ok(ev.failures[0].reasons.includes("completeness: the justification cites no evidence id"), ev.failures[0].reasons.join("\n"));
  });

  test("the CLI: --json summary, every failure listed, malformed lines by number, exit 0", () => {
    const r = spawnSync(process.execPath, ["bin/hporec.js", "judge", file, "--json"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.judged, 3);
    assert.equal(out.passed, 2);
    assert.deepEqual(out.failures.map((f: { line: number }) => f.line), [4]);
    assert.ok(out.failures[0].reasons.includes("completeness: missing hyperparameter lr"));
    assert.deepEqual(out.malformed.map((m: { line: number }) => m.line), [5]);
    assert.deepEqual(out.batchFailures.map((m: { line: number }) => m.line), [6]);
    assert.equal(out.verdicts.length, 3);
  });

  test("the CLI: a progress bar on stderr (HPOREC_PROGRESS=1) counts the answers judged, stdout untouched", () => {
    const r = spawnSync(process.execPath, ["bin/hporec.js", "judge", file, "--json"], { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "1" } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /judge \[[^\]]*\] 3\/3 100%/);
    assert.equal(JSON.parse(r.stdout).judged, 3);
  });

  test("the CLI: human output and exit 2 for unusable input", () => {
    const r = spawnSync(process.execPath, ["bin/hporec.js", "judge", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /2 of 3 answers pass \(67%\); 1 malformed lines; 1 failed batch lines/);
    assert.match(r.stdout, /line 4: [^\n]*\n(\s+- [^\n]*\n)*\s+- completeness: missing hyperparameter lr\n/);
    assert.match(r.stdout, /line 5 \(malformed\): not JSON/);
    const empty = path.join(dir, "empty.jsonl");
    writeFileSync(empty, "{oops\n");
    const e = spawnSync(process.execPath, ["bin/hporec.js", "judge", empty], { encoding: "utf8" });
    assert.equal(e.status, 2);
    assert.match(e.stderr, /no recommendation to judge \(1 malformed/);
    assert.equal(spawnSync(process.execPath, ["bin/hporec.js", "judge", path.join(dir, "missing.jsonl")]).status, 2);
  });
});
