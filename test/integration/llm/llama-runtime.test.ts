import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { recommendChoiceSchema } from "../../../src/llm/answer-schemas.ts";
import { LlamaRuntime } from "../../../src/llm/llama-runtime.ts";
import { InputError } from "../../../src/util/errors.ts";
import { testModelsDir } from "../../helpers/env.ts";

const models = testModelsDir();
const skip = models ? false : "test models not found (HPOREC_TEST_MODELS)";

const CANDIDATES = ["cand-1", "cand-2", "cand-3", "cand-4", "cand-5"];
const EVIDENCE = ["E1", "E2", "E3", "E4"];
const schema = recommendChoiceSchema(CANDIDATES, EVIDENCE).extend({ justification: z.string().min(1).max(120) });
const prompt = "Candidates: cand-1 (0.81 ± 0.02), cand-2 (0.79 ± 0.05), cand-3, cand-4, cand-5. Evidence E1-E4. Choose one.";

describe("LlamaRuntime with stories260K", { skip }, () => {
  let runtime: LlamaRuntime;
  before(async () => {
    runtime = new LlamaRuntime({ model: path.join(models!, "stories260K.gguf"), threads: 1, sequences: 2, contextSize: 1024 });
    await runtime.load();
  });
  after(() => runtime.dispose());

  test("20 of 20 grammar-constrained generations are schema-valid", async () => {
    const failures: string[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const r = await runtime.generateJson({ prompt, systemPrompt: "Answer in JSON.", schema, maxTokens: 300, temperature: 0.8, seed });
      if (!r.ok) failures.push(`seed ${seed}: ${r.error}`);
      else {
        assert.ok(CANDIDATES.includes(r.value.choice));
        assert.ok(r.value.evidence.every((e) => EVIDENCE.includes(e)));
      }
    }
    assert.deepEqual(failures, []);
  });

  test("token accounting: prompt and completion tokens, time, tokens/s", async () => {
    const r = await runtime.generateJson({ prompt, schema, maxTokens: 300, seed: 3 });
    assert.ok(r.ok, !r.ok ? r.error : "");
    assert.ok(r.tokens.prompt > 20, `prompt tokens ${r.tokens.prompt}`);
    assert.ok(r.tokens.completion > 5, `completion tokens ${r.tokens.completion}`);
    assert.ok(r.ms > 0 && r.tokensPerSecond > 0);
    assert.equal(r.attempts, 1);
    assert.equal(r.model, "stories260K.gguf");
    const longer = await runtime.generateJson({ prompt: `${prompt} ${"More context. ".repeat(10)}`, schema, maxTokens: 300, seed: 3 });
    assert.ok(longer.tokens.prompt > r.tokens.prompt, "a longer prompt counts more prompt tokens");
  });

  test("8 parallel calls on 2 sequences all complete (they queue, none fails)", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runtime.generateJson({ prompt, schema, maxTokens: 300, seed: 100 + i })),
    );
    assert.equal(results.length, 8);
    for (const r of results) assert.ok(r.ok, !r.ok ? r.error : "");
  });

  test("a token limit too small to close the JSON is the failure path, after one retry", async () => {
    const r = await runtime.generateJson({ prompt, schema, maxTokens: 4, seed: 1 });
    assert.equal(r.ok, false);
    assert.equal(r.attempts, 2);
    assert.match(!r.ok ? r.error : "", /maxTokens \(4\)/);
  });
});

describe("LlamaRuntime with llama-2-tiny-random", { skip }, () => {
  let runtime: LlamaRuntime;
  before(() => {
    runtime = new LlamaRuntime({ model: path.join(models!, "llama-2-tiny-random.gguf"), threads: 1, sequences: 1, contextSize: 512 });
  });
  after(() => runtime.dispose());

  // The grammar only admits JSON that fits the schema, so even random weights produce valid JSON when given
  // enough tokens (next test). What they cannot do is finish it early: the
  // shortest valid answer ({"choice":"cand-1","justification":"x","evidence":[]}) needs more than 8 tokens of
  // this vocabulary, so with maxTokens 8 every attempt is cut off — the failure path, independent of sampling.
  test("random weights with enough tokens still give grammar-valid JSON (why the failure test limits tokens)", async () => {
    const r = await runtime.generateJson({ prompt, schema, maxTokens: 300, temperature: 1, seed: 7 });
    assert.ok(r.ok, !r.ok ? r.error : "");
  });

  test("random weights under a too small token budget: no valid JSON -> ok:false after one retry", async () => {
    const r = await runtime.generateJson({ prompt, schema, maxTokens: 8, temperature: 1, seed: 7 });
    assert.equal(r.ok, false);
    assert.equal(r.attempts, 2);
    assert.match(!r.ok ? r.error : "", /attempt 1: .*attempt 2: /);
    assert.ok(r.tokens.completion <= 16);
  });
});

describe("LlamaRuntime load errors", { skip }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "hporec-llm-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function loadError(file: string): Promise<InputError> {
    const runtime = new LlamaRuntime({ model: file, threads: 1 });
    try {
      await runtime.load();
    } catch (e) {
      assert.ok(e instanceof InputError, `expected InputError, got ${(e as Error).stack}`);
      return e;
    } finally {
      await runtime.dispose();
    }
    throw new Error(`${file} loaded`);
  }

  test("missing file", async () => {
    const e = await loadError(path.join(dir, "nope.gguf"));
    assert.match(e.message, /model file not found: .*nope\.gguf/);
    assert.equal(e.where, "--llm");
  });

  test("truncated GGUF (tensor data cut off)", async () => {
    const file = path.join(dir, "truncated.gguf");
    copyFileSync(path.join(models!, "stories260K.gguf"), file);
    writeFileSync(file, readFileSync(file).subarray(0, 500_000));
    const e = await loadError(file);
    assert.match(e.message, /cannot load model .*truncated\.gguf/);
    assert.match(e.message, /corrupted or incomplete/); // llama.cpp's own reason, surfaced
    assert.match(e.hint ?? "", /truncated download/);
  });

  test("truncated inside the header", async () => {
    const file = path.join(dir, "header.gguf");
    writeFileSync(file, readFileSync(path.join(models!, "stories260K.gguf")).subarray(0, 1000));
    assert.match((await loadError(file)).message, /cannot load model .*header\.gguf/);
  });

  test("garbage bytes", async () => {
    const file = path.join(dir, "garbage.gguf");
    writeFileSync(file, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
    assert.match((await loadError(file)).message, /cannot load model .*garbage\.gguf: .*GGUF magic/i);
  });
});
