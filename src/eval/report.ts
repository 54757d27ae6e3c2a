/**
 * `hporec eval --report <dir>`: a Markdown report with tables and three Vega-Lite plots, written from the
 * EvaluationResult alone (so a saved `--json` can be re-reported). Each file is written atomically; the folder
 * is not swapped as a whole because a user may point --report at a folder holding other files.
 */
import { leftOutNote } from "./protocol.ts";
import path from "node:path";
import { renderSvg, type TopLevelSpec } from "../plot/render.ts";
import { writeFileAtomic, writeJsonAtomic } from "../util/atomic.ts";
import { randomTrialsToMatch } from "./random-search.ts";
import type { Baseline, EvaluationResult } from "./types.ts";

export const REPORT_FILES = {
  markdown: "report.md",
  json: "result.json",
  scores: "scores.svg",
  randomSearch: "random-search.svg",
  cost: "cost.svg",
} as const;

/** Scores below this are drawn at it: one bad dataset at −8 would otherwise squash every other point. */
const SCORE_FLOOR = -1;

export async function writeReport(dir: string, result: EvaluationResult): Promise<void> {
  const svgs = {
    scores: await renderSvg(scoresSpec(result)),
    randomSearch: await renderSvg(randomSearchSpec(result)),
    cost: costRows(result).length ? await renderSvg(costSpec(result)) : undefined,
  };
  // Plots first, the report that links them last, so a reader never follows a link to a missing plot.
  writeFileAtomic(path.join(dir, REPORT_FILES.scores), svgs.scores);
  writeFileAtomic(path.join(dir, REPORT_FILES.randomSearch), svgs.randomSearch);
  if (svgs.cost) writeFileAtomic(path.join(dir, REPORT_FILES.cost), svgs.cost);
  writeJsonAtomic(path.join(dir, REPORT_FILES.json), result);
  writeFileAtomic(path.join(dir, REPORT_FILES.markdown), markdown(result, svgs.cost !== undefined));
}

const f = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? "—" : x.toFixed(digits));
const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
const table = (header: string[], rows: (string | number)[][]) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");

function markdown(result: EvaluationResult, withCostPlot: boolean): string {
  const h = result.hporec;
  const match = matchingN(result);
  const skipped = result.baselines.filter((b) => b.kind === "skipped");
  const lines = [
    `# hporec evaluation: ${result.test ? `train ${result.train}, test ${result.test}` : result.train}`,
    "",
    `Protocol: ${result.mode}; objective: ${result.objective}; metric: ${result.metric.name} (${result.metric.direction}imised); ` +
      `${h.datasets.length} held-out datasets${result.leftOut ? `; ${leftOutNote(result.leftOut)}` : ""}.`,
    "Normalised score = (y − median) / (max − median) over the held-out dataset's runs (1 = best run, 0 = median); " +
      "regret = (max − y) / (max − min); a pick with regret > 0.3 is catastrophic. Random search and TPE are " +
      "expectations (exact for random search, mean over seeds for TPE); their catastrophic column is an expected count.",
    "",
    "## Summary",
    "",
    table(
      ["method", "top-1 mean", "top-1 median", "top-3 mean", "top-5 mean", "regret mean", "catastrophic", "speedup (geo. mean)"],
      [
        summaryRow("hporec", { name: "hporec", kind: "ranking", ...h }),
        ...result.baselines.filter((b) => b.kind !== "skipped").map((b) => summaryRow(b.name, b)),
      ],
    ),
    ...skipped.map((b) => `\n${b.name}: ${b.reason}`),
    "",
    `Random search needs ${match === undefined ? `more than ${result.randomSearchCurve.length}` : match} evaluations ` +
      `(mean expected score over datasets) to match hporec's mean top-1 score of ${f(h.aggregate.top1.mean)}.`,
    "",
    ...drawsSection(result),
    "## Per dataset (hporec)",
    "",
    table(
      ["dataset", "candidates", "top-1", "top-3", "top-5", "regret", "catastrophic", "pick s", "best s", "speedup", "accuracy given up", "random-search N to match"],
      h.datasets.map((d) => [
        d.datasetId,
        d.nCandidates,
        f(d.top1),
        f(d.top3),
        f(d.top5),
        f(d.regret),
        d.catastrophic ? "yes" : "no",
        f(d.cost.pickSeconds, 0),
        f(d.cost.bestSeconds, 0),
        f(d.cost.speedup, 2),
        f(d.cost.accuracyGivenUp, 2),
        d.randomSearchN ?? "never",
      ]),
    ),
    "",
    "## Plots",
    "",
    `![Normalised score per dataset](${REPORT_FILES.scores})`,
    "",
    `![Random search: expected score vs evaluations](${REPORT_FILES.randomSearch})`,
    "",
    withCostPlot ? `![Training time of the pick vs the most accurate run](${REPORT_FILES.cost})` : "No training costs recorded: no cost plot.",
    "",
  ];
  return lines.join("\n");
}

/** `--draws k`: each draw's hporec figures and their mean (the rest of the report is the first draw). */
function drawsSection(result: EvaluationResult): string[] {
  const w = result.draws;
  if (!w) return [];
  const ci = (x: { mean: number; interval: [number, number] }) => `${f(x.mean)} [${f(x.interval[0], 2)}, ${f(x.interval[1], 2)}]`;
  return [
    `## Over ${w.firstSeeds.length} seed draws`,
    "",
    "The same evaluation with other seeds for the ensemble's members; the rest of this report is the first draw. The mean row's interval is over datasets, of each dataset's mean over draws.",
    "",
    table(
      ["draw (first seed)", "top-1", "top-3", "top-5", "catastrophic"],
      [...w.perDraw.map((d) => [d.firstSeed, f(d.top1), f(d.top3), f(d.top5), d.catastrophic]), ["**mean**", ci(w.top1), ci(w.top3), ci(w.top5), f(w.catastrophic, 1)]],
    ),
    ...(w.catastrophicSomewhere.length ? ["", `Catastrophic in at least one draw: ${w.catastrophicSomewhere.join(", ")}.`] : []),
    "",
  ];
}

function summaryRow(name: string, b: Exclude<Baseline, { kind: "skipped" }>): (string | number)[] {
  if (b.kind === "expected") {
    const a = b.aggregate;
    return [name, f(a.score.mean), f(a.score.median), "—", "—", f(a.regret.mean), f(a.catastrophic, 1), "—"];
  }
  const a = b.aggregate;
  return [name, f(a.top1.mean), f(a.top1.median), f(a.top3.mean), f(a.top5.mean), f(a.regret.mean), a.catastrophic, f(a.speedup?.geometricMean, 2)];
}

/** Smallest N on the mean random-search curve reaching hporec's mean top-1 score; undefined beyond the curve. */
function matchingN(result: EvaluationResult): number | undefined {
  return randomTrialsToMatch(result.randomSearchCurve, result.hporec.aggregate.top1.mean);
}

/** (1) Top-1 (or expected) normalised score per dataset, one dot per method. */
function scoresSpec(result: EvaluationResult): TopLevelSpec {
  const values = [
    ...result.hporec.datasets.map((d) => ({ dataset: d.datasetId, method: "hporec", score: d.top1 })),
    ...result.baselines.flatMap((b) =>
      b.kind === "ranking"
        ? b.datasets.map((d) => ({ dataset: d.datasetId, method: b.name, score: d.top1 }))
        : b.kind === "expected"
          ? b.datasets.map((d) => ({ dataset: d.datasetId, method: b.name, score: d.score }))
          : [],
    ),
  ];
  const methods = [...new Set(values.map((v) => v.method))];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "Normalised score per dataset",
      subtitle: `top-1 pick; expectation for random search and TPE; scores below ${SCORE_FLOOR} drawn at ${SCORE_FLOOR}`,
    },
    data: { values },
    mark: { type: "point", filled: true, size: 60 },
    encoding: {
      y: { field: "dataset", type: "nominal", title: null },
      x: { field: "score", type: "quantitative", title: "normalised score", scale: { domain: [SCORE_FLOOR, 1], clamp: true } },
      color: { field: "method", type: "nominal", sort: methods },
      shape: { field: "method", type: "nominal", sort: methods },
    },
  };
}

/** (2) Mean expected random-search score vs N, hporec's mean top-1 as a rule, the matching N marked. */
function randomSearchSpec(result: EvaluationResult): TopLevelSpec {
  const target = result.hporec.aggregate.top1.mean;
  const n = matchingN(result);
  const x = { field: "evaluations", type: "quantitative", title: "random-search evaluations N" } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Random search vs hporec (matched at N = ${n ?? `> ${result.randomSearchCurve.length}`})`,
    width: 400,
    layer: [
      {
        // Copies: vega tags the data objects it is given, and the result must stay as it was.
        data: { values: result.randomSearchCurve.map((p) => ({ ...p })) },
        mark: { type: "line", point: true },
        encoding: { x, y: { field: "score", type: "quantitative", title: "mean normalised score" } },
      },
      {
        data: { values: [{ score: target, label: `hporec top-1 ${target.toFixed(2)}` }] },
        layer: [
          { mark: { type: "rule", color: "firebrick", strokeDash: [6, 3] }, encoding: { y: { field: "score", type: "quantitative" } } },
          {
            mark: { type: "text", align: "left", dx: 4, dy: -6, color: "firebrick" },
            encoding: { y: { field: "score", type: "quantitative" }, x: { datum: 1, type: "quantitative" }, text: { field: "label" } },
          },
        ],
      },
      ...(n === undefined
        ? []
        : [
            {
              data: { values: [{ evaluations: n, score: result.randomSearchCurve[n - 1].score }] },
              mark: { type: "point", shape: "diamond", size: 150, filled: true, color: "firebrick" },
              encoding: { x, y: { field: "score", type: "quantitative" } },
            } as const,
          ]),
    ],
  } as TopLevelSpec;
}

function costRows(result: EvaluationResult) {
  return result.hporec.datasets
    .filter((d) => (d.cost.pickSeconds ?? 0) > 0 && (d.cost.bestSeconds ?? 0) > 0)
    .flatMap((d) => [
      { dataset: d.datasetId, run: "hporec pick", seconds: d.cost.pickSeconds },
      { dataset: d.datasetId, run: "most accurate run", seconds: d.cost.bestSeconds },
    ]);
}

/** (3) Training seconds of hporec's pick vs the most accurate run, per dataset, log scale (a dumbbell: points, no bar baseline, which a log axis lacks). */
function costSpec(result: EvaluationResult): TopLevelSpec {
  const x = { field: "dataset", type: "nominal", title: null } as const;
  const y = { field: "seconds", type: "quantitative", scale: { type: "log" }, title: "training seconds (log scale)" } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Training time: hporec's pick vs the most accurate run",
    data: { values: costRows(result) },
    layer: [
      { mark: { type: "line", color: "#bbb" }, encoding: { x, y, detail: { field: "dataset", type: "nominal" } } },
      {
        mark: { type: "point", filled: true, size: 80 },
        encoding: { x, y, color: { field: "run", type: "nominal", title: null }, shape: { field: "run", type: "nominal", title: null } },
      },
    ],
  } as TopLevelSpec;
}
