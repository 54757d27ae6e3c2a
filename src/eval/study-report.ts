/**
 * `hporec eval --trials … --report <dir>`: the best-so-far curve of every method (a Vega-Lite plot), a Markdown
 * table and the JSON result, each file written atomically (the folder may hold the user's other files).
 */
import { leftOutNote } from "./protocol.ts";
import path from "node:path";
import { renderSvg, type TopLevelSpec } from "../plot/render.ts";
import { writeFileAtomic, writeJsonAtomic } from "../util/atomic.ts";
import type { StudyEvaluation } from "./study-eval.ts";

export const STUDY_REPORT_FILES = { markdown: "report.md", json: "result.json", curve: "best-so-far.svg" } as const;

export async function writeStudyReport(dir: string, r: StudyEvaluation): Promise<void> {
  const svg = await renderSvg(curveSpec(r));
  writeFileAtomic(path.join(dir, STUDY_REPORT_FILES.curve), svg);
  writeJsonAtomic(path.join(dir, STUDY_REPORT_FILES.json), r);
  writeFileAtomic(path.join(dir, STUDY_REPORT_FILES.markdown), markdown(r));
}

function curveSpec(r: StudyEvaluation): TopLevelSpec {
  const values = r.aggregate.flatMap((a) => a.curve.map((c) => ({ method: a.method, n: c.n, mean: c.mean, lo: c.interval[0], hi: c.interval[1] })));
  const domain: number[] = [r.trials[0], r.trials[r.trials.length - 1]];
  const x = { field: "n", type: "quantitative" as const, title: "trials", scale: { type: "log" as const, domain } };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Best-so-far after n trials (${r.mode === "train-test" ? `test ${r.test}` : `${r.train}, leave-one-dataset-out`})`,
    width: 420,
    data: { values },
    layer: [
      { mark: { type: "area", opacity: 0.15 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color: { field: "method", type: "nominal" } } },
      { mark: { type: "line", point: true }, encoding: { x, y: { field: "mean", type: "quantitative", title: "mean normalised best-so-far" }, color: { field: "method", type: "nominal" } } },
    ],
  };
}

const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
/** One method's mean best-so-far after each n, with its interval, as a table row. */
const curveRow = (a: StudyEvaluation["aggregate"][number]) => row([a.method, ...a.curve.map((c) => `${c.mean.toFixed(3)} [${c.interval[0].toFixed(2)}, ${c.interval[1].toFixed(2)}]`)]);

function markdown(r: StudyEvaluation): string {
  return [
    `# hporec ask/tell evaluation: ${r.mode === "train-test" ? `train ${r.train}, test ${r.test}` : `${r.train}, leave-one-dataset-out`}`,
    "",
    `${r.datasets.length} held-out datasets${r.leftOut ? ` (${leftOutNote(r.leftOut)})` : ""}; each one's pool is its real runs.${r.parallel ? ` hporec and TPE asked for ${r.parallel} configurations at a time (n counts runs: after n runs, n / ${r.parallel} rounds).` : ""} Mean normalised best-so-far (1 = the pool's best run, 0 = its median) with a 90% bootstrap interval over datasets.`,
    "",
    row(["method", ...r.trials.map((n) => `n = ${n}`)]),
    row(["---", ...r.trials.map(() => "---")]),
    ...r.aggregate.map(curveRow),
    ...(r.skipped ? ["", `Optuna TPE: ${r.skipped}.`] : []),
    ...(r.draws
      ? [
          "",
          `Over ${r.draws.firstSeeds.length} seed draws of the ensemble's members (first seeds ${r.draws.firstSeeds.join(", ")}; the table above is the first draw), interval over datasets of each dataset's mean over draws:`,
          "",
          row(["method", ...r.trials.map((n) => `n = ${n}`)]),
          row(["---", ...r.trials.map(() => "---")]),
          ...r.draws.curves.map(curveRow),
          ...r.draws.perDraw.map((d) => row([`hporec, draw ${d.firstSeed}`, ...(d.curves.hporec ?? []).map((v) => v.toFixed(3))])),
        ]
      : []),
    "",
    `![best-so-far](${STUDY_REPORT_FILES.curve})`,
    "",
    "Per dataset, hporec's best-so-far and the run ids it asked for, in order, are in result.json (`datasets[].trajectory`).",
    "",
  ].join("\n");
}
