/**
 * A judge evaluation over a JSONL file of answers (e.g. `hporec batch` output): which lines are answers, the
 * verdict of each, pass rates, score distributions, every failure with its reasons, claims the data cannot
 * support, the LLM judge's agreement with the rules (Cohen's kappa) and, for labelled lines (a corpus with known
 * truth, see corpus/), the judge's recall of false claims and its false-failure rate per kind.
 */
import { cohensKappa } from "./agreement.ts";
import { CRITERIA, PASS_THRESHOLDS, whyFailed, type Criterion, type JudgeVerdict } from "./verdict.ts";
import { isJsonObject, readJsonEntries } from "../util/json-entries.ts";

/** What a corpus line is known to be: untouched (expect pass) or carrying one kind of false claim (expect fail). */
export interface Label {
  kind: string;
  expect: "pass" | "fail";
  /** Whose phrasing the text has: the deterministic writer's or an LLM's. */
  style?: string;
  pack?: string;
}

export interface JudgeItem {
  line: number;
  name?: string;
  answer: unknown;
  label?: Label;
}

export interface InputProblem {
  line: number;
  problem: string;
}

/**
 * Each line: a Recommendation, a batch line {ok, recommendation}, or a saved POST /v1/recommend response
 * {recommendation, judge, assumptions}. Failed batch lines are reported, not judged; other objects are malformed.
 * A file that is one JSON document (`hporec recommend --json > answer.json`, pretty-printed over many lines, or an
 * array of answers) is read as that document; its entries are numbered 1, 2, … in place of lines.
 */
export function readAnswers(text: string): { items: JudgeItem[]; malformed: InputProblem[]; batchFailures: InputProblem[] } {
  const items: JudgeItem[] = [];
  const malformed: InputProblem[] = [];
  const batchFailures: InputProblem[] = [];
  const add = (line: number, o: unknown) => {
    if (!isJsonObject(o)) return void malformed.push({ line, problem: "not a JSON object" });
    const name = typeof o.name === "string" ? o.name : undefined;
    const label = labelOf(o.label);
    if (!("ok" in o)) {
      const inner = o.recommendation as Record<string, unknown> | undefined;
      if (inner && typeof inner === "object" && typeof (inner.recommendation as { model?: unknown } | undefined)?.model === "string")
        return void items.push({ line, answer: inner, name: nameOf(inner) });
      if (typeof (inner as { model?: unknown } | undefined)?.model === "string") return void items.push({ line, answer: o, name: nameOf(o) });
      return void malformed.push({ line, problem: "not a recommendation (no recommendation.model)" });
    }
    if (o.ok === true && o.recommendation !== undefined) return void items.push({ line, name, answer: o.recommendation, ...(label && { label }) });
    const err = o.error as { message?: unknown } | undefined;
    batchFailures.push({ line, problem: `batch line without a recommendation${typeof err?.message === "string" ? `: ${err.message}` : ""}` });
  };
  for (const e of readJsonEntries(text)) {
    if ("error" in e) malformed.push({ line: e.line, problem: `not JSON: ${e.error}` });
    else add(e.line, e.value);
  }
  return { items, malformed, batchFailures };
}

function labelOf(v: unknown): Label | undefined {
  const l = v as Partial<Label> | undefined;
  if (!l || typeof l.kind !== "string" || (l.expect !== "pass" && l.expect !== "fail")) return undefined;
  return { kind: l.kind, expect: l.expect, ...(typeof l.style === "string" && { style: l.style }), ...(typeof l.pack === "string" && { pack: l.pack }) };
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
  /** Means of the LLM judge's 1-5 grades, over the answers it graded, and its agreement with the rules. */
  llm?: { graded: number; mean: Record<Criterion, number>; agreement: Agreement };
  failures: { line: number; name?: string; scores: JudgeVerdict["scores"]; reasons: string[] }[];
  /** Answers carrying claims the data cannot support (reported, not failed). */
  flagged: { line: number; name?: string; flags: string[] }[];
  /** Per kind of a labelled corpus: how many lines, how many failed (recall for false claims, false failures for untouched lines). */
  knownTruth?: KnownTruth;
}

/** An LLM grade at or above this counts as a pass when compared with the rules' pass/fail. */
export const LLM_PASS_GRADE = 3;

/** Cohen's kappa per criterion (and for the overall pass) between the rules' pass/fail and the LLM's grade >= 3. */
export interface Agreement {
  passGrade: number;
  /** null when undefined (one judge gave the same verdict to every answer). */
  kappa: Record<Criterion | "overall", number | null>;
  /** Share of answers on which both agree. */
  agree: Record<Criterion | "overall", number>;
}

export interface KindTruth {
  kind: string;
  expect: "pass" | "fail";
  n: number;
  failed: number;
  /** failed / n: the recall of a false-claim kind, the false-failure rate of an untouched kind. */
  rate: number;
}

export interface KnownTruth {
  kinds: KindTruth[];
  /** Over all lines expected to fail. */
  recall: number;
  /** Over all lines expected to pass. */
  falseFailureRate: number;
  /** Lines whose verdict contradicts their label (at most 20 of each). */
  missed: { line: number; kind: string; reasons: string[] }[];
  falseFailures: { line: number; kind: string; reasons: string[] }[];
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
    ? {
        graded: graded.length,
        mean: Object.fromEntries(CRITERIA.map((c) => [c, ratio(graded.reduce((s, g) => s + g[c].score, 0), graded.length)])) as Record<Criterion, number>,
        agreement: agreement(results.map((r) => r.verdict)),
      }
    : undefined;
  const failures = results
    .filter((r) => !r.verdict.pass)
    .map(({ item, verdict: v }) => ({
      line: item.line,
      name: item.name,
      scores: v.scores,
      reasons: whyFailed(v),
    }));
  const passed = n - failures.length;
  const flagged = results.filter((r) => r.verdict.flags?.length).map(({ item, verdict }) => ({ line: item.line, name: item.name, flags: verdict.flags! }));
  const labelled = results.filter((r) => r.item.label);
  return { judged: n, passed, passRate: ratio(passed, n), criteria, llm, failures, flagged, ...(labelled.length && { knownTruth: knownTruth(labelled) }) };
}

function agreement(verdicts: JudgeVerdict[]): Agreement {
  const graded = verdicts.filter((v) => v.llm);
  const pairs = (c: Criterion | "overall"): [boolean, boolean][] =>
    graded.map((v) =>
      c === "overall"
        ? [v.pass, CRITERIA.every((k) => v.llm![k].score >= LLM_PASS_GRADE)]
        : [v.scores[c] >= PASS_THRESHOLDS[c] - 1e-9, v.llm![c].score >= LLM_PASS_GRADE],
    );
  const keys = [...CRITERIA, "overall"] as const;
  const kappa = Object.fromEntries(keys.map((c) => [c, nullable(cohensKappa(pairs(c)))])) as Agreement["kappa"];
  const agree = Object.fromEntries(keys.map((c) => [c, ratio(pairs(c).filter(([a, b]) => a === b).length, graded.length)])) as Agreement["agree"];
  return { passGrade: LLM_PASS_GRADE, kappa, agree };
}

function knownTruth(results: { item: JudgeItem; verdict: JudgeVerdict }[]): KnownTruth {
  const byKind = new Map<string, KindTruth>();
  const missed: KnownTruth["missed"] = [];
  const falseFailures: KnownTruth["falseFailures"] = [];
  for (const { item, verdict } of results) {
    const { kind, expect } = item.label!;
    const k = byKind.get(kind) ?? { kind, expect, n: 0, failed: 0, rate: 0 };
    byKind.set(kind, k);
    k.n++;
    if (!verdict.pass) k.failed++;
    const wrong = expect === "fail" ? verdict.pass : !verdict.pass;
    const list = expect === "fail" ? missed : falseFailures;
    if (wrong && list.length < 20) list.push({ line: item.line, kind, reasons: expect === "fail" ? verdict.problems ?? [] : whyFailed(verdict) });
  }
  const kinds = [...byKind.values()].map((k) => ({ ...k, rate: ratio(k.failed, k.n) })).sort((a, b) => a.expect.localeCompare(b.expect) || a.kind.localeCompare(b.kind));
  const total = (e: "pass" | "fail") => kinds.filter((k) => k.expect === e).reduce((s, k) => [s[0] + k.failed, s[1] + k.n], [0, 0]);
  const [caught, corrupted] = total("fail");
  const [failedClean, clean] = total("pass");
  return { kinds, recall: ratio(caught, corrupted), falseFailureRate: ratio(failedClean, clean), missed, falseFailures };
}

const nullable = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(3)) : null);

const ratio = (a: number, b: number) => (b ? Number((a / b).toFixed(4)) : NaN);
