/**
 * The full benchmark of issue #5: leave-one-dataset-out on Quick-Tune extended and on MedQuickTune, hporec
 * against every baseline (portfolio, meta-learner alone, random search N = 1/5/10/20, Optuna TPE N = 10/20),
 * for the accuracy objective; then hporec again under the balanced and cost objectives (pick speed-up versus
 * the most accurate run, and the accuracy given up). Prints the tables and the wall-clock times.
 *   npx tsx scripts/bench-eval.ts [--report out/eval] [--tpe-seeds 3] [--only quicktune-extended]
 * With --report, writes <dir>/<meta-dataset>/ (report.md, result.json, plots) per meta-dataset (accuracy).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { renderEvaluation } from "../src/cli/commands/eval.ts";
import { resolveDataDir } from "../src/cli/data-path.ts";
import { hporecRanker, metaLearnerRanker } from "../src/eval/hporec-ranker.ts";
import { evaluate } from "../src/eval/protocol.ts";
import { writeReport } from "../src/eval/report.ts";
import type { Objective } from "../src/eval/types.ts";
import { loadMetaDataset } from "../src/metadata/load.ts";
import { progress } from "../src/cli/progress.ts";

const { values: a } = parseArgs({
  options: {
    report: { type: "string" },
    "tpe-seeds": { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const names = a.only ? a.only.split(",") : ["quicktune-extended", "medquicktune"];
const summary: string[] = [];
const total0 = performance.now();

for (const name of names) {
  const md = loadMetaDataset(resolveDataDir(name));
  for (const objective of ["accuracy", "balanced", "cost"] as Objective[]) {
    const t0 = performance.now();
    const result = await evaluate({
      train: md,
      makeRanker: hporecRanker(),
      baselines: [{ name: "meta-learner", makeRanker: metaLearnerRanker() }],
      objective,
      // TPE and random search do not depend on the objective: run TPE once, with the accuracy pass.
      tpe: objective === "accuracy" ? { seeds: Number(a["tpe-seeds"]) } : false,
      progress,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (objective === "accuracy") {
      process.stdout.write(`\n=== ${name} ===\n` + renderEvaluation(result, seconds));
      if (a.report) await writeReport(path.join(a.report, name), result);
    }
    const h = result.hporec.aggregate;
    summary.push(
      `| ${name} | ${objective} | ${h.top1.mean.toFixed(3)} | ${h.top3.mean.toFixed(3)} | ${h.catastrophic} | ` +
        `${h.speedup ? h.speedup.geometricMean.toFixed(2) + "x" : "—"} | ${h.accuracyGivenUp.mean.toFixed(2)} | ${seconds.toFixed(0)} s |`,
    );
  }
}

console.log("\n| meta-dataset | objective | top-1 | top-3 | catastrophic | speed-up of pick (geo. mean) | accuracy given up (mean) | time |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const l of summary) console.log(l);
console.log(`\ntotal ${((performance.now() - total0) / 1000).toFixed(0)} s`);
