/** Request and response bodies of the HTTP API: validated here and published in /openapi.json. */
import { z } from "zod";
import { DatasetCard } from "../metadata/card.ts";
import { Driver, EvidenceRef, Recommendation, RecommendedConfig } from "../recommend/schema.ts";
import { JudgeVerdict } from "../judge/verdict.ts";
import { HpValue } from "../metadata/schema.ts";
import { Conversation } from "../chat/conversation.ts";
import { ReducedSpace } from "../explain/reduced-space.ts";
import { PackManifest } from "../learner/pack.ts";
import { ImportanceForDataset } from "../explain/games/importance-section.ts";
import type { Importance, Interaction } from "../explain/importance.ts";
import type { GoodRange, ValueStat } from "../explain/good-ranges.ts";

/** The codes a client can branch on (errors.ts, api-error.ts); the message says what to fix, the path where. */
const ERROR_CODES = [
  "invalid_request: the body or query does not have the request's shape (a field missing, of the wrong type, unknown, or too deeply nested)",
  "invalid_input: well-formed, but refused by the pack or the rules (an unknown model or hyperparameter, a value no past dataset allows, fewer samples than classes)",
  "malformed_json: the body is not JSON",
  "unauthorized: a missing or wrong API key",
  "not_found, study_not_found, trial_not_found, job_not_found, conversation_not_found, model_not_found: no such route or resource",
  "pack_mismatch, trial_conflict: the study was created with another pack, or a trial id was told before with another result",
  "payload_too_large, unsupported_media_type, unsupported_encoding, bad_request: the body's size, type or encoding",
  "not_ready, web_app_not_built: the server is starting, or was installed without the web app",
  "internal_error: a bug; the message names the request id to find in the server log",
];
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string().describe(`what went wrong, one of:\n- ${ERROR_CODES.join("\n- ")}`),
    message: z.string().describe("what was wrong, with the value sent and the fix"),
    path: z.string().optional().describe("where: body.card.samples, query.domain, headers.content-type, path"),
  }),
});

export { DatasetFeaturesInput, RecommendInput } from "../recommend/request.ts";
import { RecommendInput } from "../recommend/request.ts";
export { DatasetCard };

export const RecommendResponse = z.object({
  recommendation: Recommendation,
  judge: JudgeVerdict.describe("the judge's report on this recommendation"),
  assumptions: z.array(z.string()),
});

export const ChatRequest = z
  .object({ conversationId: z.string().regex(/^[\w-]{1,64}$/).optional(), message: z.string().min(1).max(8000) })
  .strict();

export const ChatResponse = z.object({
  conversationId: z.string(),
  intent: z.string(),
  reply: z.string(),
  recommendation: Recommendation.optional(),
  source: z.enum(["deterministic", "llm"]).describe("who wrote the reply: the rules, or the LLM (checked by the judge)"),
  data: z.unknown().optional().describe("what backs the reply, shaped by the intent (assumptions, drivers, a study's suggestions...)"),
  warnings: z.array(z.string()).optional().describe("why the LLM's wording was not used, when it failed the judge"),
});

/** A conversation as stored: the card holds the dataset facts told so far, so any of them may be missing. */
export const ConversationView = Conversation.extend({ card: z.object(DatasetCard.shape).partial() });

export const IdParam = z.object({ id: z.string().regex(/^[\w-]{1,64}$/, "not a valid id") });

export const BatchRequest = z.object({ items: z.array(RecommendInput).min(1).max(10_000) }).strict();

export const BatchQuery = z
  .object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(0).max(10_000).default(10_000) })
  .strict();

export const BatchItemResult = z.object({
  index: z.int(),
  ok: z.boolean(),
  recommendation: Recommendation.optional(),
  judge: JudgeVerdict.optional(),
  error: z.object({ code: z.string(), message: z.string(), path: z.string().optional() }).optional(),
});

export const BatchStatus = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "done", "cancelled"]),
  total: z.int(),
  completed: z.int(),
  failed: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  results: z.array(BatchItemResult),
});

export const JudgeResponse = z.union([
  z.object({ verdict: JudgeVerdict }).describe("for a recommendation"),
  z.object({ verdicts: z.array(JudgeVerdict), summary: z.object({ total: z.int(), passed: z.int() }) }).describe("for a list, in its order"),
]);

export const JudgeRequest = z
  .object({ recommendation: Recommendation.optional(), recommendations: z.array(Recommendation).min(1).max(1000).optional() })
  .strict()
  .refine((b) => (b.recommendation === undefined) !== (b.recommendations === undefined), { message: "give recommendation or recommendations", path: ["recommendation"] });

export const ExplainQuery = z
  .object({
    top: z.coerce.number().int().min(1).max(1000).default(20),
    domain: z.string().optional(),
    /** A past dataset of the pack: adds its tunability game ("importance for this dataset"). */
    datasetId: z.string().optional(),
  })
  .strict();

const ValueStatSchema = z.object({
  low: z.number().optional(),
  high: z.number().optional(),
  category: z.string().optional(),
  n: z.number(),
  meanShap: z.number(),
  positiveShare: z.number(),
}) satisfies z.ZodType<ValueStat>;
const GoodRangeSchema = z.object({
  name: z.string(),
  type: z.enum(["numeric", "categorical"]),
  log: z.boolean().optional(),
  stats: z.array(ValueStatSchema),
  good: z.array(ValueStatSchema).describe("intervals or categories where the contribution is positive"),
}) satisfies z.ZodType<GoodRange>;
export const ExplainResponse = z.object({
  pack: PackManifest.pick({ name: true, target: true, metric: true }),
  rowsExplained: z.int(),
  importance: z.array(z.object({ name: z.string(), kind: z.enum(["meta", "domain", "model", "hp"]), meanAbsShap: z.number(), share: z.number() }) satisfies z.ZodType<Importance>),
  interactions: z.array(z.object({ a: z.string(), b: z.string(), meanAbs: z.number() }) satisfies z.ZodType<Interaction>),
  goodRanges: z.array(GoodRangeSchema),
  goodRangesScope: z.string().describe("the domain asked for, or overall"),
  reducedSpace: ReducedSpace,
  importanceForDataset: ImportanceForDataset.optional().describe("with datasetId: that past dataset's tunability game"),
});

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(z.object({ role: z.enum(["system", "user", "assistant", "developer", "tool"]), content: z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).loose()), z.null()]) }).loose())
      .min(1),
    stream: z.boolean().optional(),
  })
  .loose();

/** The OpenAI chat.completion object, with the fields hporec fills. */
export const ChatCompletion = z.object({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.int(),
      message: z.object({ role: z.literal("assistant"), content: z.string(), refusal: z.null() }),
      finish_reason: z.literal("stop"),
      logprobs: z.null(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int(), total_tokens: z.int() }).describe("estimated at ~4 characters per token"),
});

export const ModelList = z.object({
  object: z.literal("list"),
  data: z.array(z.object({ id: z.string().describe("a pack name, the `model` of /v1/chat/completions"), object: z.literal("model"), created: z.int(), owned_by: z.string() })),
});

export { Study, TellInput } from "../study/study.ts";
import { Study, TellInput, Trial } from "../study/study.ts";

/** A new study: the dataset and ranking options as for /v1/recommend. */
export const StudyCreate = RecommendInput;

export const AskRequest = z
  .object({
    n: z.int().min(1).max(100).default(1).describe("configurations at once (diverse, for parallel workers)"),
    includeRunning: z.boolean().default(false).describe("offer again configurations asked and not told yet (a lost worker's run); by default they are running and left out"),
  })
  .strict();

export const StudySuggestion = RecommendedConfig.extend({
  candidateId: z.string().describe("tell the result with this id as config"),
  zeroShotRank: z.int().describe("place in the zero-shot ranking (0 = what /v1/recommend answers)"),
  expectedGain: z.number().nullable().describe("predicted metric minus the best so far (metric units, >= 0)"),
  drivers: z.array(Driver).describe("what drives its prediction on this dataset (SHAP), as in a recommendation"),
  evidence: z.array(EvidenceRef).describe("closest past datasets, model family and drivers it rests on"),
  optuna: z.record(z.string(), HpValue).describe("the same configuration as Optuna enqueue_trial params ({model, ...hyperparameters})"),
});

export const StudyBelief = z.object({
  trials: z.int(),
  pairs: z.int(),
  trust: z.number(),
  zeroShotWeight: z.number(),
  similarDatasets: z.array(z.object({ id: z.string(), weight: z.number(), concordant: z.int(), discordant: z.int() })),
  best: Trial.nullable().describe("the best result told so far"),
  failures: z.int(),
  explanation: z.string(),
});

export const AskResponse = z.object({ studyId: z.string(), suggestions: z.array(StudySuggestion), belief: StudyBelief, warnings: z.array(z.string()) });
export const StudyView = z.object({
  study: Study,
  belief: StudyBelief,
  running: z.array(Study.shape.asked.unwrap().element).describe("configurations asked and not told yet: running on a worker, left out of the next ask (tell a result or failure to end one)"),
});
export const TellResponse = z.object({
  trial: Trial,
  duplicate: z.boolean().describe("true: this trial id was already told; nothing changed"),
  trials: z.int(),
  warnings: z.array(z.string()).describe("the value looks like another scale than the past runs' (a fraction for a percentage) or lies outside them, a configuration told in part, or an oom/diverged run told without its batch size/learning rate (it rules out nothing else); recorded all the same: DELETE /v1/studies/{id}/trials/{trial.id} takes it back"),
});
/** Many results at once (a worker script catching up, results from a spreadsheet): told in one transaction. */
export const MAX_RESULTS = 1000;
export const ResultsRequest = z
  .object({ results: z.array(TellInput).min(1).max(MAX_RESULTS).describe("results as POST /v1/studies/{id}/tell takes one; a trialId told before with the same result counts once") })
  .strict();
export const ResultsResponse = z.object({
  told: z.array(Trial).describe("the trials recorded"),
  duplicates: z.int().describe("results whose trialId was already told with the same result: nothing changed"),
  trials: z.int(),
  warnings: z.array(z.string()).describe("as POST /v1/studies/{id}/tell's, each prefixed with its result's place (results.3: …)"),
});
export const StudyListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50).describe("at most this many, the most recently changed first") }).strict();
export const StudyList = z.object({
  studies: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional().describe("the dataset's name, when it was given one"),
      pack: z.string(),
      direction: z.enum(["max", "min"]),
      createdAt: z.string(),
      updatedAt: z.string(),
      trials: z.int(),
      running: z.int().describe("configurations asked and not told yet"),
      best: z.number().nullable().describe("the best value told so far (null before any)"),
    }),
  ),
});
export const TrialParam = IdParam.extend({ trialId: TellInput.shape.trialId.unwrap() });
export const ForgetResponse = z.object({ forgotten: Trial, trials: z.int().describe("trials left in the study") });
