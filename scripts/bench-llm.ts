/**
 * What the LLM path adds to a recommendation, on a local GGUF (default: the tiny stories260K test model):
 * load time, prompt size in tokens, generation speed, and wall time per grammar-constrained answer.
 *   npx tsx scripts/bench-llm.ts [model.gguf] [--runs 20] [--threads N]   (default: the runtime's default)
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { recommendChoiceSchema } from "../src/llm/answer-schemas.ts";
import { LlamaRuntime } from "../src/llm/llama-runtime.ts";
import { renderPrompt } from "../src/llm/prompts.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: "string", default: "20" }, threads: { type: "string" } },
});
const model = positionals[0] ?? path.resolve(process.env.HPOREC_TEST_MODELS ?? "../shared/models", "stories260K.gguf");
const runs = Number(values.runs);

// A prompt of realistic size: 5 candidates and 8 evidence lines, as the recommender will send.
const ids = ["c1", "c2", "c3", "c4", "c5"];
const evidence = Array.from({ length: 8 }, (_, i) => `E${i + 1}`);
const prompt = renderPrompt("recommend", {
  dataset: "samples 3000, classes 7, image size 224, channels 3, domain medical, modality image, imbalance ratio 6.0",
  candidates: ids
    .map((id, i) => `${id}: ${["convnext_tiny", "resnet50", "vit_small", "efficientnet_b0", "deit_small"][i]}, lr 3e-4, batch 64, opt adamw; predicted 0.${85 - i * 3} ± 0.0${2 + i}; cost ${20 + i * 7} min`)
    .join("\n"),
  evidence: evidence.map((e, i) => `${e}: lr in [1e-4, 1e-3] adds +0.0${i + 1} (SHAP) on datasets like this one`).join("\n"),
  constraints: "predicted training time at most 2.0 h",
  candidateIds: ids.join(", "),
  evidenceIds: evidence.join(", "),
});
const schema = recommendChoiceSchema(ids, evidence);

const runtime = new LlamaRuntime({ model, threads: values.threads ? Number(values.threads) : undefined, sequences: 1, contextSize: 2048 });
const info = await runtime.load();
const rows: Array<{ ms: number; prompt: number; completion: number; tps: number; ok: boolean }> = [];
for (let seed = 0; seed < runs; seed++) {
  const r = await runtime.generateJson({ prompt: prompt.text, schema, maxTokens: 400, temperature: 0.8, seed });
  rows.push({ ms: r.ms, prompt: r.tokens.prompt / r.attempts, completion: r.tokens.completion, tps: r.tokensPerSecond, ok: r.ok });
}
await runtime.dispose();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = rows[0];
const rest = rows.slice(1);
console.log(`model            ${path.basename(model)} (gpu: ${info.gpu}, threads ${info.threads}, context ${info.contextSize})`);
console.log(`load             ${info.loadMs.toFixed(0)} ms (binding + model + context)`);
console.log(`prompt           ${prompt.version}, ${prompt.text.length} chars, ${first.prompt} tokens`);
console.log(`first answer     ${first.ms.toFixed(0)} ms (includes compiling the grammar)`);
console.log(`per answer       median ${median(rest.map((r) => r.ms)).toFixed(0)} ms, max ${Math.max(...rest.map((r) => r.ms)).toFixed(0)} ms over ${rest.length} runs`);
console.log(`completion       median ${median(rows.map((r) => r.completion))} tokens`);
console.log(`speed            median ${median(rest.map((r) => r.tps)).toFixed(0)} completion tokens/s (wall time, prompt evaluation included)`);
console.log(`schema-valid     ${rows.filter((r) => r.ok).length}/${rows.length}`);
