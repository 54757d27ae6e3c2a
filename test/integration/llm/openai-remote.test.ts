import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { recommendChoiceSchema } from "../../../src/llm/answer-schemas.ts";
import { OpenAiJsonGenerator } from "../../../src/llm/openai-json-generator.ts";
import { testModelsDir } from "../../helpers/env.ts";
import { startOpenAiCompatibleServer } from "./openai-compatible-server.ts";

const models = testModelsDir();
const schema = recommendChoiceSchema(["cand-1", "cand-2", "cand-3"], ["E1", "E2"]);
const prompt = "Candidates cand-1, cand-2, cand-3; evidence E1, E2. Choose one.";

describe("OpenAiJsonGenerator against a real OpenAI-compatible server (stories260K)", { skip: models ? false : "no test models" }, () => {
  let server: Awaited<ReturnType<typeof startOpenAiCompatibleServer>>;
  before(async () => {
    server = await startOpenAiCompatibleServer(path.join(models!, "stories260K.gguf"), "stories260K");
  });
  after(() => server.close());

  test("structured answers are schema-valid, with the server's token usage", async () => {
    const generator = new OpenAiJsonGenerator({ url: server.url });
    for (let seed = 0; seed < 5; seed++) {
      const r = await generator.generateJson({ prompt, systemPrompt: "Answer in JSON.", schema, maxTokens: 300, temperature: 0.8, seed });
      assert.ok(r.ok, !r.ok ? r.error : "");
      assert.ok(["cand-1", "cand-2", "cand-3"].includes(r.value.choice));
      assert.ok(r.tokens.prompt > 10 && r.tokens.completion > 5);
      assert.equal(r.model, "stories260K"); // from GET /v1/models
    }
    const sent = server.requests.at(-1)!;
    assert.equal(sent.response_format?.type, "json_schema");
    assert.deepEqual(sent.response_format?.json_schema?.schema.required, ["choice", "justification", "evidence"]);
    assert.equal(sent.max_tokens, 300);
    assert.equal(sent.messages[0].role, "system");
  });

  test("an answer cut off at max_tokens (finish_reason length) is the failure path after one retry", async () => {
    const generator = new OpenAiJsonGenerator({ url: server.url, model: "stories260K", maxTokens: 4 });
    const r = await generator.generateJson({ prompt, schema });
    assert.equal(r.ok, false);
    assert.equal(r.attempts, 2);
    assert.match(!r.ok ? r.error : "", /maxTokens \(4\)/);
  });
});
