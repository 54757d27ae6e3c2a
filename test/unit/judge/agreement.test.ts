import assert from "node:assert/strict";
import { test } from "node:test";
import { cohensKappa } from "../../../src/judge/agreement.ts";
import { evaluate } from "../../../src/judge/evaluation.ts";
import type { JudgeVerdict } from "../../../src/judge/verdict.ts";

const pairs = (counts: { yy: number; yn: number; ny: number; nn: number }) => [
  ...Array<[boolean, boolean]>(counts.yy).fill([true, true]),
  ...Array<[boolean, boolean]>(counts.yn).fill([true, false]),
  ...Array<[boolean, boolean]>(counts.ny).fill([false, true]),
  ...Array<[boolean, boolean]>(counts.nn).fill([false, false]),
];

test("Cohen's kappa: textbook values", () => {
  // 50 answers: agreement 0.7; marginals 0.5 and 0.6, chance 0.5 -> kappa 0.4.
  assert.ok(Math.abs(cohensKappa(pairs({ yy: 20, yn: 5, ny: 10, nn: 15 })) - 0.4) < 1e-12);
  assert.equal(cohensKappa(pairs({ yy: 10, yn: 0, ny: 0, nn: 10 })), 1);
  // Agreement no better than chance, and systematic disagreement.
  assert.ok(Math.abs(cohensKappa(pairs({ yy: 25, yn: 25, ny: 25, nn: 25 }))) < 1e-12);
  assert.equal(cohensKappa(pairs({ yy: 0, yn: 10, ny: 10, nn: 0 })), -1);
  // Undefined when one judge never varies (chance agreement is total), and with no answers.
  assert.ok(Number.isNaN(cohensKappa(pairs({ yy: 10, yn: 0, ny: 0, nn: 0 }))));
  assert.ok(Number.isNaN(cohensKappa([])));
});

test("judge evaluations report the LLM judge's agreement with the rules per criterion", () => {
  const grade = (score: 1 | 2 | 3 | 4 | 5) => ({ score, reason: "r" });
  const verdict = (pass: boolean, accuracy: number, llmAccuracy: 1 | 2 | 3 | 4 | 5): JudgeVerdict => ({
    pass,
    scores: { format: 1, accuracy, completeness: 1 },
    reasons: { format: [], accuracy: [], completeness: [] },
    judge: "rules+llm",
    llm: { format: grade(5), accuracy: grade(llmAccuracy), completeness: grade(4), model: "m", ms: 1 },
  });
  // Accuracy: rules pass/fail = T T F F, LLM (>= 3) = T F F F -> agreement 3/4, chance 0.5*0.25 + 0.5*0.75 = 0.5, kappa 0.5.
  const vs = [verdict(true, 0.9, 4), verdict(true, 0.8, 2), verdict(false, 0.3, 1), verdict(false, 0.2, 2)];
  const ev = evaluate(vs.map((v, i) => ({ item: { line: i + 1, answer: {} }, verdict: v })));
  const a = ev.llm!.agreement;
  assert.equal(a.passGrade, 3);
  assert.equal(a.kappa.accuracy, 0.5);
  assert.equal(a.agree.accuracy, 0.75);
  // Format: both always pass -> agreement 1 but kappa undefined (null), not a made-up number.
  assert.equal(a.kappa.format, null);
  assert.equal(a.agree.format, 1);
  assert.equal(a.kappa.overall, 0.5);
});
