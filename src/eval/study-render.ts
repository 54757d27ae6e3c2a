/** The text table of `hporec eval --trials`: mean normalised best-so-far after n trials, per method. */
import { describeChoices } from "./nested.ts";
import { leftOutLines, poolNote } from "./protocol.ts";
import type { StudyEvaluation } from "./study-eval.ts";

export function renderStudyEvaluation(r: StudyEvaluation, seconds: number): string {
  const where = r.mode === "train-test" ? `train ${r.train}, test ${r.test}` : `${r.train}, leave-one-dataset-out`;
  const lines = [`hporec eval --trials: ${where}; ${r.datasets.length} held-out datasets${poolNote(r.minEpochs)}${r.parallel ? `; ${r.parallel} configurations asked at a time` : ""}; objective ${r.objective}; study: ${r.learn.acquisition} over ${r.experts} experts; ${seconds.toFixed(1)} s`, ...leftOutLines(r.leftOut), ""];
  const head = r.trials.map((n) => `n=${n}`.padStart(20)).join("");
  lines.push(`  ${"method".padEnd(14)}${head}`);
  for (const a of r.aggregate) lines.push(curveLine(a));
  if (r.skipped) lines.push(`  ${"optuna-tpe".padEnd(14)}${r.skipped}`);
  if (r.nested) lines.push("", `  ${describeChoices(r.nested)} (each fold's study starts from its choice)`);
  if (r.draws) {
    lines.push("", `  over ${r.draws.firstSeeds.length} seed draws (first seeds ${r.draws.firstSeeds.join(", ")}; the table above is the first draw):`);
    for (const a of r.draws.curves) lines.push(curveLine(a));
    for (const d of r.draws.perDraw) lines.push(`    draw ${String(d.firstSeed).padEnd(6)} hporec ${d.curves.hporec?.map((v) => v.toFixed(3)).join(" ") ?? "-"}`);
  }
  lines.push("");
  lines.push(`  ${"dataset".padEnd(14)} ${"runs".padStart(5)}  hporec best-so-far after ${r.trials.join(", ")} trials`);
  for (const d of r.datasets) lines.push(`  ${d.datasetId.padEnd(14)} ${String(d.nCandidates).padStart(5)}  ${d.bestSoFar.hporec!.map((v) => v.toFixed(2).padStart(6)).join("")}`);
  lines.push("");
  lines.push("  mean normalised best-so-far (1 = the pool's best run, 0 = its median) [90% bootstrap interval over datasets];");
  lines.push("  hporec: the study asks for a run, is told its real outcome, asks again; zero-shot: the first n of the zero-shot");
  lines.push("  ranking; random-search: exact expectation; optuna-tpe: mean over seeds. --json gives each dataset's trajectory.");
  return lines.join("\n") + "\n";
}

/** One method's mean best-so-far after each n, with its interval. */
function curveLine(a: StudyEvaluation["aggregate"][number]): string {
  return `  ${a.method.padEnd(14)}${a.curve.map((c) => `${c.mean.toFixed(3)} [${c.interval[0].toFixed(2)},${c.interval[1].toFixed(2)}]`.padStart(20)).join("")}`;
}
