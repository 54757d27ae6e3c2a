import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { buildCorpus, type CorpusLine } from "../../../src/judge/corpus/build.ts";
import { PERTURBATIONS } from "../../../src/judge/corpus/perturbations.ts";
import { evaluate } from "../../../src/judge/evaluation.ts";
import { judgeRecommendation } from "../../../src/judge/judge.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";

describe("judge evaluation with known truth (a small corpus of the default pack)", () => {
  let recommender: Recommender;
  let lines: CorpusLine[];
  let dir: string;
  before(async () => {
    ({ recommender } = await loadEngine(DEFAULT_PACK));
    lines = await buildCorpus(recommender, { cards: 6, perturbed: 3, samples: 200, seed: 5 });
    dir = mkdtempSync(path.join(tmpdir(), "hporec-corpus-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("every answer untouched in two phrasings, the first ones with each kind of false claim", () => {
    const untouched = lines.filter((l) => l.label.kind === "untouched");
    assert.equal(untouched.length, 12);
    assert.deepEqual(new Set(untouched.map((l) => l.label.style)), new Set(["writer", "llm"]));
    assert.ok(untouched.every((l) => l.label.expect === "pass"));
    const kinds = new Set(lines.filter((l) => l.label.expect === "fail").map((l) => l.label.kind));
    assert.ok(kinds.size >= 18, `only ${kinds.size} kinds: ${[...kinds].join(", ")}`);
    for (const part of ["text", "structure"]) assert.ok(PERTURBATIONS.some((p) => p.part === part && kinds.has(p.kind)), part);
  });

  test("a text kind leaves the structure alone; a structure kind's text agrees with its structure", () => {
    const base = new Map(lines.filter((l) => l.label.kind === "untouched" && l.label.style === "writer").map((l) => [l.name.split("/")[0], l.recommendation]));
    for (const l of lines.filter((x) => x.label.kind === "text-metric" && x.label.style === "writer")) {
      const u = base.get(l.name.split("/")[0])!;
      assert.deepEqual({ ...l.recommendation, justification: "" }, { ...u, justification: "" });
      assert.notEqual(l.recommendation.justification, u.justification);
    }
    for (const l of lines.filter((x) => x.label.kind === "struct-metric" && x.label.style === "writer")) {
      const m = l.recommendation.recommendation.predicted.metric;
      const stated = Number(/predicted top1_accuracy of about ([\d.]+)/.exec(l.recommendation.justification)?.[1]);
      assert.ok(Math.abs(stated - m) < 0.1, `the text states the changed metric ${m}: ${l.recommendation.justification}`);
    }
  });

  test("the rule judge fails every false claim and passes every untouched answer", async () => {
    const judged = [];
    for (const [i, l] of lines.entries()) {
      const answer = JSON.parse(JSON.stringify(l.recommendation));
      judged.push({ item: { line: i + 1, name: l.name, answer, label: l.label }, verdict: await judgeRecommendation(answer, { pack: recommender.pack, recommender }) });
    }
    const t = evaluate(judged).knownTruth!;
    assert.deepEqual(t.missed, [], "false claims that passed");
    assert.deepEqual(t.falseFailures, [], "untouched answers that failed");
    assert.equal(t.recall, 1);
    assert.equal(t.falseFailureRate, 0);
    const untouched = t.kinds.find((k) => k.kind === "untouched")!;
    assert.deepEqual([untouched.n, untouched.failed, untouched.expect], [12, 0, "pass"]);
    for (const k of t.kinds.filter((x) => x.expect === "fail")) assert.equal(k.rate, 1, k.kind);
  });

  test("hporec judge on the corpus file: the known-truth table, and every failure with the claim and why", () => {
    const file = path.join(dir, "corpus.jsonl");
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const json = spawnSync(process.execPath, ["bin/hporec.js", "judge", file, "--json"], { encoding: "utf8", maxBuffer: 256 * 2 ** 20 });
    assert.equal(json.status, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.knownTruth.recall, 1);
    assert.equal(out.knownTruth.falseFailureRate, 0);
    assert.equal(out.verdicts.length, lines.length);
    const metric = out.verdicts.find((v: { line: number }) => lines[v.line - 1].label.kind === "text-metric");
    assert.equal(metric.pass, false);
    assert.ok(metric.problems.some((p: string) => /^accuracy: the text claims ".*", which is false: the answer says [\d.]+ for the recommendation/.test(p)), JSON.stringify(metric.problems));
    assert.ok(metric.claims.some((c: { kind: string; status: string }) => c.kind === "metric" && c.status === "false"));

    const human = spawnSync(process.execPath, ["bin/hporec.js", "judge", file], { encoding: "utf8" });
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /Known truth: recall of false claims 100%, false failures on untouched answers 0%/);
    assert.match(human.stdout, /\ntext-metric\s+fail\s+\d+\s+\d+\s+100%/);
    assert.match(human.stdout, /\s+- accuracy: the text claims ".*", which is false: /);
    assert.match(human.stdout, /answers make claims the data cannot support \(flagged, not failed\)|^(?![\s\S]*flagged)/);
  });
});
