/**
 * Speed of the judge (issue 18 target: under 10 ms per answer, p50). Real answers of a pack for varied cards
 * (as in the judge corpus) are made first; then a freshly loaded engine judges each once, as `hporec judge` does
 * with a file (every dataset new to it: the meta-learner's region caches are cold), and once more (warm, as the
 * CLI and the server judge the answer they just computed). Judging = the rule judge plus the similar-dataset
 * lookup in the knowledge index (`judgeRecommendation`). References in the same run, so the figures can be read
 * on a loaded machine: the bare meta-learner prediction of the 132 configurations the judge scores, on a third
 * fresh engine; a fixed integer loop (how much CPU this run had).
 *
 *   npx tsx scripts/bench-judge.ts [--answers 200] [--pack models/default] [--json]
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkText } from "../src/judge/claims/check.ts";
import { varied } from "../src/judge/corpus/build.ts";
import { judgeRecommendation } from "../src/judge/judge.ts";
import { packKnowledge } from "../src/judge/pack-knowledge.ts";
import { sampleConfigurations } from "../src/recommend/candidates.ts";
import { loadEngine } from "../src/recommend/engine.ts";
import type { Recommendation } from "../src/recommend/schema.ts";
import { createRng } from "../src/util/random.ts";
import { cpuCalibration } from "./cpu-calibration.ts";

const { values: a } = parseArgs({
  options: {
    answers: { type: "string", default: "200" },
    pack: { type: "string", default: path.resolve(import.meta.dirname, "..", "models", "default") },
    json: { type: "boolean", default: false },
  },
});
const n = Number(a.answers);
const packDir = path.resolve(a.pack!);
const load0 = os.loadavg()[0];
const cpuMs = cpuCalibration();

// The answers, made by one engine and passed through JSON as a file of answers is.
const maker = (await loadEngine(packDir)).recommender;
const rng = createRng(18);
const answers: Recommendation[] = [];
for (let i = 0; i < n + 10; i++) answers.push(JSON.parse(JSON.stringify(await maker.recommend(varied(maker.pack, rng, i)))));

// Judged by a fresh engine: cold (first sight of each dataset), then warm.
const { recommender } = await loadEngine(packDir);
const ctx = { pack: recommender.pack, recommender };
const k = packKnowledge(recommender.pack, recommender);
const times = { cold: [] as number[], warm: [] as number[], text: [] as number[], predict: [] as number[] };
let failed = 0;
for (const [i, rec] of answers.entries()) {
  let t = performance.now();
  const v = await judgeRecommendation(rec, ctx);
  const cold = performance.now() - t;
  t = performance.now();
  await judgeRecommendation(rec, ctx);
  const warm = performance.now() - t;
  t = performance.now();
  checkText(rec, k.vocabulary, k.tolerances);
  const text = performance.now() - t;
  if (i < 10) continue; // JIT warm-up
  if (!v.pass) failed++;
  times.cold.push(cold);
  times.warm.push(warm);
  times.text.push(text);
}
// The floor: the same 4 + 128 configurations predicted by the bare meta-learner, on a third fresh engine.
const bare = (await loadEngine(packDir)).recommender.pack;
const reference = sampleConfigurations(bare.space.searchSpace, bare.space.models, 128, createRng(7));
for (const [i, rec] of answers.entries()) {
  const configs = [rec.recommendation, ...rec.alternatives].map((x) => ({ model: x.model, hyperparameters: x.hyperparameters }));
  const t = performance.now();
  bare.learner.predict(rec.dataset, [...configs, ...reference]);
  if (i >= 10) times.predict.push(performance.now() - t);
}

const q = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const summary = Object.fromEntries(Object.entries(times).map(([key, xs]) => [key, { p50: round(q(xs, 0.5)), p90: round(q(xs, 0.9)), p99: round(q(xs, 0.99)) }])) as Record<keyof typeof times, { p50: number; p90: number; p99: number }>;
const result = {
  machine: { cpus: os.cpus().length, loadavg1: load0, cpuCalibrationMs: round(cpuMs) },
  pack: recommender.pack.manifest.name,
  answers: n,
  failedVerdicts: failed,
  ms: summary,
  coldOverBarePrediction: round(summary.cold.p50 / summary.predict.p50),
};
if (a.json) console.log(JSON.stringify(result, null, 2));
else {
  const s = summary;
  console.log(`machine: ${result.machine.cpus} cpus, load ${load0.toFixed(1)}, 5e7-step integer loop ${cpuMs.toFixed(0)} ms (50-70 ms on an idle core); pack ${result.pack}; ${n} answers (${failed} failed the judge)`);
  console.log(`${s.cold.p50 < 10 ? "ok  " : "SLOW"} judge, first sight of each dataset (hporec judge <file>): p50 ${s.cold.p50} ms, p90 ${s.cold.p90} ms, p99 ${s.cold.p99} ms (target p50 < 10 ms)`);
  console.log(`     judge, warm (the answer just computed, as recommend/serve judge it): p50 ${s.warm.p50} ms, p90 ${s.warm.p90} ms; claims of the text alone p50 ${s.text.p50} ms`);
  console.log(`     reference: bare prediction of the 132 configurations the judge scores, cold: p50 ${s.predict.p50} ms (judge = ${result.coldOverBarePrediction}x it)`);
}

function round(x: number): number {
  return Number(x.toFixed(2));
}
