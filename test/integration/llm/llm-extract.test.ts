import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, test } from "node:test";
import { LlmExtraction, extractDatasetRequest } from "../../../src/llm/extract/llm-extract.ts";
import { parseDatasetRequest } from "../../../src/llm/extract/parse-request.ts";
import { LlamaRuntime } from "../../../src/llm/llama-runtime.ts";
import { testModelsDir } from "../../helpers/env.ts";

const models = testModelsDir();
const MESSAGE = "I have about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours";

// stories260K writes nonsense: these tests check the plumbing (grammar, schema, fallback), not the content.
describe("LLM extractor with stories260K", { skip: models ? false : "no test models" }, () => {
  const runtime = new LlamaRuntime({ model: path.join(models!, "stories260K.gguf"), threads: 1, sequences: 1, contextSize: 1024 });
  after(() => runtime.dispose());

  test("the grammar yields schema-valid extractions", async () => {
    for (let seed = 0; seed < 3; seed++) {
      const r = await runtime.generateJson({ prompt: MESSAGE, schema: LlmExtraction, maxTokens: 600, temperature: 0.5, seed });
      // zod bounds the grammar cannot enforce (classes >= 2, ...) may reject an answer: then it is a clean failure.
      if (r.ok) assert.ok(LlmExtraction.safeParse(r.value).success);
      else assert.match(r.error, /attempt 2/);
    }
  });

  test("extractDatasetRequest answers from the LLM or falls back to the parser, never fails", async () => {
    const r = await extractDatasetRequest(MESSAGE, { generator: runtime, maxTokens: 600, seed: 1 });
    assert.equal(r.promptVersion, "extract@1");
    assert.ok(r.llm && r.llm.tokens.prompt > 0);
    if (r.source === "rules") {
      assert.ok(r.llm.error);
      assert.deepEqual(r.request, parseDatasetRequest(MESSAGE));
    } else assert.equal(r.llm.error, undefined);
    const cut = await extractDatasetRequest(MESSAGE, { generator: runtime, maxTokens: 5 });
    assert.equal(cut.source, "rules");
    assert.deepEqual(cut.request, parseDatasetRequest(MESSAGE));
    assert.match(cut.llm?.error ?? "", /maxTokens/);
  });
});
