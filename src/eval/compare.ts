/**
 * Paired comparison of two `hporec eval --json` results on the same held-out datasets: is a recipe's gain real or
 * inside the noise? Adoption asks a setting to win (docs/eval-experiments.md), and with 6–22 datasets whose picks
 * flip between near-ties, a difference of means says little; the per-dataset differences, their mean with a 90%
 * bootstrap interval, and wins/losses say whether the datasets agree. Each side is read at its best basis: the
 * mean over draws when it ran with `--draws` (and stored them per dataset), else its single draw.
 */
import { readFileSync } from "node:fs";
import { readJson } from "../metadata/io.ts";
import { InputError } from "../util/errors.ts";
import { bootstrapMeanInterval } from "../util/stats.ts";
import { signed } from "../util/format.ts";
import { EvaluationResult } from "./types.ts";
import { StudyEvaluation } from "./study-eval.ts";

/** One side of a comparison: per dataset, every metric it can be compared on. */
export interface ComparableResult {
  kind: "ranking" | "study";
  /** `--min-epochs` of the run (0: pools of every run). */
  minEpochs: number;
  /** What the picks were made for (`--objective`); a study file written before it was recorded reads as accuracy. */
  objective: string;
  /** "mean of 3 draws" or "one draw (first seed 0)"… */
  basis: string;
  /** Metric names in display order, and whether higher is better. */
  metrics: { name: string; higherIsBetter: boolean }[];
  values: Map<string, Record<string, number>>;
}

export interface PairedMetric {
  name: string;
  higherIsBetter: boolean;
  baseline: number;
  candidate: number;
  /** Mean of candidate − baseline over datasets, with a 90% bootstrap interval. */
  difference: number;
  interval: [number, number];
  /** Datasets where the candidate is better / worse / equal. */
  wins: number;
  losses: number;
  ties: number;
  verdict: "better" | "worse" | "inside the noise";
}

export interface Comparison {
  kind: "ranking" | "study";
  datasets: string[];
  basis: { baseline: string; candidate: string };
  metrics: PairedMetric[];
  /** Per dataset, the first metric's values (baseline, candidate), largest absolute difference first. */
  largest: { datasetId: string; baseline: number; candidate: number }[];
}

/** The ranking result as `hporec eval --json` writes it (types.ts), only the parts a comparison reads. */
const RankedFile = EvaluationResult.pick({ version: true, hporec: true, draws: true, minEpochs: true });
/** A study result as `hporec eval --trials … --json` writes it (study-eval.ts), only the parts a comparison reads. */
const StudyFile = StudyEvaluation.pick({ version: true, kind: true, trials: true, datasets: true, draws: true, minEpochs: true });

const RANKED_METRICS = [
  { name: "top-1", higherIsBetter: true },
  { name: "top-3", higherIsBetter: true },
  { name: "top-5", higherIsBetter: true },
  { name: "catastrophic", higherIsBetter: false },
];

/** The file as JSON; the text table of `hporec eval` saved without --json (the usual slip) is told as such. */
function readEvaluationJson(file: string, fix: string): unknown {
  try {
    return readJson(file, "evaluation result");
  } catch (e) {
    if (e instanceof InputError && e.message.startsWith("invalid JSON")) {
      const text = readFileSync(file, "utf8");
      const what = text.startsWith("hporec eval") ? "the text output of hporec eval, saved without --json" : e.message;
      throw new InputError(`not JSON: ${what}`, file, fix);
    }
    throw e;
  }
}

/** Reads one `hporec eval --json` file (ranking or `--trials` study) for a comparison. */
export function readComparable(file: string): ComparableResult {
  const fix = "give the JSON that `hporec eval … --json` printed (ranking or --trials)";
  const raw = readEvaluationJson(file, fix) as { kind?: unknown };
  if (raw && typeof raw === "object" && raw.kind === "study") {
    const r = StudyFile.safeParse(raw);
    if (!r.success) throw new InputError(`not a study evaluation: ${r.error.issues[0].path.join(".")} ${r.error.issues[0].message}`, file, fix);
    const { trials, datasets, draws, minEpochs = 0 } = r.data;
    const perDataset = draws?.datasets ?? datasets;
    const methods = Object.keys(perDataset[0]?.bestSoFar ?? {}).filter((m) => m === "hporec" || m === "zero-shot");
    const metrics = methods.flatMap((m) => trials.map((n) => ({ name: `${m} after ${n}`, higherIsBetter: true })));
    const values = new Map(
      perDataset.map((d) => [d.datasetId, Object.fromEntries(methods.flatMap((m) => trials.map((n, k) => [`${m} after ${n}`, d.bestSoFar[m]?.[k] ?? Number.NaN])))]),
    );
    return { kind: "study", minEpochs, objective: objectiveOf(raw), basis: basisOf(draws, Boolean(draws?.datasets)), metrics, values };
  }
  const r = RankedFile.safeParse(raw);
  if (!r.success) throw new InputError(`not an evaluation result: ${r.error.issues[0].path.join(".")} ${r.error.issues[0].message}`, file, fix);
  const { hporec, draws, minEpochs = 0 } = r.data;
  const values = new Map<string, Record<string, number>>(
    draws?.datasets
      ? draws.datasets.map((d) => [d.datasetId, { "top-1": d.top1, "top-3": d.top3, "top-5": d.top5, catastrophic: d.catastrophicDraws / draws.firstSeeds.length }])
      : hporec.datasets.map((d) => [d.datasetId, { "top-1": d.top1, "top-3": d.top3, "top-5": d.top5, catastrophic: d.catastrophic ? 1 : 0 }]),
  );
  return { kind: "ranking", minEpochs, objective: objectiveOf(raw), basis: basisOf(draws, Boolean(draws?.datasets)), metrics: RANKED_METRICS, values };
}

/** The file's `objective`; a file that does not record one was picked for accuracy (the default). */
const objectiveOf = (raw: object): string => {
  const o = (raw as { objective?: unknown }).objective;
  return typeof o === "string" ? o : "accuracy";
};

function basisOf(draws: { firstSeeds: number[] } | undefined, perDataset: boolean): string {
  if (draws && perDataset) return `mean of ${draws.firstSeeds.length} draws (first seeds ${draws.firstSeeds.join(", ")})`;
  return draws ? `first draw only (first seed ${draws.firstSeeds[0]}; this file keeps no per-dataset figures over draws)` : "one draw";
}

/** Refuses a pair that cannot be compared dataset by dataset: other kinds, other pools, other datasets. */
function checkPair(baseline: ComparableResult, candidate: ComparableResult, names: { baseline: string; candidate: string }): void {
  if (baseline.kind !== candidate.kind) {
    throw new InputError(`${names.baseline} is a ${baseline.kind} evaluation, ${names.candidate} a ${candidate.kind} evaluation`, undefined, "compare two ranking evaluations, or two --trials evaluations");
  }
  if (baseline.minEpochs !== candidate.minEpochs) {
    const pools = (n: number) => (n ? `runs of at least ${n} epochs` : "every run");
    throw new InputError(`${names.baseline} scored pools of ${pools(baseline.minEpochs)}, ${names.candidate} of ${pools(candidate.minEpochs)}`, undefined, "evaluate both with the same --min-epochs");
  }
  if (baseline.objective !== candidate.objective)
    throw new InputError(`${names.baseline} picked for ${baseline.objective}, ${names.candidate} for ${candidate.objective}: their figures measure different things`, undefined, "evaluate both with the same --objective");
  const ids = [...baseline.values.keys()];
  const onlyBase = ids.filter((id) => !candidate.values.has(id));
  const onlyCand = [...candidate.values.keys()].filter((id) => !baseline.values.has(id));
  if (onlyBase.length || onlyCand.length) {
    const says = [onlyBase.length ? `only in ${names.baseline}: ${onlyBase.join(", ")}` : "", onlyCand.length ? `only in ${names.candidate}: ${onlyCand.join(", ")}` : ""].filter(Boolean);
    throw new InputError(`the two results hold out different datasets (${says.join("; ")})`, undefined, "evaluate both on the same datasets (the same --train, --test and --datasets)");
  }
}

/** Compares candidate against baseline dataset by dataset; refuses results over different datasets. */
export function comparePaired(baseline: ComparableResult, candidate: ComparableResult, names = { baseline: "baseline", candidate: "candidate" }): Comparison {
  checkPair(baseline, candidate, names);
  const ids = [...baseline.values.keys()];
  const shared = new Set(candidate.metrics.map((m) => m.name));
  const metrics = baseline.metrics.filter((m) => shared.has(m.name));
  if (!metrics.length) throw new InputError("the two results share no figure to compare", undefined, "for studies, use the same --trials list");
  const paired = metrics.map((m): PairedMetric => {
    const b = ids.map((id) => baseline.values.get(id)![m.name]);
    const c = ids.map((id) => candidate.values.get(id)![m.name]);
    const diffs = c.map((x, i) => x - b[i]);
    const difference = mean(diffs);
    const interval = bootstrapMeanInterval(diffs);
    const better = (d: number) => (m.higherIsBetter ? d > 1e-12 : d < -1e-12);
    const worse = (d: number) => (m.higherIsBetter ? d < -1e-12 : d > 1e-12);
    const wins = diffs.filter(better).length;
    const losses = diffs.filter(worse).length;
    const verdict = better(interval[0]) && better(interval[1]) ? "better" : worse(interval[0]) && worse(interval[1]) ? "worse" : "inside the noise";
    return { name: m.name, higherIsBetter: m.higherIsBetter, baseline: mean(b), candidate: mean(c), difference, interval, wins, losses, ties: ids.length - wins - losses, verdict };
  });
  const first = metrics[0].name;
  const largest = ids
    .map((datasetId) => ({ datasetId, baseline: baseline.values.get(datasetId)![first], candidate: candidate.values.get(datasetId)![first] }))
    .filter((d) => d.baseline !== d.candidate)
    .sort((x, y) => Math.abs(y.candidate - y.baseline) - Math.abs(x.candidate - x.baseline));
  return { kind: baseline.kind, datasets: ids, basis: { baseline: baseline.basis, candidate: candidate.basis }, metrics: paired, largest };
}

/**
 * Pools several pairs (e.g. the 22 datasets' finished-run pools and the 6 micro validation datasets) into one
 * comparison over all their datasets, so a candidate is judged on every dataset of a regime at once. Each pair is
 * checked on its own (same kind, pools and datasets); a dataset id that occurs in two pairs is told apart by the
 * pair's number ("BCT (2)"). Only the figures every pair has are compared.
 */
export function poolPairs(pairs: readonly { baseline: ComparableResult; candidate: ComparableResult; names: { baseline: string; candidate: string } }[]): {
  baseline: ComparableResult;
  candidate: ComparableResult;
} {
  if (!pairs.length) throw new InputError("no pair of results to compare", undefined, "give a baseline and a candidate file");
  for (const p of pairs) checkPair(p.baseline, p.candidate, p.names);
  const kinds = new Set(pairs.map((p) => p.baseline.kind));
  const objectives = new Set(pairs.map((p) => p.baseline.objective));
  if (objectives.size > 1) throw new InputError(`the pairs were picked for different objectives (${[...objectives].join(", ")})`, undefined, "pool pairs evaluated with the same --objective");
  if (kinds.size > 1) throw new InputError("the pairs mix ranking and study evaluations", undefined, "pool pairs of one kind: ranking evaluations, or --trials evaluations with the same --trials");
  const seen = new Map<string, number>();
  for (const p of pairs) for (const id of p.baseline.values.keys()) seen.set(id, (seen.get(id) ?? 0) + 1);
  const key = (id: string, k: number) => (seen.get(id)! > 1 ? `${id} (${k + 1})` : id);
  const common = pairs[0].baseline.metrics.filter((m) => pairs.every((p) => [p.baseline, p.candidate].every((r) => r.metrics.some((n) => n.name === m.name))));
  const merge = (side: "baseline" | "candidate"): ComparableResult => ({
    kind: pairs[0][side].kind,
    // Pools may differ between pairs (finished runs, then micro's); within each they were checked equal.
    minEpochs: pairs[0][side].minEpochs,
    objective: pairs[0][side].objective,
    basis: pairs.map((p, k) => (pairs.length > 1 ? `(${k + 1}) ${p.names[side]}: ` : "") + p[side].basis).join("; "),
    metrics: common,
    values: new Map(pairs.flatMap((p, k) => [...p[side].values].map(([id, v]) => [key(id, k), v] as [string, Record<string, number>]))),
  });
  return { baseline: merge("baseline"), candidate: merge("candidate") };
}

export function renderComparison(c: Comparison, names = { baseline: "baseline", candidate: "candidate" }): string {
  const lines = [
    `Paired comparison over ${c.datasets.length} held-out datasets (candidate − baseline per dataset; 90% bootstrap interval over datasets)`,
    `  ${names.baseline}: ${c.basis.baseline}`,
    `  ${names.candidate}: ${c.basis.candidate}`,
    "",
    `  ${"figure".padEnd(20)}${"baseline".padStart(9)}${"candidate".padStart(10)}  ${"difference [90%]".padEnd(26)}${"wins/losses/ties".padEnd(18)}verdict`,
  ];
  for (const m of c.metrics) {
    const diff = `${signed(m.difference)} [${signed(m.interval[0])}, ${signed(m.interval[1])}]`;
    lines.push(`  ${m.name.padEnd(20)}${m.baseline.toFixed(3).padStart(9)}${m.candidate.toFixed(3).padStart(10)}  ${diff.padEnd(26)}${`${m.wins}/${m.losses}/${m.ties}`.padEnd(18)}${m.verdict}`);
  }
  if (c.kind === "ranking") lines.push("  (catastrophic: the share of draws whose pick was catastrophic; lower is better)");
  if (c.largest.length) {
    const first = c.metrics[0].name;
    lines.push(`  Largest ${first} differences: ${c.largest.slice(0, 6).map((d) => `${d.datasetId} ${d.baseline.toFixed(2)} → ${d.candidate.toFixed(2)}`).join(", ")}`);
  } else lines.push(`  Every dataset has the same ${c.metrics[0].name} in both.`);
  return lines.join("\n");
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
