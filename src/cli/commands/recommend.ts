import { Command } from "commander";
import { loadEngine } from "../../recommend/engine.ts";
import { formatSeconds } from "../../recommend/constraints.ts";
import type { Recommendation, RecommendedConfig } from "../../recommend/schema.ts";
import { fmt } from "../../util/format.ts";
import { writeJsonAtomic } from "../../util/atomic.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { addDatasetOptions, datasetFromFlags, flagAssumptions, type DatasetFlags } from "../dataset-input.ts";
import { addConstraintOptions, constraintsFromFlags, type ConstraintFlags } from "../constraint-options.ts";
import { intOption } from "../options.ts";
import { checkOutKind } from "../out-file.ts";
import { addLlmOptions } from "../llm-options.ts";
import { createJsonGenerator, type LlmFlags } from "../../llm/llm-config.ts";
import type { JsonGenerator } from "../../llm/json-generator.ts";
import { extractDatasetRequest } from "../../llm/extract/llm-extract.ts";
import { datasetFromPartialCard } from "../../chat/dataset-from-text.ts";
import { judgedLlmWriter } from "../../recommend/llm-writer.ts";
import type { RecommendRequest } from "../../recommend/request.ts";
import type { Constraints } from "../../recommend/constraints.ts";
import { judgeRecommendation, verdictLine } from "../../judge/judge.ts";
import { InputError } from "../../util/errors.ts";

type Flags = DatasetFlags & ConstraintFlags & LlmFlags & { importance?: boolean; pack?: string; json?: boolean; candidates: number; spaceOut?: string; embedModel?: string; ask?: string };

export function recommendCommand(): Command {
  const cmd = new Command("recommend")
    .description("recommend a pretrained model and every hyperparameter for a new dataset, with evidence (no trial is run)")
    .option("--pack <dir>", PACK_HELP)
    .option("--candidates <n>", "configurations sampled from the search space (plus winners of similar datasets)", intOption("--candidates", 10, 200000), 2000)
    .option("--space-out <file>", "write the reduced search space for a follow-up HPO run as JSON")
    .option("--embed-model <gguf>", "GGUF embedding model the pack's index was built with (env HPOREC_EMBED_MODEL)")
    .option("--ask <text>", 'describe the dataset and limits in words, e.g. "3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours"')
    .option("--importance", "add the tunability game for this dataset (which hyperparameters are worth tuning here; ~1 s) and refine the reduced space by it")
    .option("--json", "print the recommendation as JSON (schema: hporec recommend --json | jq 'keys')");
  addDatasetOptions(cmd);
  addConstraintOptions(cmd);
  addLlmOptions(cmd);
  return cmd
    .addHelpText(
      "after",
      "\nExamples:\n  hporec recommend --samples 3000 --classes 7\n  hporec recommend --samples 12000 --classes 45 --domain remote_sensing --budget-s 3600\n" +
        "  hporec recommend --dataset card.yaml --models beit_base_patch16_384,volo_d1_384 --fix batch_size=32 --json\n  hporec recommend --images ./my-images --objective balanced\n" +
        '  hporec recommend --ask "about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours" --llm model.gguf\n\n' +
        "With --llm or --llm-url, the LLM chooses among the top candidates and writes the justification (source: llm);\n" +
        "an answer the rule judge fails (a false or missing claim included) is written once more with the judge's reasons,\n" +
        "then replaced by the deterministic answer with a warning. Every answer carries the judge's verdict.",
    )
    .action(
      action(async (o: Flags) => {
        if (o.spaceOut) checkOutKind(o.spaceOut, "--space-out", ".json", [o.dataset]);
        const packDir = resolvePackDir(o.pack);
        const { recommender } = await loadEngine(packDir, { embedModel: o.embedModel });
        const generator = createJsonGenerator(o);
        try {
          const models = recommender.pack.space.models;
          const { dataset, constraints, assumptions } = o.ask ? await fromWords(o, models, generator) : { dataset: datasetFromFlags(o), constraints: {}, assumptions: flagAssumptions(o) };
          const req = { dataset, constraints: { ...constraints, ...constraintsFromFlags(o, models) }, objective: o.objective, riskAversion: o.risk, prior: o.prior, samples: o.candidates, seed: o.seed, importance: o.importance };
          const rec = await recommender.recommend(req, generator ? judgedLlmWriter(generator, recommender, { seed: o.seed }) : {});
          rec.warnings.push(...assumptions.map((a) => `assumed ${a}`));
          rec.verdict = await judgeRecommendation(rec, { pack: recommender.pack, recommender }, generator, { seed: o.seed });
          if (o.spaceOut) writeJsonAtomic(o.spaceOut, rec.reducedSpace);
          if (o.json) return printJson(rec);
          process.stdout.write(renderRecommendation(rec, o.spaceOut));
        } finally {
          await generator?.dispose();
        }
      }),
    );
}

/** --ask: the dataset and constraints from a sentence (the LLM under a grammar when configured, else the parser). */
async function fromWords(o: Flags, models: string[], generator?: JsonGenerator): Promise<{ dataset: RecommendRequest["dataset"]; constraints: Constraints; assumptions: string[] }> {
  const other = [o.dataset, o.images, o.csv, o.samples ?? o.classes].some((v) => v !== undefined);
  if (other) throw new InputError("give the dataset one way: --ask or the dataset flags, not both", "--ask");
  const { request } = await extractDatasetRequest(o.ask!, { generator, knownModels: models, seed: o.seed });
  const { dataset, assumptions } = datasetFromPartialCard(request.card, "--ask");
  return { dataset: { ...dataset, name: o.name ?? dataset.name }, constraints: request.constraints, assumptions };
}

/** One aligned row per alternative: each column as wide as its widest cell (ids run from "s1417" to "PLT_DOC-23"). */
function alternativeRows(r: Recommendation): string[] {
  const cells = r.alternatives.map((a) => [a.candidateId, a.model, predictedText(r, a), `≈ ${formatSeconds(a.predicted.seconds)}`, a.reason]);
  const widths = cells[0]?.map((_, j) => Math.max(...cells.map((c) => c[j].length))) ?? [];
  return cells.map((c) => `  ${c.map((x, j) => (j < c.length - 1 ? x.padEnd(widths[j]) : x)).join("  ")}`);
}

export function renderRecommendation(r: Recommendation, spaceOut?: string): string {
  const mf = r.dataset.metaFeatures;
  const what = [mf.n_samples && `${mf.n_samples} samples`, mf.n_classes && `${mf.n_classes} classes`, mf.image_size && `${Math.round(mf.image_size)} px`, r.dataset.domain, r.dataset.modality]
    .filter(Boolean)
    .join(", ");
  const rec = r.recommendation;
  const lines = [
    `Recommendation for ${r.dataset.name ?? "your dataset"} (${what})`,
    `  model            ${rec.model}`,
    `  predicted        ${predictedText(r, rec)}`,
    `  training time    ≈ ${formatSeconds(rec.predicted.seconds)}`,
    `  hyperparameters  ${hpText(rec)}`,
    "",
    wrap(`Why: ${r.justification}`, 100, "  "),
    "",
    "Alternatives:",
    ...alternativeRows(r),
    "",
    `Similar past datasets: ${r.similarDatasets.map((d) => `${d.id} (${d.similarity.toFixed(2)})`).join(", ")}`,
    ...trackRecordLine(r),
    `Evidence: ${r.evidence.map((e) => e.id).join(", ")}`,
    `Reduced search space for a follow-up HPO run: ${Object.keys(r.reducedSpace.hyperparameters).length} hyperparameters, ${r.reducedSpace.models.length} models, ${Object.keys(r.reducedSpace.fixed).length} fixed (${spaceOut ? `written to ${spaceOut}` : "--space-out file.json"})`,
    `${r.candidatesEvaluated} candidates scored; objective ${r.objective}; pack ${r.pack.name} (${r.pack.target} target)`,
  ];
  lines.push(r.llm && r.source === "llm" ? `Written by ${r.llm.model} (${r.llm.prompt}, ${r.llm.tokens.prompt} prompt + ${r.llm.tokens.completion} generated tokens, ${(r.llm.ms / 1000).toFixed(1)} s)` : "Written by the deterministic writer");
  if (r.verdict) lines.push(verdictLine(r.verdict));
  const imp = r.importanceForDataset;
  if (imp)
    lines.push(
      `Worth tuning on this dataset (tunability, ${imp.valueLabel}, baseline ${imp.baselineValue.toFixed(3)} -> tuned ${imp.tunedValue.toFixed(3)}): ` +
        imp.players.slice(0, 5).map((p) => `${p.name} ${(100 * p.share).toFixed(0)}%`).join(", "),
    );
  if (r.warnings.length) lines.push(...r.warnings.map((w) => `WARNING: ${w}`));
  return lines.join("\n") + "\n";
}

/** The record the answer rests on, in one line whoever wrote the justification (an LLM may leave it out). */
function trackRecordLine(r: Recommendation): string[] {
  const t = r.trackRecord;
  if (!t) return [];
  const s = t.smallerThanPast;
  const trials = (n?: number) => (n ? ` (≈ ${n} random trials)` : "");
  if (!s) return [`Track record on ${t.datasets} past datasets held out of training: ${t.acceptable} picks acceptable, mean score ${t.meanScore.toFixed(2)} (1 = the best run, 0 = the median)`];
  const study = s.study ? `; a ${s.study.trials}-trial study ${s.study.score.toFixed(2)}${trials(s.study.randomTrials)}` : "";
  return [
    `Track record on ${s.datasets} datasets this small (${s.source}, never trained on): pick ${s.meanScore.toFixed(2)}${trials(s.randomTrials)}, ${s.catastrophic} of ${s.datasets} far off; top three ${s.top3Score.toFixed(2)}${trials(s.randomTrialsTop3)}${study}`,
  ];
}

function predictedText(r: Recommendation, c: RecommendedConfig): string {
  const p = c.predicted;
  return Number.isFinite(p.metric) ? `${r.metric.name} ≈ ${p.metric.toFixed(1)} (${p.interval[0].toFixed(1)}–${p.interval[1].toFixed(1)})` : `score ${p.score.toFixed(3)} ± ${p.spread.toFixed(3)}`;
}

function hpText(c: RecommendedConfig): string {
  const parts = Object.entries(c.hyperparameters)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${fmt(v)}`);
  const out: string[] = [];
  let line = "";
  for (const p of parts) {
    if (line.length + p.length > 80) {
      out.push(line.trimEnd());
      line = "";
    }
    line += p + "  ";
  }
  out.push(line.trimEnd());
  return out.join("\n                   ");
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.length + w.length > width && line.trim()) {
      lines.push(line.trimEnd());
      line = indent + "  ";
    }
    line += w + " ";
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}
