/**
 * A study against a loaded pack: the zero-shot ranking of its request's candidates (Recommender.rank, the
 * recommendation's own), the past datasets as experts, and the learner (learn.ts) weighing them by the results
 * told. Learners are kept per pack and request, so a server's asks after the first reuse the candidates'
 * per-expert percentiles and answer in milliseconds.
 */
import { LRUCache } from "lru-cache";
import type { Configuration } from "../learner/features.ts";
import { toConfig } from "../recommend/answer-config.ts";
import type { Recommender } from "../recommend/recommender.ts";
import type { RecommendRequest } from "../recommend/request.ts";
import { RetrievalPrior } from "../recommend/retrieval-prior.ts";
import type { Drivers } from "../recommend/drivers.ts";
import type { Ranking } from "../recommend/ranking.ts";
import type { EvidenceRef, RecommendedConfig } from "../recommend/schema.ts";
import { counted, fmt } from "../util/format.ts";
import { memoAsync } from "../util/memo.ts";
import { DEFAULT_EXPERTS, datasetOfExpert, studyExperts, zeroShotExpert } from "./experts.ts";
import { ConfigGeometry } from "./geometry.ts";
import { StudyLearner, ZERO_SHOT, orientedPredictions, ruledOutBy, type Belief, type ExpertWeight, type Observation } from "./learn.ts";
import { bestTrial, recordAsked, runningConfigs, type Study, type Trial } from "./study.ts";

export interface StudySuggestion extends RecommendedConfig {
  /** Place in the zero-shot ranking (0 = what `recommend` answers). */
  zeroShotRank: number;
  /** Predicted metric minus the best told so far (metric units, ≥ 0); null before any result or without a scale. */
  expectedGain: number | null;
  /** What drives its prediction on this dataset (SHAP), as a recommendation states them. */
  drivers: Drivers;
  /** The evidence it rests on: the closest past datasets, its model family, its drivers. */
  evidence: EvidenceRef[];
}

export interface StudyBelief {
  trials: number;
  /** Pairs of told results with different values: what the weights were learned from. */
  pairs: number;
  /** With the blend acquisition: how much the re-weighted past datasets count against the zero-shot ranking (0 to 1). */
  trust: number;
  zeroShotWeight: number;
  /**
   * The past datasets that now look most like this one, with their weights (top 5): a dataset's two experts (its
   * card through the meta-learner, its own runs) counted together, the pairs those of the stronger one.
   */
  similarDatasets: { id: string; weight: number; concordant: number; discordant: number }[];
  best: Trial | null;
  failures: number;
  explanation: string;
}

export interface StudyAnswer {
  studyId: string;
  suggestions: StudySuggestion[];
  belief: StudyBelief;
  warnings: string[];
}

interface Prepared {
  learner: StudyLearner;
  /** A pool candidate's place in the ranking, by id. */
  byId: Map<string, number>;
  ranking: Ranking;
}

const prepared = new LRUCache<string, Promise<Prepared>>({ max: 64 });

function prepare(recommender: Recommender, req: RecommendRequest): Promise<Prepared> {
  const key = JSON.stringify([recommender.pack.manifest.name, recommender.pack.manifest.createdAt, req]);
  return memoAsync(prepared, key, () => build(recommender, req)).value;
}

async function build(recommender: Recommender, req: RecommendRequest): Promise<Prepared> {
  const ranking = await recommender.rank(req);
  const { learner: model, datasets } = recommender.pack;
  const pool = ranking.ranked.map((s) => s.candidate);
  // Configurations the user ran on their own are placed by the same order score as the pool's.
  const orderOf = (configs: readonly Configuration[]) => recommender.score(req, configs.map((c, i) => ({ ...c, id: `told${i}`, origin: "told" })), ranking.neighbours).map((s) => s.order);
  const poolScores = ranking.ranked.map((s) => s.order);
  if (poolScores.length > 1) poolScores[0] = Math.max(...poolScores) + 1e-9;
  const learner = new StudyLearner({
    pool,
    zeroShot: zeroShotExpert(pool, poolScores, orderOf),
    experts: studyExperts(model, RetrievalPrior.of(model), datasets, DEFAULT_EXPERTS),
    geometry: new ConfigGeometry(model.encoder, pool),
    predicted: orientedPredictions(ranking.ranked, recommender.pack.manifest.metric.direction),
  });
  return { learner, byId: new Map(pool.map((c, i) => [c.id, i])), ranking };
}

/** The told trials as the learner reads them; a told pool candidate is the pool's own object, so the zero-shot expert places it by its rank. */
function observations(study: Study, p: Prepared): Observation[] {
  const sign = study.direction === "max" ? 1 : -1;
  return study.trials.map((t) => ({
    config: (t.candidateId !== undefined ? p.ranking.ranked[p.byId.get(t.candidateId) ?? -1]?.candidate : undefined) ?? t.config,
    ...(t.candidateId ? { candidateId: t.candidateId } : {}),
    value: t.value === null ? null : sign * t.value,
    ...(t.failed ? { failure: t.failed } : {}),
  }));
}

export interface AskOptions {
  /**
   * Candidate ids being trained, left out of the answer; default: the study's running configurations (asked, not
   * told). The chat passes those less the suggestions it replaced; [] offers every configuration not told (a lost
   * worker's included).
   */
  running?: readonly string[];
}

/** The next `n` configurations; the study comes back with them recorded as asked. */
export async function askStudy(recommender: Recommender, study: Study, n: number, opts: AskOptions = {}): Promise<{ study: Study; answer: StudyAnswer }> {
  const req = study.request;
  const p = await prepare(recommender, req);
  const running = opts.running ?? runningConfigs(study).map((a) => a.candidateId);
  const { suggestions, belief } = p.learner.ask(observations(study, p), n, running);
  const space = recommender.pack.space.searchSpace;
  const best = bestTrial(study);
  const sign = study.direction === "max" ? 1 : -1;
  const out: StudySuggestion[] = suggestions.map((s) => {
    const scored = p.ranking.ranked[s.zeroShotRank];
    const cfg = toConfig(scored, space);
    const gain = best && Number.isFinite(cfg.predicted.metric) ? Math.max(0, sign * (cfg.predicted.metric - best.value!)) : null;
    return { ...cfg, zeroShotRank: s.zeroShotRank, expectedGain: gain === null ? null : Number(gain.toFixed(2)), ...recommender.explain(req, p.ranking, scored) };
  });
  const warnings = [...p.ranking.warnings];
  if (running.length)
    warnings.push(`${counted(running.length, "running configuration")} (asked, no result told yet) left out: ${running.slice(0, 5).join(", ")}${running.length > 5 ? ", …" : ""}; to get one back, tell its result or failure, or ask with includeRunning (CLI --include-running)`);
  if (out.length < n) warnings.push(`only ${out.length} configuration(s) left that were neither told, running nor ruled out by a failure`);
  const asked = recordAsked(study, out.map((s) => ({ candidateId: s.candidateId, model: s.model, hyperparameters: p.ranking.ranked[s.zeroShotRank].candidate.hyperparameters })));
  return { study: asked, answer: { studyId: study.id, suggestions: out, belief: describeBelief(study, belief, p), warnings } };
}

/** A suggestion as Optuna's enqueue_trial params. */
export const optunaParams = (s: Pick<StudySuggestion, "model" | "hyperparameters">): Record<string, unknown> => ({ model: s.model, ...s.hyperparameters });

/**
 * The answer as `study ask --json` and POST /v1/studies/{id}/ask give it: each suggestion with its Optuna
 * enqueue_trial params too ({model, ...hyperparameters}), so a script reads the same fields from either.
 */
export function answerJson(a: StudyAnswer): StudyAnswer & { suggestions: (StudySuggestion & { optuna: Record<string, unknown> })[] } {
  return { ...a, suggestions: a.suggestions.map((s) => ({ ...s, optuna: optunaParams(s) })) };
}

/** A study as `study new|show --json` and POST /v1/studies, GET /v1/studies/{id} give it: with its belief and running suggestions. */
export async function studyView(recommender: Recommender, study: Study): Promise<{ study: Study; belief: StudyBelief; running: Study["asked"] }> {
  return { study, belief: await studyBelief(recommender, study), running: runningConfigs(study) };
}

/** What the study now believes, without asking (for `show` and GET). */
export async function studyBelief(recommender: Recommender, study: Study): Promise<StudyBelief> {
  const p = await prepare(recommender, study.request);
  return describeBelief(study, p.learner.belief(observations(study, p)), p);
}

function describeBelief(study: Study, b: Belief, p: Prepared): StudyBelief {
  const settings = p.learner.settings;
  const zs = b.weights.find((w) => w.id === ZERO_SHOT)?.weight ?? 1;
  const similar = byDataset(b.weights.filter((w) => w.id !== ZERO_SHOT)).slice(0, 5).map((w) => ({ ...w, weight: Number(w.weight.toFixed(3)) }));
  const failures = study.trials.filter((t) => t.failed).length;
  const best = bestTrial(study) ?? null;
  const pct = (w: number) => `${Math.round(100 * w)}%`;
  let explanation: string;
  if (b.pairs === 0)
    explanation = study.trials.length === 0
      ? "No results yet: this is the zero-shot ranking, from your dataset's meta-features alone."
      : "Fewer than two results to compare yet: the zero-shot ranking still leads, without what was already run or ruled out.";
  else if (!b.pastLeads) {
    const next = `the next suggestions ${b.trust === 0 ? "follow" : "stay close to"} the zero-shot ranking, without what was run or ruled out`;
    // A past dataset is ahead but no result fell short of its prediction (leadAfterShortfall).
    explanation =
      b.pastAhead
        ? `After ${study.trials.length} results, none fell short of what hporec predicted for it, so the zero-shot model from your meta-features stays trusted although ${datasetOfExpert(b.weights[0].id)} orders them better; ${next}.`
        : `After ${study.trials.length} results, no past dataset orders them better than the zero-shot model from your meta-features, which keeps ${pct(zs)} of the weight; ${next}.`;
  } else {
    const lead = `After ${study.trials.length} results, these past datasets now look most like yours: ${similar.slice(0, 3).map((w) => `${w.id} (${pct(w.weight)})`).join(", ")}, weighted by how many pairs of your results each orders correctly; the meta-features' zero-shot model keeps ${pct(zs)}`;
    explanation =
      settings.acquisition === "improvement"
        ? `${lead}${settings.leadAfterShortfall ? `, now that ${shortfallText(study, p, b.shortfall)}` : ""}. The next suggestions are those they expect to improve most on the best of your results.`
        : `${lead}, and the re-weighted ranking counts for ${pct(b.trust)} of the score.`;
  }
  // Only a failure told with the value it is judged by rules anything out (learn.ts); the others are worst results.
  const ruling = study.trials.filter((t) => ruledOutBy(t.failed, t.config.hyperparameters));
  const kinds = [...new Set(ruling.map((t) => t.failed))].map((k) => (k === "oom" ? "out of memory: the same model, or a larger one (more parameters, at least its input resolution), at that batch size or larger" : "diverged: the same model at that learning rate or larger"));
  if (ruling.length) explanation += ` ${counted(ruling.length, "failed run")} rule${ruling.length === 1 ? "s" : ""} out similar configurations (${kinds.join("; ")}).`;
  const rest = failures - ruling.length;
  if (rest) explanation += ` ${counted(rest, ruling.length ? "other failed run" : "failed run")} ${rest === 1 ? "counts as the worst result" : "count as the worst results"}, ruling out no other configuration.`;
  if (best) explanation += ` Best so far: ${fmt(best.value!)} (${best.id}).`;
  return { trials: study.trials.length, pairs: b.pairs, trust: Number(b.trust.toFixed(3)), zeroShotWeight: Number(zs.toFixed(3)), similarDatasets: similar, best, failures, explanation };
}

/** How the told result at `index` fell short: it failed, or came out below what hporec predicted for it. */
function shortfallText(study: Study, p: Prepared, index: number): string {
  const t = study.trials[index];
  if (t.value === null) return `${t.id} failed${t.failed ? ` (${t.failed})` : ""}`;
  const i = t.candidateId !== undefined ? p.byId.get(t.candidateId) : undefined;
  const predicted = i === undefined ? Number.NaN : p.ranking.ranked[i].metric;
  return Number.isFinite(predicted)
    ? `${t.id} came out at ${fmt(t.value)} where hporec predicted ${fmt(predicted)}`
    : `${t.id} (${fmt(t.value)}) has no prediction to confirm the zero-shot model`;
}

/**
 * Expert weights summed per past dataset (experts.ts names a dataset's run expert `runs:<id>`), highest first; the
 * weights come highest first, so a dataset's pairs are those of its stronger expert.
 */
function byDataset(weights: readonly ExpertWeight[]): ExpertWeight[] {
  const out = new Map<string, ExpertWeight>();
  for (const w of weights) {
    const id = datasetOfExpert(w.id);
    const seen = out.get(id);
    if (seen) seen.weight += w.weight;
    else out.set(id, { ...w, id });
  }
  return [...out.values()].sort((a, b) => b.weight - a.weight);
}
