/**
 * Judge evaluation with known truth (issue 18): for each pack (the default Quick-Tune pack, and MedQuickTune and
 * HPO-B packs trained here by `hporec train` from HPOREC_DATA), real answers for varied cards become a labelled
 * corpus (src/judge/corpus/): untouched answers in the deterministic writer's and an LLM-like phrasing, and
 * answers carrying one kind of false or missing claim (text or structure). Every line is judged as
 * `hporec judge` does; the report gives, per kind and pack, the recall of false claims and the false-failure
 * rate on untouched answers, and the judging time.
 *
 *   HPOREC_DATA=../shared/metadata npx tsx scripts/judge-corpus.ts [--cards 500] [--perturbed 40] [--out dir] [--packs a,b] [--json]
 *
 * Writes <out>/corpus-<pack>.jsonl (judge one again with `hporec judge <file> --pack <dir>`), <out>/report.md and
 * <out>/report.json. Packs it trains go to <out>/packs/ and are reused.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildCorpus } from "../src/judge/corpus/build.ts";
import { evaluate, type JudgeItem, type KnownTruth } from "../src/judge/evaluation.ts";
import { judgeRecommendation } from "../src/judge/judge.ts";
import { loadEngine } from "../src/recommend/engine.ts";
import { writeFileAtomic, writeJsonAtomic } from "../src/util/atomic.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values: a } = parseArgs({
  options: {
    cards: { type: "string", default: "500" },
    perturbed: { type: "string", default: "40" },
    samples: { type: "string", default: "2000" },
    out: { type: "string", default: path.join(os.tmpdir(), "hporec-judge-corpus") },
    packs: { type: "string" },
    json: { type: "boolean", default: false },
  },
});
const out = path.resolve(a.out!);
mkdirSync(out, { recursive: true });
const log = (s: string) => process.stderr.write(`${s}\n`);

/** The packs to judge on: given, or the default pack plus MedQuickTune and HPO-B packs trained from HPOREC_DATA. */
function packs(): string[] {
  if (a.packs) return a.packs.split(",").map((p) => path.resolve(p));
  const data = process.env.HPOREC_DATA;
  if (!data) throw new Error("set HPOREC_DATA (e.g. ../shared/metadata) to train the MedQuickTune and HPO-B packs, or pass --packs");
  const trained = ["medquicktune", "hpob-top5"].map((name) => {
    const dir = path.join(out, "packs", name);
    if (!existsSync(path.join(dir, "manifest.json"))) {
      log(`training a ${name} pack into ${dir} ...`);
      const r = spawnSync(process.execPath, [path.join(ROOT, "bin", "hporec.js"), "train", "--data", name, "--out", dir], { stdio: ["ignore", "ignore", "inherit"] });
      if (r.status !== 0) throw new Error(`hporec train --data ${name} failed (exit ${r.status})`);
    }
    return dir;
  });
  return [path.join(ROOT, "models", "default"), ...trained];
}

interface PackResult {
  pack: string;
  dir: string;
  lines: number;
  truth: KnownTruth;
  judgeMs: { p50: number; p90: number };
  seconds: number;
}

const results: PackResult[] = [];
for (const dir of packs()) {
  const t0 = performance.now();
  const { recommender } = await loadEngine(dir);
  const name = recommender.pack.manifest.name;
  log(`${name}: building the corpus (${a.cards} answers, ${a.perturbed} perturbed) ...`);
  const lines = await buildCorpus(recommender, {
    cards: Number(a.cards),
    perturbed: Number(a.perturbed),
    samples: Number(a.samples),
    onAnswer: (done, total) => done % 100 === 0 && log(`  ${done}/${total} answers`),
  });
  const file = path.join(out, `corpus-${name}.jsonl`);
  writeFileAtomic(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  log(`${name}: judging ${lines.length} lines ...`);
  const ctx = { pack: recommender.pack, recommender };
  const judged = [];
  const ms: number[] = [];
  for (const [i, l] of lines.entries()) {
    // Through JSON, as a file judged by `hporec judge` is (NaN becomes null).
    const answer = JSON.parse(JSON.stringify(l.recommendation));
    const t = performance.now();
    const verdict = await judgeRecommendation(answer, ctx);
    ms.push(performance.now() - t);
    const item: JudgeItem = { line: i + 1, name: l.name, answer, label: l.label };
    judged.push({ item, verdict });
  }
  const truth = evaluate(judged).knownTruth!;
  ms.sort((x, y) => x - y);
  results.push({ pack: name, dir, lines: lines.length, truth, judgeMs: { p50: round(ms[ms.length >> 1]), p90: round(ms[Math.floor(0.9 * ms.length)]) }, seconds: round((performance.now() - t0) / 1000) });
  log(`${name}: recall ${pct(truth.recall)}, false failures ${pct(truth.falseFailureRate)} (${file})`);
}

const report = renderReport(results);
writeFileAtomic(path.join(out, "report.md"), report);
writeJsonAtomic(path.join(out, "report.json"), results);
process.stdout.write(a.json ? JSON.stringify(results, null, 1) + "\n" : report);

/** Kinds as rows, packs as columns: the rate (failed / lines) of each; untouched rows first. */
function renderReport(rs: PackResult[]): string {
  const kinds = [...new Map(rs.flatMap((r) => r.truth.kinds.map((k) => [`${k.expect}:${k.kind}`, k]))).values()].sort((x, y) => y.expect.localeCompare(x.expect) || x.kind.localeCompare(y.kind));
  const cell = (r: PackResult, kind: string) => {
    const k = r.truth.kinds.find((x) => x.kind === kind);
    return k ? `${pct(k.rate)} (${k.failed}/${k.n})` : "–";
  };
  const head = `| kind | judged false when | ${rs.map((r) => r.pack).join(" | ")} |`;
  const rows = kinds.map((k) => `| ${k.kind} | ${k.expect === "pass" ? "untouched (false failure)" : "false claim (recall)"} | ${rs.map((r) => cell(r, k.kind)).join(" | ")} |`);
  const total = (f: (t: KnownTruth) => number) => rs.map((r) => pct(f(r.truth))).join(" | ");
  return [
    `# Judge evaluation with known truth`,
    "",
    `${a.cards} answers per pack (varied cards, constraints and objectives), each untouched in the deterministic writer's phrasing and an LLM-like one; the first ${a.perturbed} also with every applicable kind of false or missing claim, in both phrasings. Command: \`HPOREC_DATA=../shared/metadata npx tsx scripts/judge-corpus.ts --cards ${a.cards} --perturbed ${a.perturbed}\`.`,
    "",
    head,
    `|---|---|${rs.map(() => "---").join("|")}|`,
    ...rows,
    `| **all false claims** | recall | ${total((t) => t.recall)} |`,
    `| **all untouched** | false-failure rate | ${total((t) => t.falseFailureRate)} |`,
    "",
    `Judging time per answer (rules, similar datasets looked up in the index): ${rs.map((r) => `${r.pack} p50 ${r.judgeMs.p50} ms, p90 ${r.judgeMs.p90} ms`).join("; ")}.`,
    "",
    ...rs.flatMap((r) => [
      ...r.truth.missed.slice(0, 5).map((m) => `- missed (${r.pack}, ${m.kind}, line ${m.line})`),
      ...r.truth.falseFailures.slice(0, 5).map((f) => `- false failure (${r.pack}, ${f.kind}, line ${f.line}): ${f.reasons[0] ?? ""}`),
    ]),
    "",
  ].join("\n");
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–";
}

function round(x: number): number {
  return Number(x.toFixed(2));
}
