import { Router, type Response } from "express";
import type { ChatReply } from "../../chat/engine.ts";
import type { Services } from "../context.ts";
import { ApiError, toApiError } from "../errors.ts";
import { ChatRequest, IdParam } from "../schemas.ts";
import { chunks, EventStream, wantsEventStream } from "../sse.ts";
import { parseBody, parseParams } from "../validate.ts";

/**
 * Multi-turn chat. Without a conversationId a new conversation starts; its id comes back with the answer.
 * With Accept: text/event-stream the answer streams as events: meta, delta (text pieces), result, done.
 */
export function chatRoutes(s: Services): Router {
  const notFound = (id: string) => new ApiError(404, "conversation_not_found", `no conversation ${id} (it may have expired)`, "body.conversationId");

  const turn = async (id: string, message: string): Promise<ChatReply> => {
    const reply = await s.conversations.withConversation(id, (c) => s.chat.reply(c, message));
    if (!reply) throw notFound(id);
    if (reply.recommendation) s.metrics.recommendations.inc({ endpoint: "chat", model: reply.recommendation.recommendation.model });
    return reply;
  };

  return Router()
    .post("/v1/chat", async (req, res) => {
      const body = parseBody(ChatRequest, req);
      const id = body.conversationId ?? (await s.conversations.create()).id;
      if (body.conversationId && !(await s.conversations.get(id))) throw notFound(id);
      if (!wantsEventStream(req)) return void res.json({ conversationId: id, ...(await turn(id, body.message)) });
      await stream(res, id, () => turn(id, body.message), req.log.error.bind(req.log));
    })
    .get("/v1/chat/:id", async (req, res) => {
      const { id } = parseParams(IdParam, req);
      const c = await s.conversations.get(id);
      if (!c) throw new ApiError(404, "conversation_not_found", `no conversation ${id} (it may have expired)`, "params.id");
      res.json(c);
    });
}

async function stream(res: Response, id: string, run: () => Promise<ChatReply>, logError: (o: object, msg: string) => void): Promise<void> {
  const es = new EventStream(res);
  es.send({ conversationId: id }, "meta");
  try {
    const reply = await run();
    for (const piece of chunks(reply.reply)) es.send({ text: piece }, "delta");
    es.send({ conversationId: id, ...reply }, "result");
    es.send({}, "done");
  } catch (e) {
    const api = toApiError(e);
    if (!api) logError({ err: e }, "chat stream failed");
    es.send({ error: { code: api?.code ?? "internal_error", message: api?.message ?? "internal error", ...(api?.path ? { path: api.path } : {}) } }, "error");
  } finally {
    es.end();
  }
}
