import { readFileSync } from "node:fs";
import { Command } from "commander";
import { loadPack } from "../../learner/pack.ts";
import { judgeRecommendation } from "../../judge/judge.ts";
import { evaluate, readAnswers, type Evaluation, type InputProblem } from "../../judge/evaluation.ts";
import { CRITERIA, PASS_THRESHOLDS } from "../../judge/verdict.ts";
import { createJsonGenerator, type LlmFlags } from "../../llm/llm-config.ts";
import { InputError } from "../../util/errors.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { addLlmOptions } from "../llm-options.ts";

type Flags = LlmFlags & { pack?: string; json?: boolean };

export function judgeCommand(): Command {
  const cmd = new Command("judge")
    .description("judge a file of recommendations (one JSON per line, e.g. hporec batch output): pass rates, score distributions, every failure")
    .argument("<recommendations.jsonl>", "JSONL: each line a recommendation (hporec recommend --json, compacted) or a batch line {ok, recommendation}")
    .option("--pack <dir>", PACK_HELP)
    .option("--json", "print the evaluation as JSON");
  addLlmOptions(cmd);
  return cmd
    .addHelpText(
      "after",
      `\nRule judge (always): format, accuracy, completeness scored 0-1; an answer passes with format >= ${PASS_THRESHOLDS.format}, ` +
        `accuracy >= ${PASS_THRESHOLDS.accuracy}, completeness >= ${PASS_THRESHOLDS.completeness}.\n` +
        "With --llm/--llm-url, an LLM also grades each answer 1-5 per criterion (reported, not used for pass/fail).\n" +
        "Exit code 2 only when the file is unusable (missing, or no line is an answer).",
    )
    .action(
      action(async (file: string, o: Flags) => {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch (e) {
          throw new InputError(`cannot read the file: ${(e as Error).message}`, file);
        }
        const { items, malformed, batchFailures } = readAnswers(text);
        if (!items.length)
          throw new InputError(
            `no recommendation to judge (${malformed.length} malformed, ${batchFailures.length} failed batch lines)`,
            file,
            "pass hporec batch output or recommend --json answers, one JSON object per line",
          );
        const pack = loadPack(resolvePackDir(o.pack));
        const generator = createJsonGenerator(o);
        try {
          const results = [];
          for (const item of items) results.push({ item, verdict: await judgeRecommendation(item.answer, { pack }, generator) });
          const ev = evaluate(results);
          if (o.json) return printJson({ file, ...ev, malformed, batchFailures, verdicts: results.map((r) => ({ line: r.item.line, ...r.verdict })) });
          process.stdout.write(renderEvaluation(file, ev, malformed, batchFailures));
        } finally {
          await generator?.dispose();
        }
      }),
    );
}

function renderEvaluation(file: string, ev: Evaluation, malformed: InputProblem[], batchFailures: InputProblem[]): string {
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const lines = [
    `${file}: ${ev.passed} of ${ev.judged} answers pass (${pct(ev.passRate)})${malformed.length ? `; ${malformed.length} malformed lines` : ""}${batchFailures.length ? `; ${batchFailures.length} failed batch lines` : ""}`,
    "",
    "criterion      pass    min     median  mean",
    ...CRITERIA.map((c) => {
      const d = ev.criteria[c];
      return `${c.padEnd(14)} ${pct(d.passRate).padEnd(7)} ${d.min.toFixed(2).padEnd(7)} ${d.median.toFixed(2).padEnd(7)} ${d.mean.toFixed(2)}`;
    }),
  ];
  if (ev.llm) lines.push("", `LLM judge (1-5, ${ev.llm.graded} graded): ${CRITERIA.map((c) => `${c} ${ev.llm!.mean[c].toFixed(1)}`).join(", ")}`);
  if (ev.failures.length) {
    lines.push("", "Failures:");
    for (const f of ev.failures) {
      lines.push(`  line ${f.line}${f.name ? ` (${f.name})` : ""}: format ${f.scores.format.toFixed(2)}, accuracy ${f.scores.accuracy.toFixed(2)}, completeness ${f.scores.completeness.toFixed(2)}`);
      lines.push(...f.reasons.map((r) => `    - ${r}`));
    }
  }
  const problems = [...malformed.map((m) => ({ ...m, kind: "malformed" })), ...batchFailures.map((m) => ({ ...m, kind: "not judged" }))].sort((a, b) => a.line - b.line);
  if (problems.length) lines.push("", "Lines not judged:", ...problems.map((p) => `  line ${p.line} (${p.kind}): ${p.problem}`));
  return lines.join("\n") + "\n";
}
