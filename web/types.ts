/** The API's shapes, as the server's schemas define them (types only: nothing of zod reaches the page). */
export type { Recommendation, Alternative, RecommendedConfig } from "../src/recommend/schema.ts";
export type { JudgeVerdict } from "../src/judge/verdict.ts";
import type { Recommendation } from "../src/recommend/schema.ts";
import type { JudgeVerdict } from "../src/judge/verdict.ts";

/** POST /v1/recommend */
export interface RecommendOutcome {
  recommendation: Recommendation;
  judge: JudgeVerdict;
  assumptions: string[];
}

/** The `result` event of POST /v1/chat. */
export interface ChatResult {
  conversationId: string;
  intent: string;
  reply: string;
  source: string;
  recommendation?: Recommendation;
  data?: { assumptions?: string[] } & Record<string, unknown>;
  warnings?: string[];
}

export interface BatchItemResult {
  index: number;
  ok: boolean;
  recommendation?: Recommendation;
  judge?: JudgeVerdict;
  error?: { code: string; message: string; path?: string };
}

export interface BatchStatus {
  id: string;
  status: "queued" | "running" | "done" | "cancelled";
  total: number;
  completed: number;
  failed: number;
  results: BatchItemResult[];
}

export type { Study, Trial } from "../src/study/study.ts";
import type { Study } from "../src/study/study.ts";
import type { StudyAnswer, StudyBelief } from "../src/study/session.ts";

/** GET /v1/studies/{id} (and POST /v1/studies, with 201). */
export interface StudyState {
  study: Study;
  belief: StudyBelief;
  /** Asked and not told yet (the server's runningConfigs). */
  running: Study["asked"];
}

/** POST /v1/studies/{id}/ask */
export type AskAnswer = StudyAnswer;

/** GET /v1/studies: one entry per study, the most recently changed first. */
export type StudySummary = z.infer<typeof StudyList>["studies"][number];
import type { z } from "zod";
import type { StudyList } from "../src/server/schemas.ts";
