/**
 * A judge evaluation over a JSONL file of answers (e.g. `hporec batch` output): which lines are answers, the
 * verdict of each, pass rates, score distributions, and every failure with its reasons.
 */
import { CRITERIA, PASS_THRESHOLDS, type Criterion, type JudgeVerdict } from "./verdict.ts";

export interface JudgeItem {
  line: number;
  name?: string;
  answer: unknown;
}

export interface InputProblem {
  line: number;
  problem: string;
}

/**
 * Each line: a Recommendation, a batch line {ok, recommendation}, or a saved POST /v1/recommend response
 * {recommendation, judge, assumptions}. Failed batch lines are reported, not judged; other objects are malformed.
 */
export function readAnswers(text: string): { items: JudgeItem[]; malformed: InputProblem[]; batchFailures: InputProblem[] } {
  const items: JudgeItem[] = [];
  const malformed: InputProblem[] = [];
  const batchFailures: InputProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      malformed.push({ line, problem: `not JSON: ${(e as Error).message}` });
      return;
    }
    if (!v || typeof v !== "object" || Array.isArray(v)) return void malformed.push({ line, problem: "not a JSON object" });
    const o = v as Record<string, unknown>;
    const name = typeof o.name === "string" ? o.name : undefined;
    if (!("ok" in o)) {
      const inner = o.recommendation as Record<string, unknown> | undefined;
      if (inner && typeof inner === "object" && typeof (inner.recommendation as { model?: unknown } | undefined)?.model === "string")
        return void items.push({ line, answer: inner, name: nameOf(inner) });
      if (typeof (inner as { model?: unknown } | undefined)?.model === "string") return void items.push({ line, answer: o, name: nameOf(o) });
      return void malformed.push({ line, problem: "not a recommendation (no recommendation.model)" });
    }
    if (o.ok === true && o.recommendation !== undefined) return void items.push({ line, name, answer: o.recommendation });
    const err = o.error as { message?: unknown } | undefined;
    batchFailures.push({ line, problem: `batch line without a recommendation${typeof err?.message === "string" ? `: ${err.message}` : ""}` });
  });
  return { items, malformed, batchFailures };
}

function nameOf(o: Record<string, unknown>): string | undefined {
  const d = o.dataset as { name?: unknown } | undefined;
  return typeof d?.name === "string" ? d.name : undefined;
}

export interface Distribution {
  passRate: number;
  min: number;
  median: number;
  mean: number;
}

export interface Evaluation {
  judged: number;
  passed: number;
  passRate: number;
  criteria: Record<Criterion, Distribution>;
  /** Means of the LLM judge's 1-5 grades, over the answers it graded. */
  llm?: { graded: number; mean: Record<Criterion, number> };
  failures: { line: number; name?: string; scores: JudgeVerdict["scores"]; reasons: string[] }[];
}

export function evaluate(results: { item: JudgeItem; verdict: JudgeVerdict }[]): Evaluation {
  const n = results.length;
  const criteria = Object.fromEntries(
    CRITERIA.map((c) => {
      const xs = results.map((r) => r.verdict.scores[c]).sort((a, b) => a - b);
      const passing = xs.filter((x) => x >= PASS_THRESHOLDS[c] - 1e-9).length;
      return [c, { passRate: ratio(passing, n), min: xs[0] ?? NaN, median: xs.length ? (xs[(n - 1) >> 1] + xs[n >> 1]) / 2 : NaN, mean: ratio(xs.reduce((s, x) => s + x, 0), n) }];
    }),
  ) as Record<Criterion, Distribution>;
  const graded = results.flatMap((r) => (r.verdict.llm ? [r.verdict.llm] : []));
  const llm = graded.length
    ? { graded: graded.length, mean: Object.fromEntries(CRITERIA.map((c) => [c, ratio(graded.reduce((s, g) => s + g[c].score, 0), graded.length)])) as Record<Criterion, number> }
    : undefined;
  const failures = results
    .filter((r) => !r.verdict.pass)
    .map(({ item, verdict: v }) => ({
      line: item.line,
      name: item.name,
      scores: v.scores,
      // The reasons of the criteria that fell short: those are why it failed.
      reasons: CRITERIA.filter((c) => v.scores[c] < PASS_THRESHOLDS[c] - 1e-9).flatMap((c) => v.reasons[c].map((r) => `${c}: ${r}`)),
    }));
  const passed = n - failures.length;
  return { judged: n, passed, passRate: ratio(passed, n), criteria, llm, failures };
}

const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(4)) : NaN);
