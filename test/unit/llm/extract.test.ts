import assert from "node:assert/strict";
import { test } from "node:test";
import type { z } from "zod";
import type { JsonGenerator, JsonRequest, JsonResult } from "../../../src/llm/json-generator.ts";
import { extractDatasetRequest, type LlmExtraction } from "../../../src/llm/extract/llm-extract.ts";
import { parseDatasetRequest } from "../../../src/llm/extract/parse-request.ts";

// A stand-in generator for the merge logic only; the real model path is in test/integration/llm.
function fixed(answer: LlmExtraction | undefined): JsonGenerator & { requests: JsonRequest<z.ZodType>[] } {
  const requests: JsonRequest<z.ZodType>[] = [];
  const stats = { tokens: { prompt: 50, completion: 20 }, ms: 10, tokensPerSecond: 2000, attempts: 1, model: "stub" };
  return {
    requests,
    info: () => ({ kind: "local", location: "stub", model: "stub" }),
    dispose: async () => {},
    async generateJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<JsonResult<z.output<S>>> {
      requests.push(request);
      return answer ? { ok: true, value: answer as z.output<S>, source: "llm", ...stats } : { ok: false, error: "no JSON", ...stats, attempts: 2 };
    },
  };
}

const MESSAGE = "about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours";
const EMPTY: LlmExtraction = {
  samples: null, classes: null, imageSize: null, channels: null, depth: null, domain: null, modality: null,
  budgetSeconds: null, allowModels: [], denyModels: [], fixed: [],
};

test("without a generator the parser answers", async () => {
  const r = await extractDatasetRequest(MESSAGE);
  assert.equal(r.source, "rules");
  assert.deepEqual(r.request, parseDatasetRequest(MESSAGE));
});

test("the LLM's fields win, the parser fills the gaps, values are typed", async () => {
  const gen = fixed({ ...EMPTY, samples: 3100, channels: 3, allowModels: ["ResNets"], fixed: [{ name: "batch_size", value: "32" }, { name: "opt", value: "sgd" }] });
  const r = await extractDatasetRequest(MESSAGE, { generator: gen, knownModels: ["resnet18", "resnet50", "vit_small"] });
  assert.equal(r.source, "llm");
  assert.equal(r.promptVersion, "extract@1");
  assert.deepEqual(r.request.card, { samples: 3100, classes: 7, imageSize: 224, channels: 3, domain: "medical", modality: "image" });
  assert.deepEqual(r.request.constraints, { budgetSeconds: 7200, allowModels: ["resnet18", "resnet50"], fixed: { batch_size: 32, opt: "sgd" } });
  assert.deepEqual(r.request.missing, []);
  assert.match(gen.requests[0].prompt, /dermoscopy images/);
  assert.equal(gen.requests[0].temperature, 0);
});

test("an unusable LLM answer falls back to the parser and keeps the error", async () => {
  const r = await extractDatasetRequest(MESSAGE, { generator: fixed(undefined) });
  assert.equal(r.source, "rules");
  assert.deepEqual(r.request, parseDatasetRequest(MESSAGE));
  assert.equal(r.llm?.error, "no JSON");
  assert.equal(r.llm?.attempts, 2);
});
