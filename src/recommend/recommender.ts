/**
 * The recommendation engine: candidates -> meta-learner scores -> risk-aware, constraint-respecting choice ->
 * SHAP drivers and evidence -> deterministic justification. Loaded once per pack; `recommend` is the hot path.
 */
import type { HpValue, SearchSpace } from "../metadata/schema.ts";
import type { DatasetFeatures } from "../learner/features.ts";
import type { DatasetSummary, Pack } from "../learner/pack.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import { fmt } from "../util/format.ts";
import { RegionShap } from "../explain/region-shap.ts";
import { checkConstraints, checkRequest, packContext } from "./request.ts";
import { checkConfiguration } from "../judge/space-check.ts";
import { allowedModels, completeConfiguration, mutate, sampleConfigurations, type Candidate } from "./candidates.ts";
import { createRng } from "../util/random.ts";
import { describeConstraints, formatSeconds, type Constraints } from "./constraints.ts";
import { metricScale, toNeighbours, type Neighbour } from "./metric-scale.ts";
import { CHEAPEST_REASON, type Alternative, type EvidenceRef, type LlmMeta, type Predicted, type Recommendation, type RecommendedConfig } from "./schema.ts";
import { writeJustification } from "./writer.ts";
import { modelFamily } from "../retrieval/evidence-from-pack.ts";
import { withDatasetImportance, type ImportanceRequest } from "../explain/games/recommendation-importance.ts";
import { reducedSpaceFor } from "../explain/reduced-space.ts";
import type { MetaLearner, PreparedConfigurations, Prediction } from "../learner/meta-learner.ts";
import type { Configuration } from "../learner/features.ts";
import { hashSeed } from "../util/hash.ts";
import { DEFAULT_PRIOR_WEIGHT, RetrievalPrior } from "./retrieval-prior.ts";
import type { Calibration } from "./calibration.ts";
import { extrapolationWarnings } from "./extrapolation.ts";
import type { TargetKind } from "../learner/targets.ts";
import { LRUCache } from "lru-cache";

export type Objective = "accuracy" | "balanced" | "cost";

export interface RecommendRequest {
  dataset: DatasetFeatures & { name?: string };
  constraints?: Constraints;
  objective?: Objective;
  /** Risk aversion: candidates are ranked by mean - riskAversion * spread + prior * retrieval prior (default 0). */
  riskAversion?: number;
  /** Weight of the retrieval prior (retrieval-prior.ts; default 0 = off). */
  prior?: number;
  /** Random configurations sampled from the search space (default 2,000). */
  samples?: number;
  /** Similar past datasets whose winners become candidates (default 5). */
  neighbours?: number;
  seed?: number;
  /** Adds `importanceForDataset` (tunability game, ~0.3-3 s, hence only on request) and refines the reduced space by it. */
  importance?: boolean | ImportanceRequest;
}

/** Finds the past datasets most similar to a new one (cosine similarity in [-1, 1], best first). */
export type SimilarityFinder = (dataset: RecommendRequest["dataset"], k: number) => Promise<{ id: string; similarity: number }[]>;

/** Looks up the text of an evidence document by id (from the knowledge index), for citations. */
export type EvidenceLookup = (id: string) => string | undefined;

export interface Scored {
  candidate: Candidate;
  mean: number;
  spread: number;
  /** Retrieval prior (0 when off). */
  prior: number;
  risk: number;
  /** Where the ranking head places it (higher = earlier); the risk when the pack has no head. */
  order: number;
  seconds: number;
  metric: number;
  interval: [number, number];
}

/**
 * Risk aversion: rank by mean - lambda * spread. 0 by default: with top-weighted outcome models, ranking by the
 * ensemble mean gave the best leave-one-dataset-out picks (docs/eval-experiments.md #20-25).
 */
export const DEFAULT_RISK_AVERSION = 0;

/** Similar past datasets whose winners become candidates. */
export const DEFAULT_NEIGHBOURS = 5;

/** How many of the top-ranked candidates a writer chooses from. */
export const SHORTLIST_SIZE = 5;

/** What a writer (the LLM) sees: the deterministic answer, the shortlisted candidates and the evidence it may cite. */
export interface WriterInput {
  answer: Recommendation;
  shortlist: (RecommendedConfig & { drivers: Recommendation["drivers"] })[];
  evidence: EvidenceRef[];
  /** On the retry: why the judge rejected the previous answer. */
  feedback?: string[];
}

export type WriterOutput =
  | { ok: true; choiceId: string; justification: string; evidenceIds: string[]; llm: LlmMeta }
  | { ok: false; error: string; llm?: LlmMeta };

export type ChoiceWriter = (input: WriterInput) => Promise<WriterOutput>;

/** Judges a written answer: the reasons it fails, none when it passes. */
export type AnswerReview = (rec: Recommendation) => string[];

export interface WriteOptions {
  writer?: ChoiceWriter;
  /** A written answer that fails it is written once more with the reasons, then replaced by the deterministic one. */
  review?: AnswerReview;
}

/**
 * Candidate configurations that recur across requests (a similar dataset's winners and their mutations, the
 * samples of the space), prepared once for fast prediction on each new dataset (learner/block-predictor.ts).
 */
export interface CandidateBlock {
  /** Ids are unique across the blocks of one request: "<dataset>-<k>" for a neighbour's, "s<k>" for samples. */
  candidates: Candidate[];
  prepared: PreparedConfigurations;
}

/** Configuration rows kept prepared across requests (least recently used blocks go first). */
const ROWS_KEPT = 20_000;

/** One ranking, shared by the deterministic answer, a writer's choice and a study's asks. */
export interface Ranking {
  neighbours: Neighbour[];
  scoredCount: number;
  pool: Scored[];
  ranked: Scored[];
  warnings: string[];
}

export class Recommender {
  private readonly summaries: Map<string, DatasetSummary>;
  /** Prepared candidate blocks, least recently used first out, up to ROWS_KEPT configurations in all. */
  private readonly blocks = new LRUCache<string, CandidateBlock>({ maxSize: ROWS_KEPT, sizeCalculation: (b) => Math.max(1, b.candidates.length) });
  private readonly shap: RegionShap;
  private readonly retrievalPrior: RetrievalPrior;

  constructor(
    readonly pack: Pack,
    readonly explanations: Explanations,
    readonly findSimilar: SimilarityFinder,
    private readonly evidenceText: EvidenceLookup = () => undefined,
  ) {
    this.summaries = new Map(pack.datasets.map((d) => [d.id, d]));
    this.shap = new RegionShap(pack.learner);
    this.retrievalPrior = RetrievalPrior.of(pack.learner);
  }

  /** Scores and ranks candidates; shared by `recommend` and the evaluation (which passes real runs). */
  score(req: RecommendRequest, candidates: Candidate[], neighbours: Neighbour[]): Scored[] {
    return scoreCandidates(this.scoring(), req, candidates, neighbours);
  }

  private scoring(): ScoringModel {
    const { learner, manifest } = this.pack;
    return { learner, target: manifest.target, direction: manifest.metric.direction, prior: this.retrievalPrior, calibration: this.pack.calibration };
  }

  async neighbours(dataset: RecommendRequest["dataset"], k: number): Promise<Neighbour[]> {
    return toNeighbours(await this.findSimilar(dataset, k), this.summaries);
  }

  /**
   * Candidate configurations for a dataset, in blocks: per similar past dataset, its winners and 4 mutations of
   * each; then samples from the space. Each block draws from its own random stream (seed, dataset), so it is
   * the same whatever the other neighbours are, and is prepared for prediction once, not per request.
   */
  candidateBlocks(req: RecommendRequest, neighbours: Neighbour[]): CandidateBlock[] {
    const c = req.constraints ?? {};
    const space = this.pack.space.searchSpace;
    checkConstraints(c, packContext(this.pack));
    const models = allowedModels(this.pack.space.models, c);
    const fixed = c.fixed ?? {};
    const seed = req.seed ?? 1;
    const samples = req.samples ?? 2000;
    const scope = JSON.stringify([seed, models, fixed]);
    const blocks = neighbours.map((n) =>
      this.block(`ds:${n.summary.id} ${scope}`, `${n.summary.id}-`, () => {
        const rng = createRng(hashSeed(seed, n.summary.id));
        return n.summary.topRuns
          .filter((r) => models.includes(r.model))
          .flatMap((r) => {
            const base = completeConfiguration(space, r, fixed);
            const origin = `ds:${n.summary.id}/${r.runId}`;
            return [{ ...base, origin }, ...Array.from({ length: 4 }, () => ({ ...mutate(space, base, rng, fixed), origin: `mutation:${origin}` }))];
          });
      }),
    );
    blocks.push(this.block(`samples:${samples} ${scope}`, "s", () => sampleConfigurations(space, models, samples, createRng(seed), fixed).map((cfg) => ({ ...cfg, origin: "sample" }))));
    return blocks;
  }

  /** The candidates of `candidateBlocks`. */
  candidates(req: RecommendRequest, neighbours: Neighbour[]): Candidate[] {
    return this.candidateBlocks(req, neighbours).flatMap((b) => b.candidates);
  }

  private block(key: string, idPrefix: string, make: () => (Configuration & { origin: string })[]): CandidateBlock {
    let b = this.blocks.get(key);
    if (!b) {
      const candidates = make().map((c, i) => ({ ...c, id: `${idPrefix}${i}` }));
      b = { candidates, prepared: this.pack.learner.prepare(candidates) };
      this.blocks.set(key, b);
    }
    return b;
  }

  /** Scores every candidate of the blocks on the request's dataset (same result as `score` on `candidates`). */
  scoreBlocks(req: RecommendRequest, blocks: CandidateBlock[], neighbours: Neighbour[]): Scored[] {
    const candidates = blocks.flatMap((b) => b.candidates);
    const preds = blocks.map((b) => this.pack.learner.predictPrepared(req.dataset, b.prepared));
    const cat = (parts: Float64Array[]) => {
      const out = new Float64Array(candidates.length);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    };
    const order = preds.every((p) => p.order) ? cat(preds.map((p) => p.order!)) : undefined;
    const orderSpread = preds.every((p) => p.orderSpread) ? cat(preds.map((p) => p.orderSpread!)) : undefined;
    const pred = { mean: cat(preds.map((p) => p.mean)), spread: cat(preds.map((p) => p.spread)), seconds: cat(preds.map((p) => p.seconds)), order, orderSpread };
    // Per block, so each block's inherited percentiles are cached across requests.
    const prior = priorWeight(req) > 0 ? cat(blocks.map((b) => this.retrievalPrior.prior(b.candidates, neighbours))) : undefined;
    return scorePredictions(this.scoring(), req, candidates, pred, neighbours, prior);
  }

  /**
   * One recommendation per past dataset of the pack, so that a server's first requests find the candidate
   * blocks prepared, the trees' regions around known datasets cached and the code compiled.
   */
  async warmUp(samples?: number): Promise<void> {
    for (const d of this.pack.datasets) await this.recommend({ dataset: d, samples });
  }

  /** With a writer (the LLM), it chooses among the top candidates and writes the justification; else the deterministic writer. */
  async recommend(req: RecommendRequest, options: WriteOptions = {}): Promise<Recommendation> {
    const ranking = await this.rank(req);
    const answer = this.compose(req, ranking, ranking.ranked[0]);
    const rec = options.writer ? await this.written(options.writer, req, ranking, answer, options.review) : answer;
    return req.importance ? withDatasetImportance(this.pack, req.dataset, rec, req.importance === true ? {} : req.importance) : rec;
  }

  /** The zero-shot ranking of a request's candidates within its constraints: `recommend` answers with its first. */
  async rank(req: RecommendRequest): Promise<Ranking> {
    checkRequest(req, packContext(this.pack));
    const c = req.constraints ?? {};
    const objective = req.objective ?? "accuracy";
    const warnings: string[] = extrapolationWarnings(req.dataset, this.pack.datasets);
    const neighbours = await this.neighbours(req.dataset, req.neighbours ?? DEFAULT_NEIGHBOURS);
    const scored = this.scoreBlocks(req, this.candidateBlocks(req, neighbours), neighbours);

    let pool = scored;
    if (c.budgetSeconds !== undefined && !this.pack.manifest.hasCost)
      warnings.push(`the budget of ${formatSeconds(c.budgetSeconds)} cannot be applied: this pack has no training-time data, so the cost is unknown`);
    else if (c.budgetSeconds !== undefined) {
      pool = scored.filter((s) => !(s.seconds > c.budgetSeconds!));
      if (!pool.length) {
        const cheapest = Math.min(...scored.map((s) => s.seconds));
        warnings.push(`no candidate is predicted to train within the budget; the cheapest needs about ${Math.round(cheapest)} s`);
        pool = [...scored].sort((a, b) => a.seconds - b.seconds).slice(0, 50);
      }
    }
    return { neighbours, scoredCount: scored.length, pool, ranked: rankByObjective(pool, objective), warnings };
  }

  /** The answer for a chosen candidate, with the deterministic justification. */
  private compose(req: RecommendRequest, ranking: Ranking, best: Scored, drivers = this.drivers(req.dataset, best.candidate)): Recommendation {
    const c = req.constraints ?? {};
    const { neighbours, ranked, pool } = ranking;
    const alternatives = pickAlternatives(ranked, pool, best, this.pack.space.searchSpace);
    const evidence = this.evidence(neighbours, best, drivers);
    const space = this.pack.space.searchSpace;
    const rec: Recommendation = {
      dataset: { name: req.dataset.name, metaFeatures: req.dataset.metaFeatures, domain: req.dataset.domain, modality: req.dataset.modality },
      recommendation: toConfig(best, space),
      alternatives,
      metric: this.pack.manifest.metric,
      similarDatasets: neighbours.map((n) => ({ id: n.summary.id, similarity: round(n.similarity, 4) })),
      drivers,
      reducedSpace: reducedSpaceFor(this.explanations.reducedSpace, space, allowedModels(this.pack.space.models, c), toConfig(best, space), c.fixed),
      constraints: c,
      constraintsStated: describeConstraints(c),
      evidence,
      justification: "",
      source: "deterministic",
      objective: req.objective ?? "accuracy",
      candidatesEvaluated: ranking.scoredCount,
      pack: { name: this.pack.manifest.name, target: this.pack.manifest.target },
      ...(this.pack.calibration ? { trackRecord: trackRecord(this.pack.calibration) } : {}),
      warnings: [...ranking.warnings],
    };
    const problems = checkConfiguration(space, this.pack.space.models, rec.recommendation.model, rec.recommendation.hyperparameters).problems.filter((p) => p.startsWith("missing"));
    if (problems.length) throw new Error(`internal: recommendation lacks hyperparameters of the space: ${problems.join("; ")}`);
    rec.justification = writeJustification(rec);
    return rec;
  }

  /**
   * The writer sees the top candidates with their SHAP drivers and the evidence behind all of them; its choice
   * becomes the answer (the others stay alternatives) with its justification. An answer the review rejects is
   * written once more with the reasons; when the writer fails or the review rejects twice, the deterministic
   * answer is returned with a warning naming why.
   */
  private async written(writer: ChoiceWriter, req: RecommendRequest, ranking: Ranking, answer: Recommendation, review?: AnswerReview): Promise<Recommendation> {
    const shortlist = ranking.ranked.slice(0, SHORTLIST_SIZE).map((s) => ({ scored: s, drivers: this.drivers(req.dataset, s.candidate) }));
    const evidence = uniqueById(shortlist.flatMap((e) => this.evidence(ranking.neighbours, e.scored, e.drivers)));
    const space = this.pack.space.searchSpace;
    const fallback = (why: string, llm?: LlmMeta): Recommendation => {
      const rec: Recommendation = { ...answer, warnings: [...answer.warnings, `${why}; deterministic answer given`], llm };
      rec.justification = writeJustification(rec);
      return rec;
    };
    let feedback: string[] | undefined;
    let spent: LlmMeta | undefined;
    for (let attempt = 1; ; attempt++) {
      const out = await writer({ answer, shortlist: shortlist.map((e) => ({ ...toConfig(e.scored, space), drivers: e.drivers })), evidence, feedback });
      spent = addUp(spent, out.llm);
      if (!out.ok) return fallback(`the LLM answer was unusable (${out.error})`, spent);
      const chosen = shortlist.find((e) => e.scored.candidate.id === out.choiceId);
      if (!chosen) throw new Error(`internal: the writer chose ${out.choiceId}, which is not a shortlisted candidate`);
      const composed = this.compose(req, ranking, chosen.scored, chosen.drivers);
      const cited = evidence.filter((e) => out.evidenceIds.includes(e.id));
      const rec: Recommendation = { ...composed, evidence: uniqueById([...cited, ...composed.evidence]), justification: out.justification, source: "llm", llm: spent };
      feedback = review?.(rec);
      if (!feedback?.length) return rec;
      if (attempt === 2) return fallback(`the LLM answer failed the judge twice (${feedback.slice(0, 3).join("; ")})`, spent && { ...spent, error: feedback.join("; ") });
    }
  }

  /** SHAP contributions of the chosen configuration's hyperparameters (and model) on this dataset. */
  drivers(dataset: DatasetFeatures, cfg: Candidate): Recommendation["drivers"] {
    const shap = this.shap.grouped(dataset, cfg);
    return shap.groups
      .map((name, j) => ({ name, kind: shap.kinds[j], contribution: shap.values[j] }))
      // Only what the configuration sets: a hyperparameter of another model's space is no driver of this choice.
      .filter((d) => d.kind === "model" || (d.kind === "hp" && cfg.hyperparameters[d.name] !== null && cfg.hyperparameters[d.name] !== undefined))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
      .slice(0, 6)
      .map((d) => ({ name: d.name, value: valueText(d.name === "model" ? cfg.model : cfg.hyperparameters[d.name]), contribution: round(d.contribution, 4) }));
  }

  private evidence(neighbours: Neighbour[], best: Scored, drivers: Recommendation["drivers"]): EvidenceRef[] {
    const refs: EvidenceRef[] = [];
    const add = (id: string, kind: string, fallback: string) => {
      if (refs.some((r) => r.id === id)) return;
      const text = this.evidenceText(id);
      refs.push({ id, kind, summary: text ? firstSentence(text) : fallback });
    };
    for (const n of neighbours.slice(0, 3))
      add(`ds:${n.summary.id}`, "dataset", `${n.summary.id}: best ${fmt(n.summary.best)}, median ${fmt(n.summary.median)} over ${n.summary.nRuns} runs`);
    add(`model:${modelFamily(best.candidate.model)}`, "model", `model ${best.candidate.model}`);
    for (const d of drivers.filter((d) => d.name !== "model").slice(0, 3)) add(`hp:${d.name}`, "hyperparameter", `hyperparameter ${d.name}`);
    return refs;
  }
}

/** What scoring needs of a pack: the meta-learner, its target, the metric's direction (no files on disk). */
export interface ScoringModel {
  learner: MetaLearner;
  target: TargetKind;
  direction: "max" | "min";
  /** Without it, no retrieval prior. */
  prior?: RetrievalPrior;
  /** Residual bounds of picks on held-out datasets: the stated ranges (calibration.ts); without it, the members' spread. */
  calibration?: Calibration;
}

const priorWeight = (req: Pick<RecommendRequest, "prior">) => req.prior ?? DEFAULT_PRIOR_WEIGHT;

/** The ranking score: mean - risk aversion x spread + prior weight x retrieval prior (the request's or the defaults). */
export function rankingScore(mean: number, spread: number, prior: number, req: Pick<RecommendRequest, "riskAversion" | "prior"> = {}): number {
  return mean - (req.riskAversion ?? DEFAULT_RISK_AVERSION) * spread + priorWeight(req) * prior;
}

/**
 * Scores candidates with the meta-learner: risk = mean - riskAversion * spread (+ prior weight x retrieval prior
 * when the model has one and neighbours kept their runs), and the predicted metric read off
 * the neighbours' outcome distributions (rank targets). The one scoring path of `recommend` and `hporec eval`.
 */
export function scoreCandidates(model: ScoringModel, req: RecommendRequest, candidates: Candidate[], neighbours: Neighbour[]): Scored[] {
  const prior = model.prior && priorWeight(req) > 0 ? model.prior.prior(candidates, neighbours) : undefined;
  return scorePredictions(model, req, candidates, model.learner.predict(req.dataset, candidates), neighbours, prior);
}

function scorePredictions(model: ScoringModel, req: RecommendRequest, candidates: Candidate[], pred: Prediction, neighbours: Neighbour[], prior?: Float64Array): Scored[] {
  const { target, direction } = model;
  const scale = target === "rank" ? metricScale(neighbours, direction, model.calibration) : undefined;
  // An acceptable head picks: its P(acceptable) (minus its spread x risk aversion) is the ranking score.
  const byHead = model.learner.headKind === "acceptable" && pred.order !== undefined && pred.orderSpread !== undefined;
  return candidates.map((candidate, i) => {
    const mean = pred.mean[i];
    const spread = pred.spread[i];
    const m = scale
      ? scale(mean, spread)
      : { metric: direction === "max" ? mean : -mean, interval: [mean - 2 * spread, mean + 2 * spread].map((v) => (direction === "max" ? v : -v)).sort((a, b) => a - b) as [number, number] };
    const p = prior ? prior[i] : 0;
    const risk = byHead ? rankingScore(pred.order![i], pred.orderSpread![i], p, req) : rankingScore(mean, spread, p, req);
    return { candidate, mean, spread, prior: p, risk, order: pred.order && !byHead ? pred.order[i] : risk, seconds: pred.seconds[i], metric: m.metric, interval: m.interval };
  });
}

/**
 * Accuracy: the best risk-adjusted prediction first, then the ranking head's order (docs/eval-experiments.md
 * #28-31); balanced and cost trade predicted metric points against predicted seconds.
 */
export function rankByObjective(pool: Scored[], objective: Objective): Scored[] {
  const byRisk = [...pool].sort((a, b) => b.risk - a.risk);
  if (objective === "accuracy") return byRisk.length ? [byRisk[0], ...byRisk.slice(1).sort((a, b) => b.order - a.order)] : byRisk;
  const top = byRisk[0];
  const metricOk = Number.isFinite(top.metric);
  // Distance from the best in metric points (or in rank points x100 when the metric is unknown).
  const gap = (s: Scored) => (metricOk ? top.metric - s.metric : 100 * (top.risk - s.risk));
  if (objective === "cost") {
    const within = byRisk.filter((s) => gap(s) <= 5);
    return [...within.sort((a, b) => a.seconds - b.seconds || b.risk - a.risk), ...byRisk.filter((s) => gap(s) > 5)];
  }
  // balanced: one metric point is worth a halving of training time.
  const value = (s: Scored) => -gap(s) - (Number.isFinite(s.seconds) ? Math.log2(Math.max(s.seconds, 1)) : 0);
  return [...byRisk].sort((a, b) => value(b) - value(a));
}

function pickAlternatives(ranked: Scored[], pool: Scored[], best: Scored, space: SearchSpace): Alternative[] {
  const out: Alternative[] = [];
  const used = new Set([best.candidate.id]);
  const push = (s: Scored | undefined, reason: string) => {
    if (!s || used.has(s.candidate.id)) return;
    used.add(s.candidate.id);
    out.push({ ...toConfig(s, space), reason });
  };
  const ok = Number.isFinite(best.metric);
  // The cheapest configuration predicted within 1 point of the best (offered only if cheaper than the pick).
  const cheap = pool
    .filter((s) => (ok ? best.metric - s.metric <= 1 : best.risk - s.risk <= 0.01) && s.seconds < best.seconds)
    .sort((a, b) => a.seconds - b.seconds)[0];
  push(cheap, CHEAPEST_REASON);
  push(ranked.find((s) => s.candidate.model !== best.candidate.model), "best configuration with another model");
  // From the top: when a writer chose another candidate, the meta-learner's first choice stays on offer.
  for (const s of ranked) {
    if (out.length >= 3) break;
    push(s, s === ranked[0] ? "ranked first by the meta-learner" : "runner-up");
  }
  return out;
}

/** A scored candidate as answers state it (the judge recomputes answers through this too). */
export function toConfig(s: Scored, space: SearchSpace): RecommendedConfig {
  const predicted: Predicted = {
    score: round(s.mean, 4),
    spread: round(s.spread, 4),
    metric: round(s.metric, 2),
    interval: [round(s.interval[0], 2), round(s.interval[1], 2)],
    seconds: Number.isFinite(s.seconds) ? round(s.seconds, 0) : null,
    ...(s.prior ? { prior: round(s.prior, 4) } : {}),
  };
  return { candidateId: s.candidate.id, model: s.candidate.model, hyperparameters: applying(s.candidate, space), predicted, origin: s.candidate.origin };
}

/** The hyperparameters that apply to the candidate's model: those of other models' spaces are left out. */
function applying(c: Candidate, space: SearchSpace): Record<string, HpValue> {
  const elsewhere = (k: string) => {
    const cond = space.hyperparameters[k]?.condition;
    return cond?.parent === "model" && !cond.values.some((m) => String(m) === c.model);
  };
  return Object.fromEntries(Object.entries(c.hyperparameters).filter(([k, v]) => v !== null || !elsewhere(k)));
}

/** The cost of all writer calls of one answer (the retry after a rejection included). */
function addUp(a: LlmMeta | undefined, b: LlmMeta | undefined): LlmMeta | undefined {
  if (!a || !b) return b ?? a;
  const ms = a.ms + b.ms;
  const completion = a.tokens.completion + b.tokens.completion;
  return { ...b, tokens: { prompt: a.tokens.prompt + b.tokens.prompt, completion }, ms, tokensPerSecond: ms > 0 ? Number(((completion * 1000) / ms).toFixed(1)) : 0, attempts: a.attempts + b.attempts };
}

const trackRecord = (c: Calibration) => ({ level: c.level, datasets: c.datasets, acceptable: c.acceptable, meanScore: round(c.meanScore, 3) });

const uniqueById = <T extends { id: string }>(xs: T[]) => xs.filter((x, i) => xs.findIndex((y) => y.id === x.id) === i);
const round = (v: number, d: number) => (Number.isFinite(v) ? Number(v.toFixed(d)) : v);
const valueText = (v: HpValue | undefined) => (v === undefined || v === null ? "unset" : fmt(v));
const firstSentence = (t: string) => t.replace(/^\[meta\][^\n]*\n/, "").split(/(?<=\.)\s/)[0].slice(0, 200);
