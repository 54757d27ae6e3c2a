/**
 * POST /v1/chat with a real LLM (stories260K, which writes nonsense): the study's turns (a result told, "give me
 * three", a hyperparameter's "why") answer with the deterministic facts, never the LLM's unchecked text.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { LlamaRuntime } from "../../../src/llm/llama-runtime.ts";
import { testModelsDir } from "../../helpers/env.ts";
import { get, post, start } from "./helpers.ts";

const models = testModelsDir();
type Server = Awaited<ReturnType<typeof start>>;

describe("POST /v1/chat with stories260K: study turns carry the deterministic facts", { skip: models ? false : "no test models" }, () => {
  let s: Server;
  let runtime: LlamaRuntime;
  let calls = 0;
  before(async () => {
    runtime = new LlamaRuntime({ model: path.join(models!, "stories260K.gguf"), threads: 1, sequences: 1, contextSize: 1024 });
    // Counted at the call, not by the token metric: a call cut by the timeout on a loaded machine counts no tokens.
    const generate = runtime.generateJson.bind(runtime);
    runtime.generateJson = (request) => {
      calls++;
      return generate(request);
    };
    s = await start({ llm: { generator: runtime, timeoutMs: 10_000 } });
  });
  after(async () => {
    await s?.stop();
    await runtime?.dispose();
  });

  const say = async (message: string, conversationId?: string) => {
    const r = await post(`${s.url}/v1/chat`, { message, ...(conversationId && { conversationId }) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };

  test("a told result and the next suggestions are the computed text, without an LLM call", async () => {
    const first = await say("3000 plant images, 30 classes, 224 px");
    const id = first.conversationId;
    const pick = first.recommendation.recommendation;
    const spent = calls;
    assert.ok(spent > 0, "the recommendation turn called the LLM");

    const told = await say("I got 71.2 % with that", id);
    assert.equal(told.intent, "tell");
    assert.equal(told.source, "deterministic");
    const next = told.data.suggestions[0];
    assert.match(told.reply, new RegExp(`^Noted: 71\\.2 with ${pick.model} \\(${pick.candidateId}\\)\\.\\n`));
    assert.match(told.reply, new RegExp(`\\nNext: ${next.model} \\(${next.candidateId}\\), predicted `));

    const three = await say("give me three to run in parallel", id);
    assert.equal(three.source, "deterministic");
    assert.equal(three.data.suggestions.length, 3);
    for (const [i, sug] of three.data.suggestions.entries()) assert.match(three.reply, new RegExp(`\\n${i + 1}\\. ${sug.model} \\(${sug.candidateId}\\)`));
    // The study's turns read the message by rules alone and are not reworded: no LLM call.
    assert.equal(calls, spent, "a study turn called the LLM");

    const why = await say("why this learning rate?", id);
    assert.equal(why.source, "deterministic");
    assert.match(why.reply, /^The recommended lr is /);
    assert.equal((await get(`${s.url}/v1/chat/${id}`)).json.study.trials[0].value, 71.2);
  });
});
