/**
 * Two packs served by the same code, compared request for request: each fresh card is recommended and judged
 * by both engines in alternating order, in one process, so drift of a shared machine hits both alike (the
 * sequential runs of bench-server.ts cannot tell a 20% pack effect from load). Reports ms per request for
 * recommend and for the rule judge, and the ratios b / a.
 *
 *   npx tsx scripts/bench-packs.ts --a <old pack> [--b models/default] [--requests 50] [--samples 2000] [--json]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ruleJudge } from "../src/judge/rule-judge.ts";
import { deriveMetaFeatures } from "../src/metadata/meta-features.ts";
import { loadEngine } from "../src/recommend/engine.ts";

const { values: v } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string", default: path.resolve(import.meta.dirname, "..", "models", "default") },
    requests: { type: "string", default: "50" },
    samples: { type: "string", default: "2000" },
    json: { type: "boolean", default: false },
  },
});
if (!v.a) {
  process.stderr.write("bench-packs: --a <pack dir> is required (the reference pack, e.g. a copy of models/default before a change)\n");
  process.exit(2);
}
const requests = Number(v.requests);
const samples = Number(v.samples);
const names = ["a", "b"] as const;
const engines = { a: (await loadEngine(v.a)).recommender, b: (await loadEngine(v.b)).recommender };
// Warm both (candidate blocks, region caches, compiled code), as a server does before it listens.
for (const k of names) await engines[k].warmUp(samples);

// Cards no past dataset has, so every request computes a fresh recommendation.
const card = (i: number) => ({ metaFeatures: deriveMetaFeatures({ n_samples: 2000 + 997 * i, n_classes: 20 + (i % 50), image_size: 128, channels: 3 }), modality: "image" });
const ms = { a: { recommend: 0, judge: 0 }, b: { recommend: 0, judge: 0 } };
for (let i = 0; i < requests; i++)
  for (const k of i % 2 ? names : [...names].reverse()) {
    const e = engines[k];
    const t0 = performance.now();
    const r = await e.recommend({ dataset: card(i), samples });
    const t1 = performance.now();
    ruleJudge(r, { pack: e.pack, recommender: e });
    ms[k].recommend += t1 - t0;
    ms[k].judge += performance.now() - t1;
  }
const per = (k: "a" | "b", what: "recommend" | "judge") => ms[k][what] / requests;
const out = {
  packs: { a: v.a, b: v.b },
  requests,
  samples,
  msPerRequest: { a: { recommend: per("a", "recommend"), judge: per("a", "judge") }, b: { recommend: per("b", "recommend"), judge: per("b", "judge") } },
  ratio: { recommend: per("b", "recommend") / per("a", "recommend"), judge: per("b", "judge") / per("a", "judge"), total: (per("b", "recommend") + per("b", "judge")) / (per("a", "recommend") + per("a", "judge")) },
};
if (v.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
else {
  for (const k of names) process.stdout.write(`${k} ${out.packs[k]}: recommend ${per(k, "recommend").toFixed(1)} ms, judge ${per(k, "judge").toFixed(1)} ms per request\n`);
  process.stdout.write(`b / a: recommend ${out.ratio.recommend.toFixed(2)}x, judge ${out.ratio.judge.toFixed(2)}x, together ${out.ratio.total.toFixed(2)}x (${requests} fresh cards, ${samples} samples)\n`);
}
