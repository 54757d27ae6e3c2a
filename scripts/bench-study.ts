/**
 * Speed of `ask` with 20 results told (issue #14 target: p50 < 200 ms), against a warm zero-shot `recommend` of
 * the same request in the same run (the ratio holds whatever the machine's load). Engine loaded once, as in
 * `hporec serve`; the study's learner is prepared by the first ask (cold figure reported apart).
 *
 * With --failed k, k of the 20 are told as out-of-memory runs (each rules out configurations of its model and the
 * larger ones at its batch size: the failure rules' path).
 *
 *   node --import tsx scripts/bench-study.ts [--calls 40] [--failed 0] [--json]
 */
import { loadEngine } from "../src/recommend/engine.ts";
import { describeDataset } from "../src/metadata/describe/index.ts";
import { askStudy } from "../src/study/session.ts";
import { newStudy, studyPack, tell, type Study } from "../src/study/study.ts";
import { createRng } from "../src/util/random.ts";

const flag = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const calls = flag("--calls", 40);
const failed = flag("--failed", 0);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

const engine = await loadEngine();
const r = engine.recommender;
const d = describeDataset({ samples: 3000, classes: 30, imageSize: 224, channels: 3, domain: "plants" });
const request = { dataset: { metaFeatures: d.metaFeatures, domain: d.domain, modality: d.modality } };
let study: Study = newStudy("bench", studyPack(r.pack), request);

// 20 told results: the study's own suggestions, with outcomes from a seeded stand-in for training.
const rng = createRng(7);
const cold = await time(async () => void (study = (await askStudy(r, study, 1)).study));
for (let i = 0; i < 20; i++) {
  const { study: s, answer } = await askStudy(r, study, 1);
  const config = answer.suggestions[0].candidateId;
  study = tell(s, i % 7 === 3 && i / 7 < failed ? { config, failed: "oom" } : { config, value: 60 + 30 * rng.next(), seconds: 600 }).study;
}

const ask: number[] = [];
const recommend: number[] = [];
for (let i = 0; i < calls; i++) {
  ask.push(await time(() => askStudy(r, study, 3)));
  recommend.push(await time(() => r.recommend(request)));
}
const out = {
  trialsTold: study.trials.length,
  failed: study.trials.filter((t) => t.failed).length,
  calls,
  askMs: { p50: quantile(ask, 0.5), p90: quantile(ask, 0.9), coldFirstAsk: cold },
  recommendMs: { p50: quantile(recommend, 0.5), p90: quantile(recommend, 0.9) },
  ratioP50: quantile(ask, 0.5) / quantile(recommend, 0.5),
  targetP50Ms: 200,
};
if (process.argv.includes("--json")) console.log(JSON.stringify(out, null, 2));
else
  console.log(
    `ask (n=3, ${out.trialsTold} results told, ${out.failed} of them out of memory): p50 ${out.askMs.p50.toFixed(1)} ms, p90 ${out.askMs.p90.toFixed(1)} ms (first ask, cold: ${cold.toFixed(0)} ms)\n` +
      `recommend (same request, warm): p50 ${out.recommendMs.p50.toFixed(1)} ms, p90 ${out.recommendMs.p90.toFixed(1)} ms\n` +
      `ratio ask/recommend p50: ${out.ratioP50.toFixed(2)}; target ask p50 < 200 ms: ${out.askMs.p50 < 200 ? "met" : "missed"}`,
  );
