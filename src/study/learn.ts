/**
 * How a study learns from the results it is told (a ranking-weighted ensemble, after RGPE, Feurer et al. 2018):
 *
 *   - Experts: the zero-shot model (the meta-learner on this dataset's card) and every past dataset, whose
 *     "prediction" for a configuration is the percentile the nearest run of the same model reached there.
 *   - Weights: each pair of told results that an expert orders correctly multiplies its weight by q/(1−q), each
 *     pair it orders wrongly divides it (Bayesian model averaging with pairwise noise 1−q). Past datasets that
 *     rank the user's results as they really came out take over from the meta-features.
 *   - Acquisition, "blend": with P comparable pairs, the score is (1−α)·zero-shot + α·ensemble, α = P / (P + P₀):
 *     with no trials (or one) the answer is exactly the zero-shot ranking. "improvement": the zero-shot ranking (or
 *     the blend, beforeLead) until a past dataset outweighs the zero-shot model (it orders the told results better)
 *     and, by default, a told result has fallen short of its predicted metric or failed (leadAfterShortfall: while
 *     the results come out as predicted, the meta-features' model is right about this dataset), then
 *     Σ_e w_e · (max(0, p_e(c) − max_told p_e) + k · p_e(c)) over the experts' percentiles p_e — what each
 *     weighted expert expects a configuration to improve on the best it sees among the results told (as in
 *     two-stage transfer surrogates, Wistuba et al. 2016), plus k times its plain score. Where the meta-features'
 *     model ranks the user's results right, the study keeps following it; where it does not, the past datasets
 *     that do decide where to look next, and one that knows better configurations elsewhere can send it there.
 *   - Local model (weight `local`, off by default): a kernel average of the told results near each candidate (same
 *     model, standardised hyperparameter distance), a failure counting as the worst result.
 *   - Failures: an out-of-memory run rules out its model at that batch size and larger, and the models that need
 *     more memory at every batch size (more parameters and at least its input resolution, model-zoo.ts); a
 *     diverged run rules out its model at that learning rate and larger.
 *   - Told configurations are never proposed again; several at once are chosen greedily, each penalised by its
 *     similarity to those already chosen (diverse, not near-copies).
 *   - Running configurations (asked, not told yet: another worker trains them) are not proposed again either, and
 *     repel as if chosen in this ask: asking one at a time while they run gives what one ask for all would.
 */
import { z } from "zod";
import type { Configuration } from "../learner/features.ts";
import type { Candidate } from "../recommend/candidates.ts";
import { MODEL_ZOO } from "../metadata/model-zoo.ts";
import { rankPercentiles } from "../util/stats.ts";
import type { ConfigGeometry, Point } from "./geometry.ts";

export type FailureKind = "oom" | "diverged" | "other";

/** Scores configurations, higher = expected better (only the order matters). */
export interface Expert {
  id: string;
  score(configs: readonly Configuration[]): Float64Array;
}

/** A told result: `value` oriented higher = better, null for a failure. */
export interface Observation {
  config: Configuration;
  candidateId?: string;
  value: number | null;
  failure?: FailureKind;
}

export interface StudyModel {
  /** The candidates, in the zero-shot order (best first). */
  pool: readonly Candidate[];
  zeroShot: Expert;
  /** One per past dataset. */
  experts: readonly Expert[];
  geometry: ConfigGeometry;
  /**
   * Each pool candidate's predicted metric, oriented as told values (higher = better). A told result below its
   * prediction fell short of it (leadAfterShortfall). Without it, every result counts as falling short.
   */
  predicted?: Float64Array;
}

/** Predicted metrics (in the metric's units, as scored) oriented as the learner reads values: higher = better. */
export function orientedPredictions(scored: readonly { metric: number }[], direction: "max" | "min"): Float64Array {
  return Float64Array.from(scored, (s) => (direction === "max" ? s.metric : -s.metric));
}

export const Acquisition = z.enum(["blend", "improvement"]);
export type Acquisition = z.infer<typeof Acquisition>;

/** The study's learning settings (a zod schema: evaluation results that carry them are read back by `hporec compare`). */
export const LearnSettings = z.object({
  /** q: how often an expert is assumed to order a pair of results correctly. */
  agreement: z.number(),
  /** Prior weight of the zero-shot model in the ensemble (the past datasets share the rest). */
  zeroShotPrior: z.number(),
  /** P₀: comparable pairs at which the ensemble counts as much as the zero-shot ranking. */
  pairsToTrust: z.number(),
  /** Weight of the local model (told results near a candidate). */
  local: z.number(),
  /** Kernel bandwidth in standardised squared distance (geometry.ts). */
  bandwidth: z.number(),
  /** Penalty for similarity to a configuration already chosen (in the same ask) or told. */
  diversity: z.number(),
  /** Whether told configurations also repel suggestions (else only those chosen in the same ask). */
  avoidTold: z.boolean(),
  /**
   * Evidence is (concordant − discordant) / pairs^temper: 0 is plain Bayesian averaging (overconfident, pairs of
   * one study are not independent), 0.5 lets it grow with the square root of the pairs.
   */
  temper: z.number(),
  /** How the next configuration is chosen once results are told (see the top of this file). */
  acquisition: Acquisition,
  /** k of the "improvement" acquisition: weight of the experts' plain score against the improvement. */
  exploit: z.number(),
  /** "improvement": how many times the zero-shot model's weight the leading past dataset must reach to lead. */
  leadMargin: z.number(),
  /** "improvement": before a past dataset leads, the blend (as the "blend" acquisition) or the zero-shot ranking. */
  beforeLead: z.enum(["blend", "zero-shot"]),
  /**
   * "improvement": a past dataset may lead only once a told result fell short of its prediction or failed.
   * Evaluations recorded before this setting existed ran without it (the default when reading them back).
   */
  leadAfterShortfall: z.boolean().default(false),
});
export type LearnSettings = z.infer<typeof LearnSettings>;

/**
 * The zero-shot order is kept until a result falls short of its prediction and a past dataset orders the results
 * better (thirteenth session, docs/eval-experiments.md: before, the blend and a local model of the told results
 * departed from it from the first pair on, which lost on Quick-Tune and MedQuickTune).
 */
export const DEFAULT_LEARN: LearnSettings = { agreement: 0.7, zeroShotPrior: 0.5, pairsToTrust: 1, local: 0, bandwidth: 0.25, diversity: 0.3, avoidTold: false, temper: 0, acquisition: "improvement", exploit: 1, leadMargin: 1, beforeLead: "zero-shot", leadAfterShortfall: true };

/** Id of the zero-shot model among the weights. */
export const ZERO_SHOT = "zero-shot";

export interface ExpertWeight {
  id: string;
  weight: number;
  /** Pairs of told results it orders correctly / wrongly. */
  concordant: number;
  discordant: number;
}

export interface Belief {
  /** Pairs of told results with different values. */
  pairs: number;
  /** α: how much the ensemble counts against the zero-shot ranking (0 while the zero-shot order is kept, beforeLead). */
  trust: number;
  /** Posterior weights, highest first (the zero-shot model included, id ZERO_SHOT). */
  weights: ExpertWeight[];
  /** Whether a past-dataset expert outweighs the zero-shot model by the lead margin (it orders the told results better). */
  pastAhead: boolean;
  /** Whether it leads: it is ahead, and a result fell short if the settings ask for that (improvement with leadAfterShortfall). */
  pastLeads: boolean;
  /** The first told result that fell short of its predicted metric or failed (its index among the trials), or -1. */
  shortfall: number;
}

export interface Suggestion {
  candidate: Candidate;
  /** Position in the zero-shot ranking (0 = the zero-shot pick). */
  zeroShotRank: number;
  score: number;
}

/** Hyperparameters a failure of each kind rules out at its value and above, recognised by name. */
const RULED_OUT: Partial<Record<FailureKind, RegExp>> = { oom: /batch/i, diverged: /(^|_)(lr|learning_rate)$/i };

/**
 * The hyperparameter by which a failure rules out other configurations (the batch size of an oom, the learning
 * rate of a diverged run); undefined when it rules out none: another kind, or that value not told as a number.
 */
export function ruledOutBy(failure: FailureKind | undefined, hyperparameters: Configuration["hyperparameters"]): string | undefined {
  const name = failure && RULED_OUT[failure];
  return name ? Object.keys(hyperparameters).find((k) => name.test(k) && typeof hyperparameters[k] === "number") : undefined;
}

export class StudyLearner {
  private readonly points: Point[];
  /** Per expert: its scores of the pool (scored once), their rank percentiles, and the scores sorted. */
  private readonly scores = new Map<string, Float64Array>();
  private readonly percentiles = new Map<string, Float64Array>();
  private readonly sorted = new Map<string, Float64Array>();
  /** Per told configuration outside the pool (one the user ran on their own): each expert's score, computed once. */
  private readonly offPool = new WeakMap<Configuration, Map<string, number>>();
  private readonly index: Map<Configuration, number>;
  private readonly indexById: Map<string, number>;

  constructor(
    readonly model: StudyModel,
    readonly settings: LearnSettings = DEFAULT_LEARN,
  ) {
    this.points = model.geometry.points(model.pool);
    this.index = new Map(model.pool.map((c, i) => [c, i]));
    this.indexById = new Map(model.pool.map((c, i) => [c.id, i]));
  }

  /** The next `n` configurations; `running` names pool candidates being trained (candidate ids), left out. */
  ask(trials: readonly Observation[], n: number, running: readonly string[] = []): { suggestions: Suggestion[]; belief: Belief } {
    const { pool, geometry } = this.model;
    const s = this.settings;
    const belief = this.belief(trials);
    const told = geometry.points(trials.map((t) => t.config));
    const toldIds = new Set(trials.flatMap((t) => (t.candidateId ? [t.candidateId] : [])));
    const runningIds = new Set(running);
    // The local model is off by default (local = 0): then no kernel is computed, only what rules candidates out.
    const local = s.local > 0 ? localValues(trials) : undefined;
    const zs = this.pct(this.model.zeroShot);
    const ok = trials.filter((t) => t.value !== null);
    const improve = s.acquisition === "improvement" && ok.length > 0 && belief.pastLeads;
    // No comparable pair yet (blend): the zero-shot ranking alone, and no expert's ranking of the pool is needed.
    const mix = belief.trust > 0 || improve ? belief.weights.map((w) => ({ w: w.weight, p: this.pct(this.expert(w.id)), bar: improve ? this.bar(this.expert(w.id), ok) : 0 })) : [];

    const score = new Float64Array(pool.length);
    const open: number[] = [];
    for (let i = 0; i < pool.length; i++) {
      let ensemble = 0;
      for (const m of mix) ensemble += m.w * (improve ? Math.max(0, m.p[i] - m.bar) + s.exploit * m.p[i] : m.p[i]);
      let kernel = 0;
      let near = 0;
      let ruledOut = toldIds.has(pool[i].id) || runningIds.has(pool[i].id);
      for (let k = 0; k < trials.length && !ruledOut; k++) {
        const d = geometry.distance(this.points[i], told[k]);
        if (d === 0) ruledOut = true;
        else {
          if (local && Number.isFinite(d)) {
            const kk = Math.exp(-d / s.bandwidth);
            kernel += kk * local[k];
            near += kk;
          }
          if (rulesOut(trials[k], pool[i])) ruledOut = true;
        }
      }
      if (ruledOut) continue;
      score[i] = (improve ? ensemble : (1 - belief.trust) * zs[i] + belief.trust * ensemble) + (local ? s.local * (kernel / (near + 1)) : 0);
      open.push(i);
    }
    // Greedy diverse choice; the first pick (no trials) is the zero-shot pick, ties going to the zero-shot order.
    const chosen: number[] = [];
    const chosenScore: number[] = [];
    const penalty = new Float64Array(pool.length);
    // The penalty is on the score's scale: the improvement acquisition's scores reach 1 + k, the blend's 1.
    const diversity = s.diversity * (improve ? 1 + s.exploit : 1);
    const avoid = (p: Point) => {
      for (const i of open) {
        const d = geometry.distance(this.points[i], p);
        if (Number.isFinite(d)) penalty[i] = Math.max(penalty[i], diversity * Math.exp(-d / s.bandwidth));
      }
    };
    if (s.avoidTold) for (const p of told) avoid(p);
    for (const id of runningIds) {
      const i = this.indexById.get(id);
      if (i !== undefined) avoid(this.points[i]);
    }
    while (chosen.length < n) {
      let best = -1;
      for (const i of open) if (!chosen.includes(i) && (best < 0 || score[i] - penalty[i] > score[best] - penalty[best])) best = i;
      if (best < 0) break;
      chosen.push(best);
      chosenScore.push(score[best] - penalty[best]);
      avoid(this.points[best]);
    }
    return { suggestions: chosen.map((i, k) => ({ candidate: pool[i], zeroShotRank: i, score: chosenScore[k] })), belief };
  }

  /** The posterior weights of the experts given the told results. */
  belief(trials: readonly Observation[]): Belief {
    const s = this.settings;
    const ok = trials.filter((t) => t.value !== null);
    const values = ok.map((t) => t.value!);
    const experts = [this.model.zeroShot, ...this.model.experts];
    const prior = (e: Expert) => (e === this.model.zeroShot ? s.zeroShotPrior : (1 - s.zeroShotPrior) / Math.max(1, this.model.experts.length));
    const logOdds = Math.log(s.agreement / (1 - s.agreement));
    const pairs = countPairs(values);
    const scale = pairs > 0 ? pairs ** -s.temper : 0;
    const raw = experts.map((e) => {
      const predicted = ok.length > 1 ? this.toldScores(e, ok) : [];
      let concordant = 0;
      let discordant = 0;
      for (let a = 0; a < ok.length; a++)
        for (let b = a + 1; b < ok.length; b++) {
          const truth = Math.sign(values[a] - values[b]);
          if (truth === 0) continue;
          const said = Math.sign(predicted[a] - predicted[b]);
          if (said === truth) concordant++;
          else if (said === -truth) discordant++;
        }
      return { id: e.id, log: Math.log(prior(e)) + logOdds * scale * (concordant - discordant), concordant, discordant };
    });
    const top = Math.max(...raw.map((r) => r.log));
    const total = raw.reduce((a, r) => a + Math.exp(r.log - top), 0);
    const weights = raw
      .map((r) => ({ id: r.id, weight: Math.exp(r.log - top) / total, concordant: r.concordant, discordant: r.discordant }))
      .sort((a, b) => b.weight - a.weight);
    const zeroShot = weights.find((w) => w.id === ZERO_SHOT)?.weight ?? 0;
    const shortfall = trials.findIndex((t) => this.fellShort(t));
    const pastAhead = weights[0].id !== ZERO_SHOT && weights[0].weight > s.leadMargin * zeroShot;
    const gated = s.acquisition === "improvement" && s.leadAfterShortfall;
    const pastLeads = pastAhead && (shortfall >= 0 || !gated);
    // Before a past dataset leads, the "improvement" acquisition blends, or keeps the zero-shot order (beforeLead).
    const blends = !(s.acquisition === "improvement" && s.beforeLead === "zero-shot" && !pastLeads);
    return { pairs, trust: blends ? pairs / (pairs + s.pairsToTrust) : 0, weights, pastAhead, pastLeads, shortfall };
  }

  /** A failure, or a result below its prediction; one without a prediction (outside the pool, or none given) too. */
  private fellShort(t: Observation): boolean {
    if (t.value === null) return true;
    const i = this.poolIndex(t);
    const p = i === undefined ? undefined : this.model.predicted?.[i];
    return p === undefined || !Number.isFinite(p) || t.value < p;
  }

  private expert(id: string): Expert {
    return id === this.model.zeroShot.id ? this.model.zeroShot : this.model.experts.find((e) => e.id === id)!;
  }

  /** An expert's rank percentile of every pool candidate (1 = its favourite); the zero-shot one from the pool order. */
  private pct(e: Expert): Float64Array {
    let p = this.percentiles.get(e.id);
    if (!p) {
      const n = this.model.pool.length;
      p = e === this.model.zeroShot ? Float64Array.from({ length: n }, (_, i) => (n > 1 ? 1 - i / (n - 1) : 1)) : Float64Array.from(rankPercentiles([...this.poolScores(e)], 0.5));
      this.percentiles.set(e.id, p);
    }
    return p;
  }

  /**
   * The bar an improvement must clear in an expert's eyes: its highest percentile among the results told (as in
   * two-stage transfer surrogates, the expert's own best of what was run, whatever the results' order).
   */
  private bar(e: Expert, ok: readonly Observation[]): number {
    return Math.max(...ok.map((t) => this.place(e, t)));
  }

  /**
   * A told configuration placed among an expert's percentiles of the pool: a pool candidate at its own, any other
   * (one the user ran on their own) at the share of the pool the expert scores below it.
   */
  private place(e: Expert, t: Observation): number {
    const i = this.poolIndex(t);
    if (i !== undefined) return this.pct(e)[i];
    const sorted = this.sortedScores(e);
    const v = this.toldScores(e, [t])[0];
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length > 1 ? Math.min(1, lo / (sorted.length - 1)) : 0.5;
  }

  private poolIndex(t: Observation): number | undefined {
    return t.candidateId !== undefined ? this.indexById.get(t.candidateId) : this.index.get(t.config);
  }

  /**
   * An expert's scores of told configurations: a pool candidate's from its pool scores; the others (run by the user
   * on their own) scored in one call the first time this expert meets them, then remembered.
   */
  private toldScores(e: Expert, told: readonly Observation[]): number[] {
    const known = (t: Observation) => this.offPool.get(t.config)?.get(e.id);
    const missing = told.filter((t) => this.poolIndex(t) === undefined && known(t) === undefined);
    if (missing.length) {
      const s = e.score(missing.map((t) => t.config));
      missing.forEach((t, k) => {
        let byExpert = this.offPool.get(t.config);
        if (!byExpert) this.offPool.set(t.config, (byExpert = new Map()));
        byExpert.set(e.id, s[k]);
      });
    }
    return told.map((t) => {
      const i = this.poolIndex(t);
      return i !== undefined ? this.poolScores(e)[i] : known(t)!;
    });
  }

  private sortedScores(e: Expert): Float64Array {
    let s = this.sorted.get(e.id);
    if (!s) this.sorted.set(e.id, (s = Float64Array.from(this.poolScores(e)).sort()));
    return s;
  }

  private poolScores(e: Expert): Float64Array {
    let s = this.scores.get(e.id);
    if (!s) this.scores.set(e.id, (s = Float64Array.from(e.score(this.model.pool))));
    return s;
  }
}

/** Pairs of values that differ. */
function countPairs(values: readonly number[]): number {
  let p = 0;
  for (let a = 0; a < values.length; a++) for (let b = a + 1; b < values.length; b++) if (values[a] !== values[b]) p++;
  return p;
}

/** Each told result's place among them, centred: +0.5 the best, −0.5 the worst or a failure, 0 when alone. */
function localValues(trials: readonly Observation[]): number[] {
  const ok = trials.flatMap((t, k) => (t.value !== null ? [k] : []));
  const pct = ok.length ? rankPercentiles(ok.map((k) => trials[k].value!), 0.5) : [];
  const out = trials.map(() => -0.5);
  ok.forEach((k, j) => (out[k] = pct[j] - 0.5));
  return out;
}

/**
 * A failure rules out the same model with the failing hyperparameter at the failed value or above; an out-of-memory
 * run also the models that need more memory (needsMoreMemory) at that batch size or above.
 */
function rulesOut(t: Observation, c: Configuration): boolean {
  const name = t.failure && RULED_OUT[t.failure];
  if (!name || (t.config.model !== c.model && !(t.failure === "oom" && needsMoreMemory(c.model, t.config.model)))) return false;
  return Object.entries(t.config.hyperparameters).some(([k, v]) => name.test(k) && typeof v === "number" && typeof c.hyperparameters[k] === "number" && (c.hyperparameters[k] as number) >= v);
}

/**
 * Whether fine-tuning `model` takes more memory than `than` at any batch size, as far as the model zoo knows: more
 * parameters (weights, gradients, optimiser state) and at least its input resolution (activations). Either unknown:
 * no.
 */
export function needsMoreMemory(model: string, than: string): boolean {
  if (model === than || !Object.hasOwn(MODEL_ZOO, model) || !Object.hasOwn(MODEL_ZOO, than)) return false;
  const [a, b] = [MODEL_ZOO[model], MODEL_ZOO[than]];
  return a.paramsM >= b.paramsM && a.resolution >= b.resolution;
}
