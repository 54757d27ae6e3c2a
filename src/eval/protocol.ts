/**
 * The evaluation driver (DESIGN.md, "Evaluation protocol"). Leave-one-dataset-out over `train`, or, with
 * `test`, train once on `train` and evaluate every dataset of `test` (same format; a test dataset also present
 * in `train` is cut out of training). For each held-out dataset d the candidates are the runs really made on d.
 *
 * Honesty is structural, not a convention the recommender has to keep:
 *   - every ranker factory gets its own deep copy of the training meta-dataset, without d's card or runs;
 *   - the ranking function gets a copy of d's card and the candidates' configurations only (no outcome, cost,
 *     epochs or status), in a seeded shuffled order, so not even the table's order can leak how runs went.
 * The portfolio baseline and any extra ranker (e.g. the meta-learner without retrieval/LLM) go through the same
 * path; random search and TPE are scored on the same candidates.
 */
import { silentProgress, type ProgressFactory } from "../util/progress.ts";
import type { Failure, MetaDataset, Run } from "../metadata/schema.ts";
import { InputError } from "../util/errors.ts";
import { createRng, shuffle } from "../util/random.ts";
import { aggregateExpected, aggregateRanked, scoreRanking, type CandidateOutcome } from "./metrics.ts";
import { tpeBaselines, type TpeOptions } from "./optuna-tpe.ts";
import { byModel, portfolioRanker, type FamilyKey } from "./portfolio.ts";
import { evaluationsToMatch, expectedRandomSearch, randomSearchCurve } from "./random-search.ts";
import {
  candidateView,
  runSeconds,
  withoutDatasets,
  type CandidateConfig,
  type DatasetCard,
  type NamedRanker,
  rankingOf,
  type Ranking,
  type RankerFactory,
} from "./ranker.ts";
import { residualBounds, STATED_LEVEL, statedInterval } from "../recommend/calibration.ts";
import { EvaluationResult, RANKED_IDS_KEPT, type Baseline, type LeftOut, type Objective, type RankedDatasetResult } from "./types.ts";
import { orientedOutcome } from "../learner/targets.ts";
import { hashSeed } from "../util/hash.ts";

export interface EvaluateOptions {
  train: MetaDataset;
  test?: MetaDataset;
  /** The recommender under evaluation. */
  makeRanker: RankerFactory;
  /** Further ranking baselines, e.g. { name: "meta-learner", makeRanker } (the model without retrieval/LLM). */
  baselines?: NamedRanker[];
  /** Only hold out these dataset ids (CI runs a slice); training still uses all the others. */
  datasets?: string[];
  objective?: Objective;
  /** Family of a configuration for the portfolio baseline (default: its model). */
  family?: FamilyKey;
  /** Whether to rank by the portfolio baseline too (default true; callers that read hporec's records alone skip it). */
  portfolio?: boolean;
  /** Random-search budgets (default 1, 5, 10, 20). */
  randomSearch?: number[];
  /** TPE options, or false to leave TPE out (e.g. unit tests of other parts). */
  tpe?: TpeOptions | false;
  /** Seed of the candidate shuffles (default 0). */
  seed?: number;
  /** Held-out pools keep only the runs trained for at least this many epochs (default 0: every run; training is unchanged). */
  minEpochs?: number;
  /** Reports progress (the CLI draws a bar; silent by default). */
  progress?: ProgressFactory;
}

/** One held-out dataset as the evaluator holds it: the ranker-facing views and the outcomes kept back. */
export interface HeldOut {
  card: DatasetCard;
  candidates: CandidateConfig[];
  outcomes: CandidateOutcome[];
}

const CURVE_MAX_N = 50;

export async function evaluate(opts: EvaluateOptions): Promise<EvaluationResult> {
  const source = opts.test ?? opts.train;
  const objective = opts.objective ?? "accuracy";
  const { heldOut, leftOut } = heldOutDatasets(source, opts.datasets, opts.seed ?? 0, opts.minEpochs);
  const rankers: NamedRanker[] = [
    { name: "hporec", makeRanker: opts.makeRanker },
    ...(opts.portfolio === false ? [] : [{ name: "portfolio", makeRanker: portfolioRanker(opts.family ?? byModel) }]),
    ...(opts.baselines ?? []),
  ];
  const names = rankers.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new Error(`ranker names must be unique: ${names.join(", ")}`);

  // Leave-one-out trains once per held-out dataset; train/test once for all of them.
  const folds = opts.test ? [heldOut] : heldOut.map((h) => [h]);
  const bar = (opts.progress ?? silentProgress)("eval", folds.length * rankers.length);
  const records = new Map<string, RankedDatasetResult[]>(names.map((n) => [n, []]));
  try {
    for (const fold of folds) {
      const excluded = new Set(fold.map((h) => h.card.id));
      for (const r of rankers) {
        const rank = await r.makeRanker(withoutDatasets(opts.train, excluded), { objective });
        for (const h of fold) {
          const ranking = await rank(structuredClone(h.card), structuredClone(h.candidates));
          records.get(r.name)!.push(record(h, rankingOf(ranking), source.metric.direction));
        }
        bar.tick(1, `${r.name} ${fold.length === 1 ? fold[0].card.id : `${fold.length} datasets`}`);
      }
    }
  } finally {
    bar.stop();
  }

  for (const list of records.values()) jackknifeRanges(list);
  const ranked = (name: string) => ({ datasets: records.get(name)!, aggregate: aggregateRanked(records.get(name)!) });
  const baselines: Baseline[] = [
    ...rankers.slice(1).map((r): Baseline => ({ name: r.name, kind: "ranking", ...ranked(r.name) })),
    ...(opts.randomSearch ?? [1, 5, 10, 20]).map((N) => randomSearchBaseline(heldOut, N)),
    ...(opts.tpe === false
      ? []
      : await tpeBaselines(
          heldOut.map((h) => ({
            datasetId: h.card.id,
            candidates: h.candidates,
            outcomes: h.outcomes,
            searchSpace: spaceOf(source, h.candidates[0]),
          })),
          { progress: opts.progress, ...opts.tpe },
        )),
  ];
  return EvaluationResult.parse({
    version: 1,
    mode: opts.test ? "train-test" : "leave-one-dataset-out",
    objective,
    train: opts.train.name,
    ...(opts.test ? { test: opts.test.name } : {}),
    ...(opts.minEpochs ? { minEpochs: opts.minEpochs } : {}),
    ...(leftOut.length ? { leftOut } : {}),
    metric: source.metric,
    hporec: ranked("hporec"),
    baselines,
    randomSearchCurve: randomSearchCurve(
      heldOut.map((h) => h.outcomes.map((o) => o.y)),
      CURVE_MAX_N,
    ),
  });
}

/** Whether a run was trained for at least `epochs` epochs (a run of unknown length counts as one that was). */
export function trainedAtLeast(run: Run, epochs: number): boolean {
  return run.epochs === undefined || run.epochs >= epochs;
}

/** How a result's pools were cut, for a header line: "" for every run. */
export function poolNote(minEpochs?: number): string {
  return minEpochs ? ` (pools: runs of at least ${minEpochs} epochs)` : "";
}

/**
 * Datasets a run history holds failures of and no run (every run crashed, or was stopped early): the meta-dataset
 * has no card for them, so an evaluation on it would leave them out without a word.
 */
export function failedOnly(md: MetaDataset, failures: readonly Failure[]): LeftOut[] {
  const withRuns = new Set(md.runs.map((r) => r.datasetId));
  const counts = new Map<string, Map<string, number>>();
  for (const f of failures) {
    if (withRuns.has(f.datasetId)) continue;
    const byReason = counts.get(f.datasetId) ?? new Map<string, number>();
    byReason.set(f.reason, (byReason.get(f.reason) ?? 0) + 1);
    counts.set(f.datasetId, byReason);
  }
  return [...counts].map(([datasetId, byReason]) => ({ datasetId, runs: 0, reason: `no usable run: ${[...byReason].map(([reason, n]) => `${n} ${reason}`).join(", ")}` }));
}

/** What names the held-out datasets no figure includes: "" when there are none. */
export function leftOutNote(leftOut: readonly LeftOut[] = []): string {
  return leftOut.length ? `left out of every figure: ${leftOut.map((l) => `${l.datasetId} (${l.reason})`).join("; ")}` : "";
}

/** The text tables' line for leftOutNote: [] when there are none. */
export function leftOutLines(leftOut: readonly LeftOut[] = []): string[] {
  const note = leftOutNote(leftOut);
  return note ? [`  ${note}`] : [];
}

/**
 * The held-out datasets: those of `md` with runs (or the requested subset), candidates shuffled per dataset. With
 * `minEpochs`, a pool keeps the runs trained for at least that many epochs (runs of unknown length stay): Quick-Tune's
 * search stopped a third of its runs after one epoch, and a pool of finished runs is the regime a user who trains the
 * pick to the end is in (the micro validation set holds only finished runs). A pool of fewer than 2 runs has nothing
 * to rank: such a dataset is left out (and said so), unless `subset` names it.
 */
export function heldOutDatasets(md: MetaDataset, subset: string[] | undefined, seed: number, minEpochs = 0): { heldOut: HeldOut[]; leftOut: LeftOut[] } {
  const runsBy = new Map<string, Run[]>();
  for (const r of md.runs) {
    const list = runsBy.get(r.datasetId) ?? [];
    list.push(r);
    runsBy.set(r.datasetId, list);
  }
  const available = md.datasets.filter((d) => runsBy.has(d.id)).map((d) => d.id);
  const missingCards = [...runsBy.keys()].filter((id) => !md.datasets.some((d) => d.id === id));
  if (missingCards.length)
    throw new InputError(`runs of datasets without a card: ${missingCards.join(", ")}`, md.name, "re-import the meta-dataset");
  const unknown = (subset ?? []).filter((id) => !available.includes(id));
  if (unknown.length)
    throw new InputError(`no runs for dataset(s) ${unknown.join(", ")}`, "--datasets", `choose among: ${available.join(", ")}`);
  const ids = subset ? available.filter((id) => subset.includes(id)) : available;
  if (ids.length === 0) throw new InputError("no dataset with runs to evaluate on", md.name);
  const kept = new Map(ids.map((id) => [id, runsBy.get(id)!.filter((r) => trainedAtLeast(r, minEpochs))]));
  const thin = ids.filter((id) => kept.get(id)!.length < 2);
  const pools = minEpochs ? ` of at least ${minEpochs} epochs` : "";
  if (thin.length && (subset || thin.length === ids.length))
    throw new InputError(
      `fewer than 2 runs${pools} on dataset(s) ${thin.join(", ")}: nothing to rank`,
      subset ? "--datasets" : md.name,
      [minEpochs && "lower --min-epochs", subset && "leave them out of --datasets", !subset && "give a test set with at least 2 runs per dataset"].filter(Boolean).join(", or "),
    );
  const leftOut = thin.map((id) => ({ datasetId: id, runs: kept.get(id)!.length, reason: `${kept.get(id)!.length} run${pools}: a pool needs 2 to be ranked` }));
  const heldOut = ids
    .filter((id) => !thin.includes(id))
    .map((id) => {
      // Seeded by dataset, so a dataset's order does not depend on which others are evaluated with it.
      const runs = shuffle(kept.get(id)!, createRng(hashSeed(seed, id)));
      return {
        card: md.datasets.find((d) => d.id === id)!,
        candidates: runs.map(candidateView),
        outcomes: runs.map((r) => ({ id: r.id, y: orientedOutcome(md, r), seconds: runSeconds(r) })),
      };
    });
  return { heldOut, leftOut };
}

function record(h: HeldOut, ranking: Ranking, direction: "max" | "min"): RankedDatasetResult {
  const scored = scoreRanking(h.card.id, h.outcomes, ranking.ids, RANKED_IDS_KEPT);
  const n = evaluationsToMatch(
    h.outcomes.map((o) => o.y),
    scored.top1,
  );
  const pickOutcome = direction === "max" ? scored.pickOutcome : -scored.pickOutcome;
  const p = ranking.pick;
  const prediction = p
    ? { metric: p.metric, interval: p.interval ?? null, stated: p.interval !== undefined, covered: p.interval ? covers(p.interval, pickOutcome) : null }
    : undefined;
  return { ...scored, pickOutcome, randomSearchN: Number.isFinite(n) ? n : null, ...(prediction ? { prediction } : {}) };
}

/**
 * Picks whose ranker stated no range get the jackknife+ range: their predicted metric plus the conformal bounds
 * of the OTHER held-out datasets' residuals (never their own outcome). In leave-one-dataset-out this is what a
 * pack's own calibration (a cross-validation over its training datasets) does for a new dataset.
 */
function jackknifeRanges(list: RankedDatasetResult[]): void {
  list.forEach((r, i) => {
    if (!r.prediction || r.prediction.stated) return;
    const others = list.filter((o, j) => j !== i && o.prediction).map((o) => o.pickOutcome - o.prediction!.metric);
    if (others.length < 3) return;
    const [low, high] = residualBounds(others, STATED_LEVEL);
    if (!Number.isFinite(low)) return;
    const interval = statedInterval(r.prediction.metric, { low, high });
    r.prediction = { ...r.prediction, interval, covered: covers(interval, r.pickOutcome) };
  });
}

const covers = ([lo, hi]: readonly [number, number], y: number): boolean => lo <= y && y <= hi;

function randomSearchBaseline(heldOut: HeldOut[], N: number): Baseline {
  const datasets = heldOut.map((h) => ({
    datasetId: h.card.id,
    nCandidates: h.outcomes.length,
    ...expectedRandomSearch(
      h.outcomes.map((o) => o.y),
      N,
    ),
  }));
  return { name: `random-search-${N}`, kind: "expected", evaluations: N, datasets, aggregate: aggregateExpected(datasets) };
}

export function spaceOf(md: MetaDataset, c: CandidateConfig) {
  return (c.space !== undefined ? md.searchSpaces?.[c.space] : undefined) ?? md.searchSpace;
}
