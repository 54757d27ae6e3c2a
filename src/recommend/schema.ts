/**
 * The recommendation: one zod schema for the CLI's --json, the HTTP API (and its OpenAPI document) and the
 * judge. The LLM's grammar is narrower on purpose: it only chooses among candidate and evidence ids.
 */
import { z } from "zod";
import { HpValue, MetaFeatures } from "../metadata/schema.ts";
import { ReducedSpace } from "../explain/reduced-space.ts";
import { Constraints } from "./constraints.ts";
import { ImportanceForDataset } from "../explain/games/importance-section.ts";
import { JudgeVerdict } from "../judge/verdict.ts";
import { TransferRecord } from "./calibration.ts";

export const Predicted = z.object({
  /** Meta-learner score in its target's units (rank percentile in [0,1] for rank packs), ensemble mean. */
  score: z.number(),
  /** Ensemble spread (standard deviation across seeds). */
  spread: z.number(),
  /** Expected metric (e.g. top-1 accuracy %) read off similar datasets at the predicted rank, with an interval. */
  metric: z.number(),
  interval: z.tuple([z.number(), z.number()]),
  /** Predicted total training seconds; null when unknown (the pack has no training-time data). */
  seconds: z.number().nullable(),
  /**
   * Retrieval prior in [-0.5, 0.5]: how the nearest runs on the similar datasets ranked there, centred (0 = no
   * evidence either way). The ranking score is score - spread + weight x prior.
   */
  prior: z.number().optional(),
});
export type Predicted = z.infer<typeof Predicted>;

export const RecommendedConfig = z.object({
  candidateId: z.string(),
  model: z.string(),
  /** Every hyperparameter of the search space that applies to the model; null where inactive. */
  hyperparameters: z.record(z.string(), HpValue),
  predicted: Predicted,
  origin: z.string(),
});
export type RecommendedConfig = z.infer<typeof RecommendedConfig>;

/** Reason given to the cheapest alternative within 1 point of the best prediction. */
export const CHEAPEST_REASON = "cheapest within 1 point of the best prediction";

export const Alternative = RecommendedConfig.extend({
  /** Why it is offered: "runner-up", "cheapest within 1 point", "other model". */
  reason: z.string(),
});
export type Alternative = z.infer<typeof Alternative>;

/** A SHAP contribution of one hyperparameter (or the model) to a configuration's prediction on the dataset. */
export const Driver = z.object({
  name: z.string(),
  value: z.string(),
  contribution: z.number(),
  /** When its effect in the past runs is how long they trained, not the value itself (explain/training-length.ts). */
  caveat: z.string().optional(),
});

export const EvidenceRef = z.object({ id: z.string(), kind: z.string(), summary: z.string() });
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/** How the LLM writer answered (or why it could not): model, prompt version, tokens, time. */
export const LlmMeta = z.object({
  model: z.string(),
  prompt: z.string(),
  tokens: z.object({ prompt: z.number(), completion: z.number() }),
  ms: z.number(),
  tokensPerSecond: z.number(),
  attempts: z.number().int(),
  error: z.string().optional(),
});
export type LlmMeta = z.infer<typeof LlmMeta>;

export const Recommendation = z.object({
  dataset: z.object({
    name: z.string().optional(),
    metaFeatures: MetaFeatures,
    domain: z.string().optional(),
    modality: z.string().optional(),
  }),
  recommendation: RecommendedConfig,
  alternatives: z.array(Alternative).min(1),
  metric: z.object({ name: z.string(), direction: z.enum(["max", "min"]) }),
  similarDatasets: z.array(z.object({ id: z.string(), similarity: z.number() })),
  /** The hyperparameters that drive this choice (SHAP for the recommended configuration on this dataset). */
  drivers: z.array(Driver),
  reducedSpace: ReducedSpace,
  constraints: Constraints,
  constraintsStated: z.array(z.string()),
  /** false when a budget was given and the pick is not known to fit it (the warnings say why); absent otherwise. */
  budgetMet: z.literal(false).optional(),
  evidence: z.array(EvidenceRef),
  justification: z.string(),
  source: z.enum(["deterministic", "llm"]),
  objective: z.enum(["accuracy", "balanced", "cost"]),
  candidatesEvaluated: z.number().int(),
  pack: z.object({ name: z.string(), target: z.string() }),
  warnings: z.array(z.string()),
  /**
   * What of the dataset lies outside what the pack learnt from: meta-feature names (n_samples, image_size, ...),
   * "domain" or "modality" when never seen; empty inside the past range. Each has its warning in words too. Picks
   * outside have been much less reliable (docs/eval-experiments.md). Answers made before the field read as [].
   */
  extrapolation: z.array(z.string()).default([]),
  /**
   * How this pack's picks did on past datasets held out of its training (cross-validation when it was built):
   * how many were acceptable (regret <= 0.3), their mean normalised score, and the level of the stated range
   * (`predicted.interval`), which is calibrated on the same picks. Absent for packs built without it. For a dataset
   * smaller than every past one, `smallerThanPast` gives how picks did on held-out datasets that small, when the
   * pack was built with such a record.
   */
  trackRecord: z
    .object({ level: z.number(), datasets: z.number().int(), acceptable: z.number().int(), meanScore: z.number(), smallerThanPast: TransferRecord.optional() })
    .optional(),
  /** Tunability of the top hyperparameters on this dataset; present when the request asked for it. */
  importanceForDataset: ImportanceForDataset.optional(),
  llm: LlmMeta.optional(),
  /** The judge's verdict, attached by the CLI and the server. */
  verdict: JudgeVerdict.optional(),
});
export type Recommendation = z.infer<typeof Recommendation>;
