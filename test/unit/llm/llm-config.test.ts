import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { z } from "zod";
import { createJsonGenerator } from "../../../src/llm/llm-config.ts";
import { resolveModelSource } from "../../../src/llm/model-source.ts";
import { OpenAiJsonGenerator } from "../../../src/llm/openai-json-generator.ts";
import { InputError } from "../../../src/util/errors.ts";

test("no flag and no env: no LLM", () => {
  assert.equal(createJsonGenerator({}, {}), undefined);
});

test("--llm or HPOREC_LLM: a local runtime; --llm-url: a remote one; flags beat the environment", () => {
  // Backends are imported on first use; info() tells which one was configured.
  assert.deepEqual(createJsonGenerator({}, { HPOREC_LLM: "dir/model.gguf" })?.info(), { kind: "local", location: "dir/model.gguf", model: "model.gguf" });
  const remote = createJsonGenerator({ llmUrl: "http://127.0.0.1:8080" }, {})!;
  assert.deepEqual(remote.info(), { kind: "remote", location: "http://127.0.0.1:8080/v1", model: "(server default)" });
  assert.equal(createJsonGenerator({ llm: "a.gguf" }, { HPOREC_LLM: "b.gguf" })?.info().location, "a.gguf");
});

test("bad settings are InputErrors naming the flag", () => {
  const bad: Array<[Parameters<typeof createJsonGenerator>[0], RegExp]> = [
    [{ llm: "a.gguf", llmUrl: "http://x" }, /both --llm and --llm-url/],
    [{ llm: "a.gguf", llmThreads: "two" }, /not a positive integer: two/],
    [{ llm: "a.gguf", llmGpu: "tpu" }, /unknown GPU setting/],
    [{ llmUrl: "localhost:8080" }, /not an http\(s\) URL/],
    [{ llmUrl: "::" }, /not a URL/],
  ];
  for (const [flags, message] of bad) {
    assert.throws(() => createJsonGenerator(flags, {}), (e) => e instanceof InputError && message.test(e.message));
  }
});

test("model sources: a missing file, a folder, an URI that is not downloaded while offline", async () => {
  await assert.rejects(resolveModelSource("/nonexistent/m.gguf"), (e) => e instanceof InputError && /model file not found/.test(e.message));
  await assert.rejects(resolveModelSource("."), /not a file/);
  await assert.rejects(
    resolveModelSource("hf:nobody/nothing:Q4_K_M", { download: false }),
    (e) => e instanceof InputError && /cannot resolve model URI hf:nobody\/nothing:Q4_K_M/.test(e.message) && /downloads are disabled/.test(e.hint ?? ""),
  );
});

test("an unreachable server is a failure result naming the server, not an exception", async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p)); // a port that was free a moment ago: connection refused
    });
  });
  const generator = new OpenAiJsonGenerator({ url: `http://127.0.0.1:${port}/v1`, model: "m", timeoutMs: 2000 });
  const r = await generator.generateJson({ prompt: "p", schema: z.object({ a: z.string() }) });
  assert.equal(r.ok, false);
  assert.equal(r.attempts, 2);
  assert.match(!r.ok ? r.error : "", new RegExp(`127\\.0\\.0\\.1:${port}/v1: Connection error\\. \\(ECONNREFUSED\\)`));
});
