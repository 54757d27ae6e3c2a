/**
 * A study: one new dataset (its resolved request: meta-features, constraints, objective), the configurations
 * hporec suggested for it, and the results told so far. Plain data, validated by zod, stored as a JSON file
 * (CLI) or a row of the server's store; `tell` is pure and idempotent by trial id, so a result sent twice
 * (a retried HTTP request, a CSV told again) is never counted twice.
 */
import { z } from "zod";
import { HpValue } from "../metadata/schema.ts";
import { checkConfig, DatasetFeaturesInput, OBJECTIVES, type RequestContext } from "../recommend/request.ts";
import { Constraints } from "../recommend/constraints.ts";
import { ConflictError, InputError } from "../util/errors.ts";
import { ruledOutBy, type FailureKind } from "./learn.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import { defined } from "../util/object.ts";
import { fmt } from "../util/format.ts";
import type { Pack } from "../learner/pack.ts";

export const FAILURES = ["oom", "diverged", "other"] as const satisfies readonly FailureKind[];

export const StudyConfig = z.object({ model: z.string().min(1), hyperparameters: z.record(z.string(), HpValue) });
export type StudyConfig = z.infer<typeof StudyConfig>;

export const Trial = z.object({
  id: z.string(),
  config: StudyConfig,
  /** The suggestion it ran, when it was one. */
  candidateId: z.string().optional(),
  /** The metric in its own units; null for a failed run. */
  value: z.number().nullable(),
  seconds: z.number().nonnegative().nullable().default(null),
  /** Per-epoch metric, when told (kept for the record). */
  curve: z.array(z.number()).optional(),
  failed: z.enum(FAILURES).optional(),
  reason: z.string().optional(),
  toldAt: z.string(),
});
export type Trial = z.infer<typeof Trial>;

export const StudyRequest = z.object({
  dataset: DatasetFeaturesInput,
  constraints: Constraints.optional(),
  objective: z.enum(OBJECTIVES).optional(),
  riskAversion: z.number().optional(),
  prior: z.number().optional(),
  seed: z.int().optional(),
  samples: z.int().optional(),
});
export type StudyRequest = z.infer<typeof StudyRequest>;

/** The pack's metric and the range of its past runs' outcomes, kept so a result told on another scale is caught without the pack. */
export const StudyMetric = z.object({ name: z.string(), pastRange: z.tuple([z.number(), z.number()]) });
export type StudyMetric = z.infer<typeof StudyMetric>;

export const Study = z.object({
  version: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  /** The pack it was created with (its manifest name): suggestions are that pack's candidates. */
  pack: z.string(),
  /** The metric's direction, so results are compared the right way round. */
  direction: z.enum(["max", "min"]),
  /** Absent in studies created before it was recorded: their results are not checked for scale. */
  metric: StudyMetric.optional(),
  request: StudyRequest,
  /** Every configuration suggested, by candidate id, so a result can be told by id. */
  asked: z.array(StudyConfig.extend({ candidateId: z.string() })).default([]),
  trials: z.array(Trial).default([]),
});
export type Study = z.infer<typeof Study>;

/**
 * A configuration as Optuna params, the form `study ask` also gives it in (the `optuna` field, --optuna lines):
 * {model, ...hyperparameters}, so a trial's params are told back as they are.
 */
const FlatConfig = z
  .record(z.string(), HpValue)
  .refine((c) => typeof c.model === "string" && c.model !== "" && !("hyperparameters" in c))
  .transform(({ model, ...hyperparameters }): StudyConfig => ({ model: model as string, hyperparameters }));

/** A result as told: the configuration by suggestion id or in full, a value or a failure. */
export const TellInput = z
  .object({
    trialId: z.string().regex(/^[\w.:-]{1,64}$/, "letters, digits, _ . : - (up to 64)").optional().describe("idempotency key: telling the same trial id again changes nothing"),
    config: z
      .union([z.string().min(1), StudyConfig, FlatConfig], {
        error: 'give a suggested id (e.g. "APL-35"), or the configuration as {"model": "...", "hyperparameters": {"lr": 0.001, ...}} or as Optuna params {"model": "...", "lr": 0.001, ...}',
      })
      .describe("a suggested candidateId, or {model, hyperparameters}, or Optuna params {model, ...hyperparameters} (a suggestion's optuna field)"),
    value: z
      .number({ error: "the metric must be a number, e.g. 71.2 (a run that failed is told with failed: oom, diverged or other)" })
      .refine(Number.isFinite, "must be a finite number")
      .nullable()
      .optional(),
    seconds: z.number().nonnegative().optional(),
    curve: z.array(z.number()).max(10_000).optional(),
    failed: z.enum(FAILURES).optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();
export type TellInput = z.infer<typeof TellInput>;

/** What a study keeps of a resolved request: the dataset's features and how to rank (not the one-off options). */
export function studyRequest(req: RecommendRequest): StudyRequest {
  const d = req.dataset;
  const dataset = { ...(d.name ? { name: d.name } : {}), metaFeatures: d.metaFeatures, ...(d.domain ? { domain: d.domain } : {}), ...(d.modality ? { modality: d.modality } : {}) };
  const options = { constraints: req.constraints, objective: req.objective, riskAversion: req.riskAversion, prior: req.prior, seed: req.seed, samples: req.samples };
  return { dataset, ...defined(options) };
}

/** What a study keeps of its pack: the pack's name, the metric's direction, and the past outcomes' range. */
export type StudyPack = Pick<Study, "pack" | "direction" | "metric">;

export function studyPack(pack: Pick<Pack, "manifest" | "datasets">): StudyPack {
  const values = pack.datasets.flatMap((d) => d.quantiles);
  const { name, direction } = pack.manifest.metric;
  return { pack: pack.manifest.name, direction, ...(values.length ? { metric: { name, pastRange: [Math.min(...values), Math.max(...values)] } } : {}) };
}

export function newStudy(id: string, pack: StudyPack, request: StudyRequest, now = new Date()): Study {
  return { version: 1, id, createdAt: now.toISOString(), ...pack, request, asked: [], trials: [] };
}

/** Records suggestions (each candidate id once), so `tell` can resolve them. */
export function recordAsked(study: Study, configs: Study["asked"]): Study {
  const known = new Set(study.asked.map((a) => a.candidateId));
  return { ...study, asked: [...study.asked, ...configs.filter((c) => !known.has(c.candidateId))] };
}

/**
 * The suggestions asked and not told yet: running on a worker, as Optuna's RUNNING trials. `ask` leaves them out
 * so parallel workers never train the same configuration; telling a result (or a failure) ends one, and asking
 * with includeRunning (`--include-running`) offers them again, for a worker that was lost.
 */
export function runningConfigs(study: Pick<Study, "asked" | "trials">): Study["asked"] {
  const told = new Set(study.trials.map((t) => t.candidateId));
  return study.asked.filter((a) => !told.has(a.candidateId));
}

/**
 * Adds a result; `where` locates the input in error messages. The same trial id told again with the same
 * content is a no-op (`duplicate: true`); with different content it is an error, never a silent overwrite.
 */
export function tell(study: Study, input: TellInput, where = "tell", pack?: RequestContext, now = new Date()): { study: Study; trial: Trial; duplicate: boolean; warnings: string[] } {
  const value = input.value ?? null;
  if (input.failed === undefined && value === null) throw new InputError("a result needs a value, or failed", `${where}.value`, "give the metric, e.g. value 71.2, or failed oom|diverged|other");
  if (input.failed !== undefined && value !== null) throw new InputError(`a failed run has no value (got ${value})`, `${where}.value`, "drop the value, or drop failed");
  // A suggested id is the pack's own configuration; one written out is checked against the pack's space when given.
  const resolved = resolveConfig(study, input.config, `${where}.config`);
  const configWarnings = pack && typeof input.config !== "string" ? checkConfig(resolved.config, pack, `${where}.config`) : [];
  const trial: Trial = {
    id: input.trialId ?? nextTrialId(study),
    config: resolved.config,
    ...(resolved.candidateId ? { candidateId: resolved.candidateId } : {}),
    value,
    seconds: input.seconds ?? null,
    ...(input.curve ? { curve: input.curve } : {}),
    ...(input.failed ? { failed: input.failed } : {}),
    ...(input.reason ? { reason: input.reason } : {}),
    toldAt: now.toISOString(),
  };
  const existing = study.trials.find((t) => t.id === trial.id);
  if (existing) {
    const same = (t: Trial) => JSON.stringify({ ...t, toldAt: undefined });
    if (same(existing) === same(trial)) return { study, trial: existing, duplicate: true, warnings: [] };
    throw new ConflictError("trial_conflict", `trial ${trial.id} was already told with another result`, `${where}.trialId`, "use a new trial id for a new result, or forget the trial first");
  }
  return { study: { ...study, trials: [...study.trials, trial] }, trial, duplicate: false, warnings: [...configWarnings, ...[resolved.note, scaleIssue(study, value)?.text, failureIssue(trial)].filter((w) => w !== undefined)] };
}

/**
 * Tells results in order (each at its own `where`): the trials recorded, the duplicates (a trial id told again with
 * the same result), and each warning with the trial it is about. `skip` drops a result after it is resolved (the
 * CLI's rows of a results CSV told again), counted as a duplicate. Throws at the first refused one, so a caller that
 * keeps the study only on success tells all or none.
 */
export function tellMany(
  study: Study,
  results: readonly { input: TellInput; where: string }[],
  pack?: RequestContext,
  skip: (told: { trial: Trial; input: TellInput }) => boolean = () => false,
): { study: Study; told: Trial[]; duplicates: number; warnings: { trial: Trial; where: string; text: string }[] } {
  const out = { study, told: [] as Trial[], duplicates: 0, warnings: [] as { trial: Trial; where: string; text: string }[] };
  for (const { input, where } of results) {
    const r = tell(out.study, input, where, pack);
    if (r.duplicate || skip({ trial: r.trial, input })) {
      out.duplicates++;
      continue;
    }
    out.study = r.study;
    out.told.push(r.trial);
    out.warnings.push(...r.warnings.map((text) => ({ trial: r.trial, where, text })));
  }
  return out;
}

/** What a failure of each kind is judged by: it rules out the same model at that value and above. */
const FAILED_AT: Partial<Record<FailureKind, string>> = { oom: "batch size", diverged: "learning rate" };

/** Says when an oom or diverged run is told without the value it rules out by, so it rules out nothing else. */
function failureIssue(t: Trial): string | undefined {
  const at = t.failed && FAILED_AT[t.failed];
  if (!at || ruledOutBy(t.failed, t.config.hyperparameters)) return undefined;
  return `failed ${t.failed} told without its ${at}: it rules out no other configuration (with one, the same model at that ${at} or larger); tell the configuration in full, or by its suggested id`;
}

/** t1, t2, …: the first free one from the count on (once a trial is forgotten, the count alone may name one still there). */
export function nextTrialId(study: Pick<Study, "trials">): string {
  const taken = new Set(study.trials.map((t) => t.id));
  let k = study.trials.length + 1;
  while (taken.has(`t${k}`)) k++;
  return `t${k}`;
}

/** Takes a told result back (a value typed wrong, a run told to the wrong study); the trial id becomes free. */
export function forget(study: Study, trialId: string, where = "trial"): { study: Study; trial: Trial } {
  const trial = study.trials.find((t) => t.id === trialId);
  if (!trial) {
    const ids = study.trials.map((t) => t.id);
    throw new InputError(`no trial ${JSON.stringify(trialId)} in this study`, where, ids.length ? `one of: ${ids.slice(-10).join(", ")}` : "nothing has been told yet");
  }
  return { study: { ...study, trials: study.trials.filter((t) => t !== trial) }, trial };
}

/** What is off about a told value's scale: a fraction of a percentage metric, the reverse, or outside every past run. */
export interface ScaleIssue {
  kind: "fraction" | "percentage" | "outside";
  /** The value on the past runs' scale, for a fraction or a percentage. */
  rescaled?: number;
  text: string;
}

/**
 * Says when a told value looks like another scale than the past runs' (a fraction for a percentage, or the
 * reverse) or lies outside every past run's outcome. Said, not refused: a diverged run can really score 0.7 %.
 */
export function scaleIssue(study: Pick<Study, "metric" | "direction">, value: number | null): ScaleIssue | undefined {
  if (!study.metric || value === null) return undefined;
  const { name, pastRange: [lo, hi] } = study.metric;
  const past = `${name} in the past runs goes from ${fmt(lo)} to ${fmt(hi)}`;
  // Only a maximised metric on a 0–100 or 0–1 scale (accuracy, AUC) is read as a percentage or a fraction
  // (with room for float noise: Quick-Tune's best accuracy is 100.0000004).
  const percent = study.direction === "max" && hi > 10 && hi <= 100.5;
  const fraction = study.direction === "max" && hi <= 1.005;
  if (percent && value > 0 && value <= 1) {
    const rescaled = Number((value * 100).toPrecision(12));
    return { kind: "fraction", rescaled, text: `${fmt(value)} looks like a fraction: ${past}, so ${fmt(rescaled)} % is told as ${fmt(rescaled)}, not ${fmt(value)}; this result is kept as ${fmt(value)} (if the run really scored ${fmt(value)}, nothing is wrong)` };
  }
  if (fraction && value > 1 && value <= 100) {
    const rescaled = Number((value / 100).toPrecision(12));
    return { kind: "percentage", rescaled, text: `${fmt(value)} looks like a percentage: ${past}, so ${fmt(value)} % is told as ${fmt(rescaled)}, not ${fmt(value)}; this result is kept as ${fmt(value)}` };
  }
  if (value < lo || value > hi) return { kind: "outside", text: `${fmt(value)} is outside every past run: ${past}; check it is the same metric in the same units` };
  return undefined;
}

/**
 * The configuration told and the suggestion it ran: by id; written out in full, the suggestion with the same values;
 * written out in part (a script that logs only the hyperparameters it varied), the one running suggestion of that
 * model that agrees on every value given, completed from it and said in `note`.
 */
function resolveConfig(study: Study, config: TellInput["config"], where: string): { config: StudyConfig; candidateId?: string; note?: string } {
  if (typeof config !== "string") {
    const asked = study.asked.find((a) => a.model === config.model && sameValues(a.hyperparameters, config.hyperparameters));
    if (asked) return asSuggested(asked);
    const given = Object.keys(config.hyperparameters);
    const partOf = runningConfigs(study).filter((a) => a.model === config.model && given.every((k) => k in a.hyperparameters && sameValue(a.hyperparameters[k], config.hyperparameters[k])));
    if (partOf.length === 1) {
      const [a] = partOf;
      const rest = Object.keys(a.hyperparameters).filter((k) => !given.includes(k));
      return { ...asSuggested(a), note: `told as suggestion ${a.candidateId}, the one running ${a.model} with these values; its other hyperparameters (${rest.join(", ")}) taken as suggested (if you ran it with other values, tell them too)` };
    }
    if (partOf.length > 1) return { config, note: `the values given match ${partOf.length} running suggestions (${partOf.map((a) => a.candidateId).join(", ")}): told as a configuration of its own; tell it by its suggested id, or with all its hyperparameters, to end that suggestion` };
    return { config };
  }
  const asked = study.asked.find((a) => a.candidateId === config);
  if (!asked) {
    const recent = study.asked.slice(-5).map((a) => a.candidateId);
    throw new InputError(`no suggestion with id ${JSON.stringify(config)} in this study`, where, recent.length ? `one of the suggested ids (latest: ${recent.join(", ")}), or the configuration as {model, hyperparameters}` : "ask first, or give the configuration as {model, hyperparameters}");
  }
  return asSuggested(asked);
}

/** A suggestion as the configuration told: its own values (one told with a float32's rounding is stored as suggested). */
const asSuggested = (a: Study["asked"][number]) => ({ config: { model: a.model, hyperparameters: a.hyperparameters }, candidateId: a.candidateId });

/** Values equal as told: numbers up to rounding in a round trip through a float32 or a printed decimal. */
const sameValue = (a: HpValue | undefined, b: HpValue | undefined) => (typeof a === "number" && typeof b === "number" ? Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) : (a ?? null) === (b ?? null));

const sameValues = (a: Record<string, HpValue>, b: Record<string, HpValue>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => sameValue(a[k], b[k]));
};

/** The best successful trial (in the metric's direction), if any. */
export function bestTrial(study: Study): Trial | undefined {
  const sign = study.direction === "max" ? 1 : -1;
  return study.trials.filter((t) => t.value !== null).sort((a, b) => sign * (b.value! - a.value!))[0];
}
