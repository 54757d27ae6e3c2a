import { Command, Option } from "commander";
import { loadHistory, loadMetaDataset } from "../../metadata/load.ts";
import type { MetaDataset } from "../../metadata/schema.ts";
import { precheckTestSet } from "../../metadata/check.ts";
import { DEFAULT_PARAMS, Head } from "../../learner/meta-learner.ts";
import { evaluate, failedOnly, leftOutLines, poolNote } from "../../eval/protocol.ts";
import { EVAL_DEFAULTS, hporecRanker, metaLearnerRanker, type HporecRankerOptions } from "../../eval/hporec-ranker.ts";
import { writeReport } from "../../eval/report.ts";
import { DEFAULT_GRID, GRID_SETTINGS, describeChoices, nestedChooser, nestedRanker, type GridSetting, type NestedChoice } from "../../eval/nested.ts";
import { InputError } from "../../util/errors.ts";
import type { Baseline, EvaluationResult, LeftOut, Objective, RankedAggregate } from "../../eval/types.ts";
import type { TargetKind } from "../../learner/targets.ts";
import { action, printJson } from "../run.ts";
import { resolveDataDir } from "../data-path.ts";
import { intOption, numberOption, settingsOption } from "../options.ts";
import { progress as drawProgress, innerFoldLabels, type Progress } from "../progress.ts";
import type { ProgressFactory } from "../../util/progress.ts";
import { evaluateStudies, type StudyEvaluation } from "../../eval/study-eval.ts";
import { DRAW_SEED_STEP, drawSeeds, summariseDraws, summariseStudyDraws } from "../../eval/draws.ts";
import { renderStudyEvaluation } from "../../eval/study-render.ts";
import { writeStudyReport } from "../../eval/study-report.ts";
import { DEFAULT_LEARN, type Acquisition, type LearnSettings } from "../../study/learn.ts";
import { DEFAULT_EXPERTS, EXPERT_KINDS, type ExpertKind } from "../../study/experts.ts";
import { DEFAULT_HEAD_SHARE, type HeadShareRule } from "../../recommend/scoring.ts";

interface Flags {
  train: string;
  test?: string;
  datasets?: string;
  objective: Objective;
  target: TargetKind;
  seeds: number;
  firstSeed: number;
  draws: number;
  topWeight: number;
  head: Head;
  acceptThreshold: number;
  bag: number;
  modelDescriptors: boolean;
  headWeight: number;
  memberWeighting: number;
  pickHeadShare: number;
  smallDataHeadShare: number;
  minEpochs: number;
  trainMinEpochs: number;
  rounds: number;
  depth?: number;
  eta: number;
  treeMethod: "exact" | "approx" | "hist";
  risk: number;
  neighbours: number;
  prior: number;
  tpe: boolean;
  tpeSeeds: number;
  json?: boolean;
  report?: string;
  nested?: boolean;
  grid?: string;
  innerFolds: number;
  jobs: number;
  trials?: number[];
  acquisition: Acquisition;
  learn?: Partial<LearnSettings>;
  studyExperts: ExpertKind;
  parallel: number;
}

export function evalCommand(): Command {
  const d = EVAL_DEFAULTS;
  return new Command("eval")
    .description("leave-one-dataset-out (or train/test) evaluation of the recommender against baselines, on real runs")
    .option("--train <dir>", "training meta-dataset folder, or a name inside HPOREC_DATA", "quicktune-extended")
    .option("--test <dir>", "evaluate on every dataset of this meta-dataset (train once on --train); default: leave-one-dataset-out")
    .option("--datasets <ids>", "only hold out these datasets (comma-separated), e.g. a CI slice")
    .addOption(new Option("--objective <o>", "what the pick optimises").choices(["accuracy", "balanced", "cost"]).default("accuracy"))
    .addOption(new Option("--target <kind>", "meta-learner target").choices(["rank", "raw"]).default(d.target))
    .option("--seeds <n>", "outcome models in the seed ensemble per fold", intOption("--seeds", 1, 50), d.seeds)
    .option("--first-seed <n>", "seed of the first ensemble member (members use n, n+1, ...): rerun with another to see how much a figure owes to the seeds", intOption("--first-seed", 0, 1_000_000), d.firstSeed)
    .option("--draws <k>", `repeat the evaluation with k seed draws (first seeds n, n+${DRAW_SEED_STEP}, ...) and report the mean over draws: what to expect of the recipe rather than of one draw (k times slower)`, intOption("--draws", 1, 10), 1)
    .option("--top-weight <k>", "times a run in the top fifth of its dataset counts in training (1 = plain)", intOption("--top-weight", 1, 50), d.topWeight)
    .addOption(new Option("--head <kind>", "what ranks the candidates besides the outcome ensemble (see hporec train --help)").choices(Head.options).default(d.head))
    .option("--accept-threshold <r>", "regret up to which a past run counts as acceptable (--head acceptable)", numberOption("--accept-threshold", 0.01, 0.99), d.acceptThreshold)
    .option("--bag <f>", "fraction of the training datasets each ensemble member sees", numberOption("--bag", 0.1, 1), d.bag)
    .option("--model-descriptors", "model columns also carry each model's size, ImageNet accuracy and resolution (src/metadata/model-zoo.ts)", d.modelDescriptors)
    .option("--no-model-descriptors", "the model as a one-hot only")
    .option("--min-epochs <n>", "score each held-out dataset on its runs trained for at least n epochs only (e.g. 50: the finished runs of Quick-Tune extended, whose search stopped a third of its runs after one epoch); training is unchanged, and with --nested the inner cross-validation still scores all runs", intOption("--min-epochs", 0, 10_000), 0)
    .option("--train-min-epochs <n>", "experiment: train on the past runs trained for at least n epochs only (0 = every run)", intOption("--train-min-epochs", 0, 10_000), 0)
    .option("--member-weighting <s>", "weigh each ensemble member by the share of the card's neighbours it was trained on: (1 − s) + s × share (0 = equal weights)", numberOption("--member-weighting", 0, 1), d.memberWeighting)
    .option("--pick-head-share <s>", "experiment: with --head ranking or full-length, the head's share in the pick: (1 − s) × (mean − risk × spread) + s × the head's score (0 = off)", numberOption("--pick-head-share", 0, 1), 0)
    .option("--small-data-head-share <s>", "the ranking head's share in the pick for a held-out dataset smaller than every training dataset (in samples or samples per class); 0 = the pick of earlier releases", numberOption("--small-data-head-share", 0, 1), DEFAULT_HEAD_SHARE.share)
    .option("--head-weight <w>", "with --head acceptable and rank targets: the head's weight in the pick against the outcome mean (1 = the head alone)", numberOption("--head-weight", 0, 1), d.headWeight)
    .option("--rounds <n>", "boosting rounds per model", intOption("--rounds", 1, 5000), DEFAULT_PARAMS.n_estimators)
    .option("--depth <n>", `maximum tree depth (default: ${DEFAULT_PARAMS.max_depth})`, intOption("--depth", 1, 12))
    .option("--eta <x>", "learning rate", numberOption("--eta", 1e-4, 1), DEFAULT_PARAMS.eta)
    .addOption(new Option("--tree-method <m>", "xgboost tree method").choices(["exact", "approx", "hist"]).default(DEFAULT_PARAMS.tree_method))
    .option("--risk <x>", "risk aversion: rank by mean - x * spread", numberOption("--risk", 0, 10), d.riskAversion)
    .option("--neighbours <n>", "similar training datasets retrieved per held-out dataset", intOption("--neighbours", 1, 100), d.neighbours)
    .option("--prior <w>", "weight of the retrieval prior (winners of similar datasets); 0 = off", numberOption("--prior", 0, 10), d.prior)
    .option("--nested", "nested evaluation: in each outer fold an inner cross-validation over the training datasets chooses among the grid's settings (slow, see README); with --trials, each fold's study starts from that choice")
    .option("--grid <names>", `grid settings to choose among, comma-separated, from: ${GRID_SETTINGS.map((g) => g.name).join(", ")} (default: ${DEFAULT_GRID.map((g) => g.name).join(", ")})`)
    .option("--inner-folds <k>", "inner cross-validation folds (groups of training datasets)", intOption("--inner-folds", 2, 50), 5)
    .option("--jobs <n>", "processes running inner folds at once (1 = none)", intOption("--jobs", 1, 64), 2)
    .option("--no-tpe", "leave out the Optuna TPE baseline")
    .option("--tpe-seeds <n>", "Optuna TPE seeds per dataset", intOption("--tpe-seeds", 1, 100), 3)
    .option("--trials <list>", "ask/tell evaluation instead: normalised best-so-far after each number of trials (e.g. 1,3,5,10,20), the study asking for runs of each held-out dataset's pool and told their real outcomes", trialList)
    .addOption(new Option("--acquisition <a>", "with --trials: how the study chooses once results are told: improvement (the zero-shot ranking until a result falls short of its prediction and a past dataset orders the results better than the zero-shot model, then where the weighted experts expect most above the best told) or blend (the re-weighted ranking mixed with the zero-shot one; the default before 2026-11-30, with --learn local=0.5)").choices(["improvement", "blend"]).default(DEFAULT_LEARN.acquisition))
    .option("--learn <k=v,...>", `with --trials: override the study's learning settings (src/study/learn.ts), e.g. leadAfterShortfall=false,leadMargin=2; keys: ${Object.keys(DEFAULT_LEARN).join(", ")}`, settingsOption("--learn", DEFAULT_LEARN, { acquisition: ["improvement", "blend"], beforeLead: ["blend", "zero-shot"] }))
    .option("--parallel <k>", "with --trials: the study asks for k configurations at a time (k parallel workers) and is told all k before asking again (Optuna TPE likewise, with k workers and its constant liar); best-so-far still counts runs, so after n runs means n / k rounds", intOption("--parallel", 1, 50), 1)
    .addOption(new Option("--study-experts <kind>", "with --trials: the past-dataset experts a study weighs: their cards through the meta-learner, their own runs, or both").choices([...EXPERT_KINDS]).default(DEFAULT_EXPERTS))
    .option("--json", "print the full result as JSON")
    .option("--report <dir>", "write a Markdown report with tables and vega-lite plots")
    .addHelpText(
      "after",
      "\nExamples:\n  hporec eval --train quicktune-extended\n  hporec eval --train medquicktune --json\n" +
        "  hporec eval --train quicktune-extended --datasets BCT,BRD --no-tpe\n  hporec eval --train quicktune-extended --no-tpe --draws 3   (mean over three seed draws)\n  hporec eval --train quicktune-extended --trials 1,3,5,10,20 --json\n  hporec eval --train quicktune-extended --test my-holdout --report out/eval",
    )
    .action(
      action(async (o: Flags, cmd: Command) => {
        refuseIdleFlags(cmd, o);
        const testHistory = o.test ? loadHistory(resolveDataDir(o.test, "--test")) : undefined;
        const test = testHistory?.metaDataset;
        // Datasets of the test set with failed runs only: no figure can include them, so they are named.
        const unusable = testHistory ? failedOnly(testHistory.metaDataset, testHistory.failures) : [];
        const withUnusable = <R extends { leftOut?: LeftOut[] }>(r: R): R => (unusable.length ? { ...r, leftOut: [...unusable, ...(r.leftOut ?? [])] } : r);
        const heldOut = o.datasets?.split(",").map((s) => s.trim()).filter(Boolean);
        let train = loadMetaDataset(resolveDataDir(o.train, "--train"));
        if (test) {
          const pre = precheckTestSet(train, test, heldOut);
          for (const w of pre.warnings) process.stderr.write(`hporec: ${w}\n`);
          train = pre.train;
        }
        const params = { tree_method: o.treeMethod, n_estimators: o.rounds, eta: o.eta, ...(o.depth ? { max_depth: o.depth } : {}) };
        const opts: HporecRankerOptions = { target: o.target, seeds: o.seeds, firstSeed: o.firstSeed, topWeight: o.topWeight, head: o.head, acceptThreshold: o.acceptThreshold, bag: o.bag, modelDescriptors: o.modelDescriptors, headWeight: o.headWeight, memberWeighting: o.memberWeighting, headShare: headShareRule(o.pickHeadShare, o.smallDataHeadShare), trainMinEpochs: o.trainMinEpochs, params, riskAversion: o.risk, neighbours: o.neighbours, prior: o.prior };
        const grid = o.grid ? gridSettings(o.grid) : DEFAULT_GRID;
        const choices: NestedChoice[] = [];
        const nestedInfo = () => ({ grid: grid.map((g) => ({ name: g.name, options: { ...g.options } })), innerFolds: o.innerFolds, choices });
        // Nested folds are slow (minutes each): the outer bar's label follows the current fold's inner jobs.
        let bar: Progress | undefined;
        const progress: ProgressFactory = (title, total) => (bar = drawProgress(title, total));
        const labels = innerFoldLabels(() => bar, o.innerFolds);
        const nestedOpts = {
          folds: o.innerFolds,
          jobs: o.jobs,
          onInnerJob: labels.onInnerJob,
          onChoice: (c: NestedChoice) => {
            choices.push(c);
            labels.onChosen(c.chosen);
          },
        };
        const seeds = drawSeeds(o.draws, o.firstSeed);
        if (o.trials) {
          const trials = o.trials;
          const t0 = performance.now();
          const runs: StudyEvaluation[] = [];
          for (const [j, firstSeed] of seeds.entries()) {
            const ranker = { ...opts, firstSeed };
            const choose = o.nested ? nestedChooser(grid, { ...nestedOpts, base: ranker }) : undefined;
            const chooseRanker = choose && (async (training: MetaDataset, objective: Objective) => (await choose(training, objective)).setting.options);
            // Random search and TPE do not depend on the draw: computed once.
            runs.push(await evaluateStudies({ train, test, datasets: heldOut, minEpochs: o.minEpochs, trials, objective: o.objective, ranker, chooseRanker, learn: { ...DEFAULT_LEARN, acquisition: o.acquisition, ...o.learn }, experts: o.studyExperts, parallel: o.parallel, tpe: j === 0 && o.tpe ? { seeds: o.tpeSeeds } : false, progress }));
          }
          const studied = seeds.length > 1 ? { ...runs[0], draws: summariseStudyDraws(seeds, runs[0].trials, runs.map((r) => r.datasets)) } : runs[0];
          const r = withUnusable(o.nested ? { ...studied, nested: nestedInfo() } : studied);
          const seconds = (performance.now() - t0) / 1000;
          if (o.report) await writeStudyReport(o.report, r);
          if (o.json) return printJson({ ...r, seconds });
          process.stdout.write(renderStudyEvaluation(r, seconds));
          if (o.report) process.stdout.write(`\nreport written: ${o.report}\n`);
          return;
        }
        // Train/test: the ranker states ranges calibrated on the training datasets, as a pack does. Leave-one-out:
        // the evaluation judges the jackknife+ range (the other held-out datasets' residuals) instead.
        const t0 = performance.now();
        const runs: EvaluationResult[] = [];
        for (const [j, firstSeed] of seeds.entries()) {
          const drawOpts = { ...opts, firstSeed };
          const makeRanker = o.nested ? nestedRanker(grid, { ...nestedOpts, base: drawOpts }) : hporecRanker(drawOpts, test ? "cv" : "none");
          // Nested: the fixed default recipe on the same outer folds is the reference. Baselines once, on the first draw.
          const first = j === 0;
          const baselines = !first ? [] : o.nested ? [{ name: "default recipe", makeRanker: hporecRanker(drawOpts) }] : [{ name: "meta-learner", makeRanker: metaLearnerRanker(drawOpts) }];
          runs.push(await evaluate({ train, test, makeRanker, baselines, datasets: heldOut, minEpochs: o.minEpochs, objective: o.objective, tpe: first && o.tpe ? { seeds: o.tpeSeeds } : false, ...(first ? {} : { randomSearch: [] }), progress }));
        }
        const evaluated = seeds.length > 1 ? { ...runs[0], draws: summariseDraws(seeds, runs.map((r) => r.hporec.datasets)) } : runs[0];
        const result: EvaluationResult = withUnusable(o.nested ? { ...evaluated, nested: nestedInfo() } : evaluated);
        const seconds = (performance.now() - t0) / 1000;
        if (o.report) await writeReport(o.report, result);
        if (o.json) return printJson({ ...result, seconds });
        process.stdout.write(renderEvaluation(result, seconds));
        if (o.report) process.stdout.write(`\nreport written: ${o.report}\n`);
      }),
    );
}

const f2 = (v: number) => v.toFixed(2);
const f3 = (v: number) => v.toFixed(3);

export function renderEvaluation(r: EvaluationResult, seconds: number): string {
  const lines: string[] = [];
  const where = r.mode === "train-test" ? `train ${r.train}, test ${r.test}` : `${r.train}, leave-one-dataset-out`;
  lines.push(`hporec eval: ${where}; ${r.hporec.datasets.length} held-out datasets${poolNote(r.minEpochs)}; metric ${r.metric.name}; objective ${r.objective}; ${seconds.toFixed(1)} s`);
  lines.push(...leftOutLines(r.leftOut), "");
  lines.push(`  ${"dataset".padEnd(14)} ${"runs".padStart(5)} ${"top1".padStart(6)} ${"top3".padStart(6)} ${"top5".padStart(6)} ${"regret".padStart(7)} ${"speedup".padStart(8)} ${"gave up".padStart(8)} ${"= random".padStart(8)}`);
  for (const d of r.hporec.datasets) {
    const sp = d.cost.speedup === null ? "-" : `${d.cost.speedup.toFixed(2)}x`;
    lines.push(
      `  ${d.datasetId.padEnd(14)} ${String(d.nCandidates).padStart(5)} ${f2(d.top1).padStart(6)} ${f2(d.top3).padStart(6)} ${f2(d.top5).padStart(6)} ${f3(d.regret).padStart(7)}${d.catastrophic ? "!" : " "}${sp.padStart(8)} ${f3(d.cost.accuracyGivenUp).padStart(8)} ${(d.randomSearchN === null ? "-" : String(d.randomSearchN)).padStart(8)}`,
    );
  }
  lines.push("");
  const ci = (x: { mean: number; interval: [number, number] }) => `${f3(x.mean)} [${f2(x.interval[0])},${f2(x.interval[1])}]`;
  lines.push(`  ${"ranker".padEnd(20)} ${"top1 [90% CI]".padEnd(18)} ${"top3 [90% CI]".padEnd(18)} ${"top5".padStart(6)} ${"regret".padStart(7)} ${"catastr. [CI]".padEnd(14)} ${"speedup".padStart(8)} ${"gave up".padStart(8)}`);
  const ranked = (name: string, a: RankedAggregate) =>
    `  ${name.padEnd(20)} ${ci(a.top1).padEnd(18)} ${ci(a.top3).padEnd(18)} ${f3(a.top5.mean).padStart(6)} ${f3(a.regret.mean).padStart(7)} ${`${a.catastrophic} [${a.catastrophicInterval.map((v) => v.toFixed(0)).join(",")}]`.padEnd(14)} ${(a.speedup ? `${a.speedup.geometricMean.toFixed(2)}x` : "-").padStart(8)} ${f3(a.accuracyGivenUp.mean).padStart(8)}`;
  lines.push(ranked(r.nested ? "hporec (nested)" : "hporec", r.hporec.aggregate));
  for (const b of r.baselines) lines.push(baselineLine(b, ranked, ci));
  const held = coverageLine(r.hporec.aggregate.coverage);
  if (held) lines.push("", held);
  if (r.nested) lines.push("", `  ${describeChoices(r.nested)}`);
  if (r.draws) {
    const w = r.draws;
    lines.push("", `  over ${w.firstSeeds.length} seed draws (first seeds ${w.firstSeeds.join(", ")}; the tables above are the first draw):`);
    lines.push(`  ${"hporec (mean)".padEnd(20)} ${ci(w.top1).padEnd(18)} ${ci(w.top3).padEnd(18)} ${f3(w.top5.mean).padStart(6)} ${"".padStart(7)} ${`${w.catastrophic.toFixed(1)} per draw`}`);
    for (const d of w.perDraw) lines.push(`    draw ${String(d.firstSeed).padEnd(6)} top1 ${f3(d.top1)}  top3 ${f3(d.top3)}  top5 ${f3(d.top5)}  catastrophic ${d.catastrophic}${d.coverage ? `  in the stated range ${d.coverage.covered}/${d.coverage.of}` : ""}`);
    if (w.catastrophicSomewhere.length) lines.push(`    catastrophic in at least one draw: ${w.catastrophicSomewhere.join(", ")}`);
  }
  lines.push("");
  lines.push("  top1/3/5: mean normalised score of the pick / best of the first 3 / 5 (1 = best run, 0 = median run);");
  lines.push("  [90% CI]: bootstrap interval of the mean over held-out datasets (what another set of datasets could give);");
  lines.push("  expected baselines (random search, TPE) report the expected best found after N evaluations under top1;");
  lines.push("  catastrophic: regret > 0.3 (expected count for random search / TPE); speedup: geometric mean of");
  lines.push("  (training time of the most accurate run / of the pick); gave up: metric points below the best run;");
  lines.push("  = random: random-search evaluations whose expected best matches the pick on that dataset.");
  return lines.join("\n") + "\n";
}

/** How often the pick's real outcome fell inside the 80% range hporec stated (or, where it states none, jackknife+'s). */
export function coverageLine(c: RankedAggregate["coverage"]): string | undefined {
  if (!c) return undefined;
  const range = c.stated ? "stated for the pick" : "of the pick (jackknife+ from the other held-out datasets' errors; the ranker states none)";
  return `  ${Math.round(c.level * 100)}% range ${range}: held its real outcome on ${c.covered} of ${c.of} held-out datasets`;
}

function baselineLine(b: Baseline, ranked: (name: string, a: RankedAggregate) => string, ci: (x: RankedAggregate["top1"]) => string): string {
  if (b.kind === "ranking") return ranked(b.name, b.aggregate);
  if (b.kind === "skipped") return `  ${b.name.padEnd(20)} ${b.reason}`;
  const a = b.aggregate;
  return `  ${b.name.padEnd(20)} ${ci(a.score).padEnd(18)} ${"".padEnd(18)} ${"".padStart(6)} ${f3(a.regret.mean).padStart(7)} ${a.catastrophic.toFixed(1).padEnd(14)}`;
}

/** The two head-share flags as one rule: a share on every dataset (the experiment) overrides the small-data share. */
function headShareRule(everywhere: number, smallerThanPast: number): HeadShareRule {
  return everywhere > 0 ? { share: everywhere, where: "everywhere" } : { share: smallerThanPast, where: "smaller-than-past" };
}

/** Flags that only act in one mode: given without it, they would change nothing while the user thinks they did. */
const MODE_FLAGS: { mode: string; given: (o: Flags) => boolean; flags: [keyof Flags, string][]; fix: string }[] = [
  { mode: "--trials", given: (o) => Boolean(o.trials), flags: [["acquisition", "--acquisition"], ["learn", "--learn"], ["parallel", "--parallel"], ["studyExperts", "--study-experts"]], fix: "add --trials (e.g. --trials 1,3,5,10,20) for the ask/tell evaluation, or drop the flag" },
  { mode: "--nested", given: (o) => Boolean(o.nested), flags: [["grid", "--grid"], ["innerFolds", "--inner-folds"], ["jobs", "--jobs"]], fix: "add --nested for the nested evaluation, or drop the flag" },
  // The nested grid's acceptable-head settings read them too.
  { mode: "--head acceptable (or --nested)", given: (o) => o.head === "acceptable" || Boolean(o.nested), flags: [["acceptThreshold", "--accept-threshold"], ["headWeight", "--head-weight"]], fix: "add --head acceptable, or drop the flag" },
];

function refuseIdleFlags(cmd: Command, o: Flags): void {
  for (const { mode, given, flags, fix } of MODE_FLAGS) {
    if (given(o)) continue;
    const idle = flags.filter(([key]) => cmd.getOptionValueSource(key) === "cli").map(([, flag]) => flag);
    if (idle.length) throw new InputError(`${idle.join(", ")} only ${idle.length > 1 ? "act" : "acts"} with ${mode}, which is not given: the evaluation would ignore ${idle.length > 1 ? "them" : "it"}`, idle[0], fix);
  }
}

/** "1,3,5,10,20": distinct positive trial counts, at most 200. */
function trialList(value: string): number[] {
  const parts = value.split(",").map((v) => v.trim()).filter(Boolean);
  const ns = parts.map(Number);
  if (!ns.length || ns.some((n) => !Number.isInteger(n) || n < 1 || n > 200))
    throw new InputError(`--trials must be comma-separated whole numbers from 1 to 200, got "${value}"`, "--trials", "e.g. --trials 1,3,5,10,20");
  return [...new Set(ns)].sort((a, b) => a - b);
}

/** The named settings of the declared grid; an unknown name is an input error listing the known ones. */
function gridSettings(names: string): GridSetting[] {
  const wanted = names.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((n) => !GRID_SETTINGS.some((g) => g.name === n));
  if (unknown.length || !wanted.length)
    throw new InputError(`unknown grid setting(s): ${unknown.join(", ") || "(none given)"}`, "--grid", `choose among: ${GRID_SETTINGS.map((g) => g.name).join(", ")}`);
  return GRID_SETTINGS.filter((g) => wanted.includes(g.name));
}
