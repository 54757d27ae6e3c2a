import { readFileSync } from "node:fs";
import { Command } from "commander";
import { loadEngine } from "../../recommend/engine.ts";
import { judgeRecommendation } from "../../judge/judge.ts";
import { evaluate, LLM_PASS_GRADE, readAnswers, type Evaluation, type InputProblem } from "../../judge/evaluation.ts";
import { CRITERIA, PASS_THRESHOLDS } from "../../judge/verdict.ts";
import { createJsonGenerator, type LlmFlags } from "../../llm/llm-config.ts";
import { InputError } from "../../util/errors.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { addLlmOptions } from "../llm-options.ts";
import { progress } from "../progress.ts";

type Flags = LlmFlags & { pack?: string; json?: boolean; embedModel?: string };

const WHAT_TO_PASS = "pass hporec batch output (e.g. hporec batch cards.csv --out answers.jsonl), recommend --json answers one per line, or one saved answer (hporec recommend --json > answer.json)";

export function judgeCommand(): Command {
  const cmd = new Command("judge")
    .description("judge a file of recommendations (one JSON per line, e.g. hporec batch output, or one saved answer): pass rates, score distributions, every failure")
    .argument("<recommendations>", "JSONL (each line a recommendation, hporec recommend --json compacted, or a batch line {ok, recommendation}), or one JSON document: a saved answer (hporec recommend --json > answer.json) or an array of them")
    .option("--pack <dir>", PACK_HELP)
    .option("--embed-model <gguf>", "GGUF embedding model the pack's index was built with (env HPOREC_EMBED_MODEL)")
    .option("--json", "print the evaluation as JSON (per line: verdicts[].pass, .problems, .claims)");
  addLlmOptions(cmd);
  return cmd
    .addHelpText(
      "after",
      `\nRule judge (always): format, accuracy, completeness scored 0-1; an answer passes with format >= ${PASS_THRESHOLDS.format}, ` +
        `accuracy >= ${PASS_THRESHOLDS.accuracy}, completeness >= ${PASS_THRESHOLDS.completeness}.\n` +
        "Accuracy: the pick against 128 reference configurations, every stated prediction recomputed by the recommender,\n" +
        "every claim of the text (model, metric and range, training time, hyperparameter values, SHAP contributions,\n" +
        "similar datasets and similarities, percentiles, 'within N points', constraints, dataset size) checked against\n" +
        "the answer, the similar datasets against the pack's knowledge index. A false claim fails the answer; a claim\n" +
        "the data cannot support ('better than about 100%') is flagged. Completeness: every hyperparameter in the space,\n" +
        "citations that exist, constraints respected, a text naming the recommended model and its predicted metric.\n" +
        `With --llm/--llm-url, an LLM also grades each answer 1-5 per criterion (advice, not pass/fail), and the report\n` +
        `gives Cohen's kappa between its grades (>= ${LLM_PASS_GRADE} = pass) and the rules per criterion.\n` +
        'Lines with a label {"kind": ..., "expect": "pass"|"fail"} (a corpus with known truth: npm run judge:corpus)\n' +
        "add the recall of false claims and the false-failure rate per kind.\n" +
        "Exit code 2 only when the file is unusable (missing, or no line is an answer).",
    )
    .action(
      action(async (file: string, o: Flags) => {
        let text: string;
        try {
          text = readFileSync(file, "utf8");
        } catch (e) {
          throw new InputError(`cannot read the file: ${(e as Error).message}`, file, WHAT_TO_PASS);
        }
        const { items, malformed, batchFailures } = readAnswers(text);
        if (!items.length)
          throw new InputError(
            `no recommendation to judge (${malformed.length} malformed, ${batchFailures.length} failed batch lines)`,
            file,
            WHAT_TO_PASS,
          );
        // The engine, not just the pack: the answers' similar datasets are checked against its knowledge index.
        const { recommender } = await loadEngine(resolvePackDir(o.pack), { embedModel: o.embedModel });
        const generator = createJsonGenerator(o);
        try {
          const results = [];
          // A corpus with an LLM judge takes 1-3 s per answer: show how far it is.
          const bar = progress("judge", items.length);
          for (const item of items) {
            results.push({ item, verdict: await judgeRecommendation(item.answer, { pack: recommender.pack, recommender }, generator) });
            bar.tick(1, `line ${item.line}`);
          }
          bar.stop();
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
  if (ev.llm) {
    const k = ev.llm.agreement;
    const kappa = (c: keyof typeof k.kappa) => `${c} ${k.kappa[c] === null ? "n/a" : k.kappa[c]!.toFixed(2)} (agree ${pct(k.agree[c])})`;
    lines.push("", `LLM judge (1-5, ${ev.llm.graded} graded): ${CRITERIA.map((c) => `${c} ${ev.llm!.mean[c].toFixed(1)}`).join(", ")}`);
    lines.push(`Agreement with the rules (Cohen's kappa, grade >= ${k.passGrade} = pass): ${[...CRITERIA, "overall" as const].map(kappa).join(", ")}`);
  }
  const t = ev.knownTruth;
  if (t) {
    lines.push("", `Known truth: recall of false claims ${pct(t.recall)}, false failures on untouched answers ${pct(t.falseFailureRate)}`, "kind                           expect  lines  failed  rate");
    for (const k of t.kinds) lines.push(`${k.kind.padEnd(30)} ${k.expect.padEnd(7)} ${String(k.n).padEnd(6)} ${String(k.failed).padEnd(7)} ${pct(k.rate)}`);
    for (const m of t.missed) lines.push(`  missed (line ${m.line}, ${m.kind})`);
    for (const f of t.falseFailures) lines.push(`  false failure (line ${f.line}, ${f.kind}): ${f.reasons[0] ?? ""}`);
  }
  if (ev.flagged.length) {
    lines.push("", `${ev.flagged.length} answers make claims the data cannot support (flagged, not failed):`);
    for (const f of ev.flagged.slice(0, 10)) lines.push(`  line ${f.line}${f.name ? ` (${f.name})` : ""}: ${f.flags.join("; ")}`);
    if (ev.flagged.length > 10) lines.push(`  ... and ${ev.flagged.length - 10} more (--json lists all)`);
  }
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
