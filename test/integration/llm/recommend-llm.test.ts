import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { judgeRecommendation } from "../../../src/judge/judge.ts";
import { ruleJudge } from "../../../src/judge/rule-judge.ts";
import { createJsonGenerator } from "../../../src/llm/llm-config.ts";
import { LlamaRuntime } from "../../../src/llm/llama-runtime.ts";
import { loadEngine } from "../../../src/recommend/engine.ts";
import { llmWriter } from "../../../src/recommend/llm-writer.ts";
import type { ChoiceWriter, Recommender, RecommendRequest, WriterInput } from "../../../src/recommend/recommender.ts";
import { Recommendation } from "../../../src/recommend/schema.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";
import { testModelsDir } from "../../helpers/env.ts";

const models = testModelsDir();
const skip = models ? false : "test models not found (HPOREC_TEST_MODELS)";

// Few candidates keep each recommendation fast; the LLM only sees the top 5 anyway.
const request = (seed: number): RecommendRequest => ({
  dataset: { metaFeatures: { n_samples: 1000 + 500 * seed, n_classes: 2 + (seed % 9), image_size: 224, channels: 3 }, domain: seed % 2 ? "medical" : "plants" },
  samples: 200,
  seed,
});

/** Keeps what the writer was shown, to check the answer against it. */
function recording(writer: ChoiceWriter): { writer: ChoiceWriter; seen: () => WriterInput } {
  let input: WriterInput | undefined;
  return { writer: (i) => ((input = i), writer(i)), seen: () => input! };
}

describe("recommend with an LLM writer", { skip }, () => {
  let recommender: Recommender;
  before(async () => {
    ({ recommender } = await loadEngine(DEFAULT_PACK));
  });

  describe("stories260K", () => {
    let runtime: LlamaRuntime;
    before(() => {
      runtime = new LlamaRuntime({ model: path.join(models!, "stories260K.gguf"), threads: 1, sequences: 1 });
    });
    after(() => runtime.dispose());

    test("20 of 20 recommendations are schema-valid, written by the LLM, built from the candidates", async () => {
      for (let seed = 0; seed < 20; seed++) {
        const w = recording(llmWriter(runtime, { seed, temperature: 0.8 }));
        const rec = await recommender.recommend(request(seed), { writer: w.writer });
        const { shortlist, evidence } = w.seen();
        const where = `seed ${seed}: ${rec.warnings.join("; ")}`;
        assert.doesNotThrow(() => Recommendation.parse(rec), where);
        assert.equal(rec.source, "llm", where);
        const chosen = shortlist.find((c) => c.candidateId === rec.recommendation.candidateId);
        assert.ok(chosen, `${where}: ${rec.recommendation.candidateId} is not a shortlisted candidate`);
        assert.deepEqual(rec.recommendation.hyperparameters, chosen.hyperparameters);
        assert.deepEqual(rec.recommendation.predicted, chosen.predicted, "numbers come from the meta-learner, not the LLM");
        const evidenceIds = new Set(evidence.map((e) => e.id));
        const cited = [...rec.justification.matchAll(/\[([a-z]+:[^\]\s,]+)\]/gi)].map((m) => m[1]);
        assert.ok(cited.length > 0, `${where}: no citation in ${rec.justification}`);
        for (const id of cited) assert.ok(evidenceIds.has(id) && rec.evidence.some((e) => e.id === id), `${where}: cites ${id}`);
        assert.equal(rec.llm?.model, "stories260K.gguf");
        assert.ok(rec.llm!.tokens.prompt > 100 && rec.llm!.tokens.completion > 0);
        const verdict = ruleJudge(rec, { pack: recommender.pack, recommender });
        assert.equal(verdict.scores.format, 1, JSON.stringify(verdict.reasons));
        assert.equal(verdict.scores.completeness, 1, JSON.stringify(verdict.reasons.completeness));
      }
    });

    test("the LLM judge grades 1-5 under the grammar, next to the rules", async () => {
      const rec = await recommender.recommend(request(1));
      // The judge prompt does not fit stories260K's small context (it fails every attempt): the random llama has room.
      const judgeRuntime = new LlamaRuntime({ model: path.join(models!, "llama-2-tiny-random.gguf"), threads: 1, sequences: 1, contextSize: 4096 });
      after(() => judgeRuntime.dispose());
      const v = await judgeRecommendation(rec, { pack: recommender.pack, recommender }, judgeRuntime, { seed: 1 });
      assert.equal(v.pass, ruleJudge(rec, { pack: recommender.pack, recommender }).pass, "pass/fail is the rules' alone");
      // Under the grammar even this nonsense model must grade: an ungraded verdict here is a failure, not a branch.
      assert.equal(v.judge, "rules+llm", v.llmError);
      assert.equal(v.llmError, undefined);
      for (const c of ["format", "accuracy", "completeness"] as const) assert.ok([1, 2, 3, 4, 5].includes(v.llm![c].score), `${c}: ${v.llm![c].score}`);
    });
  });

  test("llama-2-tiny-random under a tiny token limit: no valid JSON -> the deterministic answer, flagged", async () => {
    const runtime = new LlamaRuntime({ model: path.join(models!, "llama-2-tiny-random.gguf"), threads: 1, sequences: 1, contextSize: 2048 });
    try {
      const rec = await recommender.recommend(request(3), { writer: llmWriter(runtime, { maxTokens: 8, temperature: 1 }) });
      const plain = await recommender.recommend(request(3));
      assert.doesNotThrow(() => Recommendation.parse(rec));
      assert.equal(rec.source, "deterministic");
      assert.deepEqual(rec.recommendation, plain.recommendation, "the fallback is the deterministic answer");
      assert.match(rec.warnings.at(-1)!, /the LLM answer was unusable \(attempt 1: .*attempt 2: .*\); deterministic answer given/);
      assert.match(rec.justification, /Warning: the LLM answer was unusable/);
      assert.equal(rec.llm?.attempts, 2);
      assert.ok(rec.llm?.error);
    } finally {
      await runtime.dispose();
    }
  });

  test("no model configured: no generator, deterministic answers", () => {
    assert.equal(createJsonGenerator({}, {}), undefined);
  });
});

describe("hporec recommend --llm (CLI)", { skip }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hporec-rec-llm-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HPOREC_LLM")));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["bin/hporec.js", "recommend", "--samples", "3000", "--classes", "7", "--candidates", "50", ...args], { encoding: "utf8", env });

  test("a missing model file: exit 2 and a clear error", () => {
    const r = run("--llm", path.join(dir, "nope.gguf"));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--llm: model file not found: .*nope\.gguf/);
  });

  test("a truncated GGUF: exit 2 and a clear error", () => {
    const file = path.join(dir, "truncated.gguf");
    writeFileSync(file, readFileSync(path.join(models!, "stories260K.gguf")).subarray(0, 500_000));
    const r = run("--llm", file);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot load model .*truncated\.gguf/);
    assert.match(r.stderr, /fix: .*truncated download/);
  });

  test("no model configured: a deterministic answer with the judge's verdict", () => {
    const r = run("--json");
    assert.equal(r.status, 0, r.stderr);
    const rec = Recommendation.parse(JSON.parse(r.stdout));
    assert.equal(rec.source, "deterministic");
    assert.equal(rec.llm, undefined);
    assert.equal(rec.verdict?.judge, "rules");
    assert.equal(rec.verdict?.pass, true, JSON.stringify(rec.verdict?.reasons));
  });

  test("--ask: dataset and budget from a sentence (deterministic parser)", () => {
    const r = spawnSync(process.execPath, ["bin/hporec.js", "recommend", "--candidates", "50", "--json", "--ask", "I have about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours"], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stderr);
    const rec = Recommendation.parse(JSON.parse(r.stdout));
    assert.equal(rec.dataset.metaFeatures.n_samples, 3000);
    assert.equal(rec.dataset.metaFeatures.n_classes, 7);
    assert.equal(rec.dataset.metaFeatures.image_size, 224);
    assert.equal(rec.constraints.budgetSeconds, 7200);
  });
});
