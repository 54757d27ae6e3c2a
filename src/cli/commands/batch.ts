import { Command } from "commander";
import { loadEngine } from "../../recommend/engine.ts";
import { readBatchFile, runBatch, type BatchLine } from "../../recommend/batch.ts";
import { DEFAULT_RISK_AVERSION } from "../../recommend/scoring.ts";
import type { Recommendation } from "../../recommend/schema.ts";
import { judgeRecommendation } from "../../judge/judge.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { intOption, numberOption } from "../options.ts";
import { progress, type Progress } from "../progress.ts";

type Flags = { pack?: string; out?: string; json?: boolean; candidates: number; seed: number; risk: number; embedModel?: string; judge: boolean };

export function batchCommand(): Command {
  return new Command("batch")
    .description("recommend for many new datasets: one JSON line per dataset card; a bad card fails its line, not the batch")
    .argument("<cards>", "CSV (header: name,samples,classes,imageSize,channels,depth,domain,modality[,budgetSeconds,allowModels,denyModels,objective]), JSONL (one card per line, optional constraints/objective) or a JSON array of such cards")
    .option("--pack <dir>", PACK_HELP)
    .option("--out <file>", "append results to this JSONL file; items done in it are skipped and items that failed in it run again (resume, or rerun after fixing the cards)")
    .option("--candidates <n>", "configurations sampled per dataset", intOption("--candidates", 10, 200000), 2000)
    .option("--risk <lambda>", "risk aversion: rank by mean - lambda * ensemble spread", numberOption("--risk", 0, 10), DEFAULT_RISK_AVERSION)
    .option("--seed <n>", "seed of the candidate sampling", intOption("--seed", 0, 2 ** 31 - 1), 1)
    .option("--no-judge", "do not attach the rule judge's verdict to each line")
    .option("--embed-model <gguf>", "GGUF embedding model the pack's index was built with (env HPOREC_EMBED_MODEL)")
    .option("--json", "print the end summary as JSON (on stdout with --out, else on stderr after the result lines)")
    .addHelpText(
      "after",
      "\nOutput lines: {line, name, ok: true, recommendation, verdict} or {line, name, ok: false, error: {message, where, hint}}.\n" +
        "Items are keyed by name (by line number when the name is missing or repeats). Model lists in a CSV are\n" +
        "separated by ';'. The exit code is 0 when the batch ran, whatever failed per line (see the summary).\n\n" +
        "Examples:\n  hporec batch cards.csv --out results.jsonl\n  hporec batch cards.jsonl > results.jsonl",
    )
    .action(
      action(async (file: string, o: Flags) => {
        const items = readBatchFile(file);
        const { recommender } = await loadEngine(resolvePackDir(o.pack), { embedModel: o.embedModel });
        let bar: Progress = { tick() {}, stop() {} };
        const failures: string[] = [];
        // Rule judge only: an LLM verdict per line would cost seconds per dataset (use `recommend --llm` for that).
        const judge = o.judge ? (rec: Recommendation) => judgeRecommendation(rec, { pack: recommender.pack, recommender }) : undefined;
        const summary = await runBatch(recommender, items, {
          out: o.out,
          request: { samples: o.candidates, seed: o.seed, riskAversion: o.risk },
          judge,
          onStart: (n) => (bar = progress("batch", n)),
          onItem: (r: BatchLine) => {
            if (!o.out) process.stdout.write(JSON.stringify(r) + "\n");
            bar.tick(1, `${r.name ?? `line ${r.line}`}${r.ok ? "" : " (failed)"}`);
            // The error's `where` starts with the line ("line 3: samples").
            if (!r.ok) failures.push(`  ${r.name ? `${r.name}, ` : ""}${r.error.where ?? `line ${r.line}`}: ${r.error.message}${r.error.hint ? ` (fix: ${r.error.hint})` : ""}`);
          },
        });
        bar.stop();
        if (o.json) {
          if (o.out) printJson({ ...summary, out: o.out });
          else process.stderr.write(JSON.stringify(summary) + "\n");
          return;
        }
        process.stderr.write(
          `batch: ${summary.ok} ok, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} already in ${o.out}` : ""}${summary.retried ? ` (${summary.retried} that had failed there ran again)` : ""} of ${summary.total} in ${summary.seconds.toFixed(1)} s${o.out ? ` -> ${o.out}` : ""}\n`,
        );
        const shown = 10;
        if (failures.length) process.stderr.write(`failed:\n${failures.slice(0, shown).join("\n")}${failures.length > shown ? `\n  … and ${failures.length - shown} more (the "error" of each line with "ok": false)` : ""}\n`);
      }),
    );
}
