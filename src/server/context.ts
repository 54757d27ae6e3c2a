/** What every route needs, built once the pack is loaded. */
import type { Logger } from "pino";
import type { Engine } from "../recommend/engine.ts";
import type { ChatEngine } from "../chat/engine.ts";
import type { LlmOptions } from "../chat/llm.ts";
import type { Conversations } from "./conversations.ts";
import type { JobRunner } from "./jobs/runner.ts";
import type { Metrics } from "./metrics.ts";
import type { RecommendCache } from "./recommend-input.ts";
import type { RecommendPool } from "./workers/recommend-pool.ts";

export interface AppOptions {
  /** Conversations and batch jobs live in this folder's state.sqlite, unless a store is given to createApp. */
  stateDir?: string;
  /** Bearer key required on /v1 when set. */
  apiKey?: string;
  /** Allowed CORS origins; none = no CORS headers. */
  corsOrigins?: string[];
  /** JSON body size limit (default 1mb). */
  bodyLimit?: string;
  /** Candidates per recommendation (default 2,000). */
  samples?: number;
  /** Conversations expire after this long without a message (default 7 days). */
  conversationTtlMs?: number;
  llm?: LlmOptions;
  /** Folder of the built web app served at / (default: the package's dist/web); false = no web app. */
  webDir?: string | false;
  logger: Logger;
}

export interface Services {
  engine: Engine;
  /** Workers computing recommendations, when the server runs with them. */
  pool?: RecommendPool;
  /** Engines by OpenAI model name (the pack's name, plus "hporec" for the default). */
  engines: Map<string, Engine>;
  chat: ChatEngine;
  chatFor: (model: string) => ChatEngine | undefined;
  conversations: Conversations;
  jobs: JobRunner;
  metrics: Metrics;
  cache: RecommendCache;
  options: AppOptions;
}
