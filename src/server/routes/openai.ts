/**
 * OpenAI-compatible chat completions, so OpenAI clients and chat front ends can talk to hporec. The API is
 * stateless: earlier user turns are replayed into a fresh conversation (the dataset, its limits, and the study's
 * results and suggestions, as /v1/chat would hold them), and the last user message is answered by the chat
 * engine. The model name selects the pack.
 */
import { randomUUID } from "node:crypto";
import { Router } from "express";
import { newConversation } from "../../chat/conversation.ts";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { ChatCompletionRequest, type ChatCompletion, type ModelList } from "../schemas.ts";
import type { z } from "zod";
import { chunks, EventStream, wantsEventStream } from "../sse.ts";
import { parseBody } from "../validate.ts";

type Message = { role: string; content: string | null | Array<{ type: string; text?: string }> };

const text = (m: Message) => (typeof m.content === "string" ? m.content : (m.content ?? []).map((p) => p.text ?? "").join(""));
/** Earlier turns are answered again on every request, so a history is bounded (a few ms per turn). */
export const MAX_USER_TURNS = 100;

/** OpenAI counts tokens with its tokenizer; ~4 characters per token is the usual estimate for English. */
const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export function openaiRoutes(s: Services): Router {
  return Router()
    .get("/v1/models", (_req, res) => {
      res.json({ object: "list", data: [...s.engines.keys()].map((id) => ({ id, object: "model", created: 0, owned_by: "hporec" })) } satisfies z.input<typeof ModelList>);
    })
    .post("/v1/chat/completions", async (req, res) => {
      const body = parseBody(ChatCompletionRequest, req);
      const chat = s.chatFor(body.model);
      if (!chat) throw new ApiError(404, "model_not_found", `unknown model ${JSON.stringify(body.model)}; available: ${[...s.engines.keys()].join(", ")}`, "body.model");
      const users = (body.messages as Message[]).filter((m) => m.role === "user").map(text).filter((t) => t.trim());
      if (!users.length) throw new ApiError(400, "invalid_request", "no user message with text", "body.messages");
      if (users.length > MAX_USER_TURNS)
        throw new ApiError(400, "invalid_request", `${users.length} user messages; at most ${MAX_USER_TURNS} are replayed: start a new conversation, or use /v1/chat, which keeps the conversation on the server`, "body.messages");
      const conv = newConversation(`chatcmpl-${randomUUID()}`);
      await chat.replay(conv, users.slice(0, -1));
      const last = users[users.length - 1];
      const id = conv.id;
      const created = Math.floor(Date.now() / 1000);
      const stream = body.stream === true || wantsEventStream(req);
      const es = stream ? new EventStream(res) : undefined;
      let reply;
      try {
        reply = await chat.reply(conv, last);
      } catch (e) {
        if (!es) throw e;
        es.send({ error: { code: "internal_error", message: "internal error" } });
        req.log.error({ err: e }, "completion stream failed");
        return es.end();
      }
      if (reply.recommendation) s.metrics.recommendations.inc({ endpoint: "chat.completions", model: reply.recommendation.recommendation.model });
      const usage = { prompt_tokens: users.reduce((a, u) => a + tokens(u), 0), completion_tokens: tokens(reply.reply) };
      if (!es) {
        return void res.json({
          id,
          object: "chat.completion",
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: "assistant", content: reply.reply, refusal: null }, finish_reason: "stop", logprobs: null }],
          usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
        } satisfies z.input<typeof ChatCompletion>);
      }
      const chunk = (delta: object, finish: string | null) => ({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
      es.send(chunk({ role: "assistant", content: "" }, null));
      for (const piece of chunks(reply.reply)) es.send(chunk({ content: piece }, null));
      es.send(chunk({}, "stop"));
      es.send("[DONE]");
      es.end();
    });
}
