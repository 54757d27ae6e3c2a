/** The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import {
  BatchQuery,
  BatchRequest,
  BatchStatus,
  ChatCompletionRequest,
  ChatRequest,
  ChatResponse,
  ChatCompletion,
  ConversationView,
  ErrorResponse,
  ExplainResponse,
  JudgeResponse,
  ModelList,
  ExplainQuery,
  IdParam,
  JudgeRequest,
  RecommendInput,
  RecommendResponse,
  AskRequest,
  AskResponse,
  StudyCreate,
  StudyView,
  TellInput,
  TellResponse,
  MAX_RESULTS,
  ResultsRequest,
  ResultsResponse,
  TrialParam,
  ForgetResponse,
  StudyList,
  StudyListQuery,
} from "./schemas.ts";

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const unauthorized = { 401: json(ErrorResponse, "missing or invalid API key (when HPOREC_API_KEY is set)") };
/** Routes with an id in the path refuse a malformed one (characters an id never has) before looking it up. */
const badId = { 400: json(ErrorResponse, "malformed id in the path") };
/** Every route with a JSON body can answer these. */
const errors = {
  400: json(ErrorResponse, "invalid request (the path names the field)"),
  ...unauthorized,
  413: json(ErrorResponse, "body too large"),
  415: json(ErrorResponse, "the body is not sent as application/json"),
};

export function openApiDocument(version: string): object {
  const r = new OpenAPIRegistry();
  r.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  const security = [{ bearer: [] }];
  const body = (schema: z.ZodType) => ({ body: { content: { "application/json": { schema } } } });
  r.registerPath({ method: "post", path: "/v1/recommend", summary: "Recommend a model and hyperparameters for a dataset (card, meta-features or text), with the judge's verdict", security, request: body(RecommendInput), responses: { 200: json(RecommendResponse, "recommendation"), ...errors } });
  r.registerPath({
    method: "post",
    path: "/v1/chat",
    summary: "One chat turn; Accept: text/event-stream streams events meta, delta, result, done",
    security,
    request: body(ChatRequest),
    responses: { 200: { description: "answer", content: { "application/json": { schema: ChatResponse }, "text/event-stream": { schema: z.string() } } }, 404: json(ErrorResponse, "unknown or expired conversation"), ...errors },
  });
  r.registerPath({ method: "get", path: "/v1/chat/{id}", summary: "A conversation's history and state", security, request: { params: IdParam }, responses: { 200: json(ConversationView, "conversation"), ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown or expired") } });
  r.registerPath({ method: "post", path: "/v1/batch", summary: "Start a batch job of recommendations", security, request: body(BatchRequest), responses: { 202: json(BatchStatus.pick({ id: true, status: true, total: true }), "job accepted"), ...errors } });
  r.registerPath({ method: "get", path: "/v1/batch/{id}", summary: "Progress and results of a batch job", security, request: { params: IdParam, query: BatchQuery }, responses: { 200: json(BatchStatus, "job"), ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown job") } });
  r.registerPath({ method: "delete", path: "/v1/batch/{id}", summary: "Cancel a batch job (results so far are kept)", security, request: { params: IdParam }, responses: { 200: json(BatchStatus, "job"), ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown job") } });
  r.registerPath({ method: "get", path: "/v1/studies", summary: "The studies kept by this server, the most recently changed first", security, request: { query: StudyListQuery }, responses: { 200: json(StudyList, "studies"), 400: errors[400], ...unauthorized } });
  r.registerPath({ method: "post", path: "/v1/studies", summary: "Start an ask/tell study for a dataset (same body as /v1/recommend); persisted", security, request: body(StudyCreate), responses: { 201: json(StudyView, "the study"), ...errors } });
  const studyErrors = { ...errors, 404: json(ErrorResponse, "unknown study"), 409: json(ErrorResponse, "the study was created with another pack") };
  r.registerPath({ method: "post", path: "/v1/studies/{id}/ask", summary: "The next n configurations, learned from the results told so far (the first ask is the zero-shot recommendation)", security, request: { params: IdParam, ...body(AskRequest) }, responses: { 200: json(AskResponse, "suggestions, what the study believes and why"), ...studyErrors } });
  r.registerPath({
    method: "post",
    path: "/v1/studies/{id}/tell",
    summary: "Record a result or a failure (oom, diverged); the same trialId or Idempotency-Key header told again counts once",
    security,
    request: { params: IdParam, headers: z.object({ "idempotency-key": z.string().optional() }), ...body(TellInput) },
    responses: {
      201: json(TellResponse, "recorded"),
      200: json(TellResponse, "already recorded (duplicate: true), nothing changed"),
      ...studyErrors,
      409: json(ErrorResponse, "the study was created with another pack, or the trialId was told before with another result (trial_conflict)"),
    },
  });
  r.registerPath({
    method: "post",
    path: "/v1/studies/{id}/results",
    summary: `Record many results at once (up to ${MAX_RESULTS}), each as /tell takes one, in one transaction: a refused one (its place named in the 400) records none`,
    security,
    request: { params: IdParam, ...body(ResultsRequest) },
    responses: {
      201: json(ResultsResponse, "recorded"),
      200: json(ResultsResponse, "every result already recorded (same trialId and result), nothing changed"),
      ...studyErrors,
      409: json(ErrorResponse, "the study was created with another pack, or a trialId was told before with another result (trial_conflict)"),
    },
  });
  r.registerPath({
    method: "delete",
    path: "/v1/studies/{id}/trials/{trialId}",
    summary: "Take back a told result (a value typed wrong, a run told to the wrong study): the study learns as if it was never told",
    security,
    request: { params: TrialParam },
    responses: { 200: json(ForgetResponse, "the trial forgotten"), ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown study or trial"), 409: json(ErrorResponse, "created with another pack") },
  });
  r.registerPath({ method: "get", path: "/v1/studies/{id}", summary: "A study's trials, best so far, current belief and running configurations; a chat conversation's study is here under the conversation's id (ask, tell and forget too)", security, request: { params: IdParam }, responses: { 200: json(StudyView, "study"), ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown study"), 409: json(ErrorResponse, "created with another pack") } });
  r.registerPath({ method: "delete", path: "/v1/studies/{id}", summary: "Delete a study", security, request: { params: IdParam }, responses: { 204: { description: "deleted" }, ...badId, ...unauthorized, 404: json(ErrorResponse, "unknown study") } });
  r.registerPath({ method: "post", path: "/v1/judge", summary: "Judge a recommendation or a list of them", security, request: body(JudgeRequest), responses: { 200: json(JudgeResponse, "verdict(s)"), ...errors } });
  r.registerPath({ method: "get", path: "/v1/explain", summary: "Importance, interactions, good ranges and reduced search space of the loaded pack", security, request: { query: ExplainQuery }, responses: { 200: json(ExplainResponse, "explanations"), 400: errors[400], ...unauthorized } });
  r.registerPath({
    method: "post",
    path: "/v1/chat/completions",
    summary:
      "OpenAI-compatible chat completions (model = pack name); stream: true (or Accept: text/event-stream) streams chat.completion.chunk events. Stateless: the earlier user messages are replayed (at most 100 user messages), so a study told in the conversation (\"I got 71.2 % with that\") goes on as in /v1/chat",
    security,
    request: body(ChatCompletionRequest),
    responses: {
      200: { description: "chat.completion, or a stream of chat.completion.chunk ending with [DONE]", content: { "application/json": { schema: ChatCompletion }, "text/event-stream": { schema: z.string() } } },
      404: json(ErrorResponse, "unknown model (GET /v1/models lists them)"),
      ...errors,
    },
  });
  r.registerPath({ method: "get", path: "/v1/models", summary: "Packs served, as OpenAI models", security, responses: { 200: json(ModelList, "model list"), ...unauthorized } });
  r.registerPath({ method: "get", path: "/health", summary: "200 once the pack is loaded, 503 before", responses: { 200: json(z.object({ status: z.string() }), "ready"), 503: json(z.object({ status: z.string() }), "loading") } });
  r.registerPath({ method: "get", path: "/metrics", summary: "Prometheus metrics", responses: { 200: { description: "text format", content: { "text/plain": { schema: z.string() } } } } });
  return new OpenApiGeneratorV31(r.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "hporec", version, description: "Zero-shot hyperparameter-optimisation recommender" },
  });
}
