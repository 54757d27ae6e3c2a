/**
 * A minimal OpenAI-compatible chat server for tests, like llama.cpp's server: a real GGUF model through
 * node-llama-cpp, answering under the grammar of the requested `response_format` JSON schema, with usage.
 * It deliberately does not use src/llm, so the remote client is checked against an independent server.
 */
import type { AddressInfo } from "node:net";
import express from "express";
import { getLlama, LlamaChatSession, type GbnfJsonObjectSchema } from "node-llama-cpp";

interface ChatRequest {
  model?: string;
  messages: Array<{ role: "system" | "user" | "assistant"; content: string }>;
  max_tokens?: number;
  temperature?: number;
  seed?: number;
  response_format?: { type: string; json_schema?: { name: string; schema: GbnfJsonObjectSchema } };
}

export async function startOpenAiCompatibleServer(modelPath: string, modelName: string) {
  const llama = await getLlama({ gpu: false, build: "never" });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 1024, threads: 1 });
  const sequence = context.getSequence();
  let queue: Promise<unknown> = Promise.resolve(); // one sequence: one request at a time
  const requests: ChatRequest[] = [];

  const app = express();
  app.use(express.json());
  app.get("/v1/models", (_req, res) => {
    res.json({ object: "list", data: [{ id: modelName, object: "model", created: 0, owned_by: "test" }] });
  });
  app.post("/v1/chat/completions", (req, res, next) => {
    const body = req.body as ChatRequest;
    requests.push(body);
    const run = async () => {
      const system = body.messages.find((m) => m.role === "system")?.content ?? "";
      const user = body.messages.filter((m) => m.role === "user").pop()?.content ?? "";
      const schema = body.response_format?.json_schema?.schema;
      const grammar = schema ? await llama.createGrammarForJsonSchema(schema) : undefined;
      const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: system, autoDisposeSequence: false });
      try {
        await session.preloadPrompt(user);
        const promptTokens = sequence.nextTokenIndex;
        const before = sequence.tokenMeter.getState();
        const r = await session.promptWithMeta(user, {
          grammar,
          maxTokens: body.max_tokens,
          temperature: body.temperature,
          seed: body.seed,
        });
        const completion = sequence.tokenMeter.diff(before).usedOutputTokens;
        res.json({
          id: `chatcmpl-${requests.length}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: modelName,
          choices: [{ index: 0, message: { role: "assistant", content: r.responseText }, finish_reason: r.stopReason === "maxTokens" ? "length" : "stop" }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: promptTokens + completion },
        });
      } finally {
        session.dispose();
        await sequence.clearHistory();
      }
    };
    queue = queue.then(run, run).catch(next);
  });

  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    /** Every request body received, to check what the client sent. */
    requests,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.dispose();
      await model.dispose();
    },
  };
}
