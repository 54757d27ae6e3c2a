/**
 * Time the LLM path adds to a recommendation, measured in the same run: the deterministic pipeline alone, then
 * the same requests with the LLM writer (prompt tokens, tokens/s, generation time, and the pipeline time
 * excluding generation, which includes the writer's extra SHAP drivers for the shortlist).
 *   npx tsx scripts/bench-llm-recommend.ts [model.gguf] [--runs 10] [--threads 1] [--samples 2000]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { LlamaRuntime } from "../src/llm/llama-runtime.ts";
import { loadEngine } from "../src/recommend/engine.ts";
import { llmWriter } from "../src/recommend/llm-writer.ts";
import type { RecommendRequest } from "../src/recommend/request.ts";
import { DEFAULT_PACK } from "../src/cli/pack-path.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "10" }, threads: { type: "string", default: "1" }, samples: { type: "string", default: "2000" } },
});
const model = positionals[0] ?? path.resolve(process.env.HPOREC_TEST_MODELS ?? "../shared/models", "stories260K.gguf");
const runs = Number(values.runs);
const request = (seed: number): RecommendRequest => ({
  dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 }, domain: "medical" },
  samples: Number(values.samples),
  seed,
});

const { recommender } = await loadEngine(DEFAULT_PACK);
await recommender.recommend(request(0)); // warm-up: first predictions and SHAP allocate
const runtime = new LlamaRuntime({ model, threads: Number(values.threads), sequences: 1 });
const info = await runtime.load();

const rows: { plain: number; total: number; gen: number; prompt: number; completion: number; tps: number; llm: boolean }[] = [];
for (let seed = 1; seed <= runs; seed++) {
  let t = performance.now();
  await recommender.recommend(request(seed));
  const plain = performance.now() - t;
  t = performance.now();
  const rec = await recommender.recommend(request(seed), { writer: llmWriter(runtime, { seed }) });
  const total = performance.now() - t;
  const l = rec.llm!;
  rows.push({ plain, total, gen: l.ms, prompt: l.tokens.prompt / l.attempts, completion: l.tokens.completion, tps: l.tokensPerSecond, llm: rec.source === "llm" });
}
await runtime.dispose();

const median = (f: (r: (typeof rows)[number]) => number) => {
  const xs = rows.map(f).sort((a, b) => a - b);
  return (xs[(xs.length - 1) >> 1] + xs[xs.length >> 1]) / 2;
};
const ms = (v: number) => `${v.toFixed(0)} ms`;
console.log(`model               ${path.basename(model)} (threads ${info.threads}, context ${info.contextSize}, load ${ms(info.loadMs)})`);
console.log(`requests            ${runs}, ${values.samples} sampled candidates each; ${rows.filter((r) => r.llm).length}/${runs} answered by the LLM`);
console.log(`prompt              ${median((r) => r.prompt).toFixed(0)} tokens (median)`);
console.log(`generated           ${median((r) => r.completion).toFixed(0)} tokens at ${median((r) => r.tps).toFixed(1)} tokens/s (median; prompt evaluation included in the time)`);
console.log(`deterministic       ${ms(median((r) => r.plain))} per recommendation (median)`);
console.log(`with LLM, total     ${ms(median((r) => r.total))}`);
console.log(`  generation        ${ms(median((r) => r.gen))}`);
console.log(`  pipeline w/o gen  ${ms(median((r) => r.total - r.gen))}`);
console.log(`added by LLM path   ${ms(median((r) => r.total - r.plain))}`);
