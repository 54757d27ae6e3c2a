/**
 * hporec as a library: load a pack, build a request the way the CLI and the server do, recommend, judge.
 *
 *   import { loadEngine, buildRequest, packContext, ruleJudge } from "hporec";
 *   const { recommender } = await loadEngine();                 // the built-in pack, or loadEngine("path/to/pack")
 *   const { req } = buildRequest({ card: { samples: 3000, classes: 7, imageSize: 224, channels: 3 } }, packContext(recommender.pack));
 *   const answer = await recommender.recommend(req);
 *
 * The HTTP app is `hporec/server` (createApp, startServer, openSqliteStore).
 */
export { loadEngine, type Engine } from "./recommend/engine.ts";
export { loadRecommender } from "./recommend/load-recommender.ts";
export { Recommender } from "./recommend/recommender.ts";
export { buildRequest, checkRequest, packContext, RecommendInput, type BuiltRequest, type Objective, type RecommendRequest, type RequestContext } from "./recommend/request.ts";
export { DEFAULT_NEIGHBOURS, type SimilarityFinder } from "./recommend/neighbours.ts";
export { DEFAULT_RISK_AVERSION } from "./recommend/scoring.ts";
export type { ChoiceWriter } from "./recommend/writing.ts";
export { Recommendation, RecommendedConfig, Alternative, Predicted, type EvidenceRef } from "./recommend/schema.ts";
export { Constraints } from "./recommend/constraints.ts";
export { llmWriter } from "./recommend/llm-writer.ts";
export { runBatch, readBatchFile, type BatchLine, type BatchSummary } from "./recommend/batch.ts";
export { ruleJudge, type JudgeContext } from "./judge/rule-judge.ts";
export { judgeRecommendation } from "./judge/judge.ts";
export { JudgeVerdict } from "./judge/verdict.ts";
export { ChatEngine, type ChatReply } from "./chat/engine.ts";
export { newConversation, Conversation } from "./chat/conversation.ts";
export { loadPack, type Pack } from "./learner/pack.ts";
export { DatasetCard, parseCard } from "./metadata/card.ts";
export { describeDataset } from "./metadata/describe/index.ts";
export { loadMetaDataset } from "./metadata/load.ts";
export { SearchSpace, MetaDataset } from "./metadata/schema.ts";
export { ReducedSpace } from "./explain/reduced-space.ts";
export { createJsonGenerator, type LlmFlags } from "./llm/llm-config.ts";
export { env, ENV_VARS, type HporecEnv } from "./config.ts";
export { DEFAULT_PACK, VERSION } from "./package-info.ts";
export { InputError } from "./util/errors.ts";
export type { Progress, ProgressFactory } from "./util/progress.ts";
