/**
 * Optuna's TPE as a baseline, restricted to the candidate table: the real peer (Debian's python3-optuna, run as
 * a subprocess through scripts/reference/optuna_tpe.py), not a re-implementation. Every suggestion is snapped
 * to the nearest candidate not yet evaluated and scored by looking up its true outcome.
 *
 * One study of max(trials) trials per seed; the result for N trials is the best found within its first N trials
 * (anytime performance, so N = 20 can never be worse than N = 10 on the same seed). `startupTrials` defaults to
 * 5 rather than Optuna's 10: with 10, the first 10 trials are plain random sampling and "TPE with N = 10" would
 * be random search under another name.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { silentProgress, type ProgressFactory } from "../util/progress.ts";
import type { HpValue, SearchSpace } from "../metadata/schema.ts";
import { aggregateExpected, isCatastrophic, normalisedScore, outcomeScale, regret, type CandidateOutcome } from "./metrics.ts";
import type { CandidateConfig } from "./ranker.ts";
import type { Baseline, ExpectedDatasetResult } from "./types.ts";

export const SKIPPED_NO_OPTUNA = "skipped: python3-optuna not installed (apt-get install python3-optuna)";

export interface TpeOptions {
  /** Trial budgets to report (default 10 and 20). */
  trials?: number[];
  /** Seeds per dataset (default 10); the reported score is the mean over seeds. */
  seeds?: number;
  startupTrials?: number;
  /** The Python that has optuna: Debian's, not the pyenv `python3` on PATH (default /usr/bin/python3). */
  python?: string;
  /** Reports progress per table (silent by default). */
  progress?: ProgressFactory;
}

/** One held-out dataset as the TPE baseline needs it: configurations, true outcomes, and the search space. */
export interface TpeDataset {
  datasetId: string;
  candidates: readonly CandidateConfig[];
  outcomes: readonly CandidateOutcome[];
  searchSpace?: SearchSpace;
}

type Column =
  | { name: string; kind: "numeric"; low: number; high: number; log: boolean }
  | { name: string; kind: "categorical"; choices: string[] };

export interface TpeTable {
  key: string;
  columns: Column[];
  rows: { id: string; values: (number | string | null)[]; y: number }[];
}

const SCRIPT = fileURLToPath(new URL("../../scripts/reference/optuna_tpe.py", import.meta.url));
const MISSING = "none";

/**
 * The table the Python side searches: the model and every hyperparameter that varies. A column is numeric when
 * all its present values are numbers, categorical otherwise (booleans and missing values become category
 * names). Log scale where the search space says so; for a hyperparameter the space does not define, when its
 * values are positive and span two orders of magnitude or more (learning rates, weight decays, batch sizes).
 */
export function tpeTable(d: TpeDataset): TpeTable {
  const names = [...new Set(["model", ...d.candidates.flatMap((c) => Object.keys(c.hyperparameters))])];
  const valueOf = (c: CandidateConfig, name: string): HpValue =>
    name === "model" ? c.model : (c.hyperparameters[name] ?? null);
  const columns: Column[] = [];
  const cells: ((c: CandidateConfig) => number | string | null)[] = [];
  for (const name of names) {
    const values = d.candidates.map((c) => valueOf(c, name));
    const present = values.filter((v) => v !== null);
    if (present.length > 0 && present.every((v) => typeof v === "number")) {
      const nums = present as number[];
      const low = Math.min(...nums);
      const high = Math.max(...nums);
      if (low === high) continue;
      const hp = name === "model" ? undefined : d.searchSpace?.hyperparameters[name];
      const declared = hp && hp.type !== "categorical" && hp.type !== "bool" ? hp.log : undefined;
      const log = low > 0 && (declared ?? high / low >= 100);
      columns.push({ name, kind: "numeric", low, high, log });
      cells.push((c) => valueOf(c, name) as number | null);
    } else {
      const cat = (c: CandidateConfig) => {
        const v = valueOf(c, name);
        return v === null ? MISSING : String(v);
      };
      const choices = [...new Set(d.candidates.map(cat))].sort();
      if (choices.length < 2) continue;
      columns.push({ name, kind: "categorical", choices });
      cells.push(cat);
    }
  }
  const y = new Map(d.outcomes.map((o) => [o.id, o.y]));
  return {
    key: d.datasetId,
    columns,
    rows: d.candidates.map((c) => ({ id: c.id, values: cells.map((cell) => cell(c)), y: y.get(c.id)! })),
  };
}

type PythonRun = { ok: true; stdout: string } | { ok: false; reason: string };

/** Runs the script; "done KEY" lines on its stderr are reported through `onDone`, the rest kept for errors. */
function runPython(python: string, args: string[], onDone: (key: string) => void): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => {
      const lines = (pending + b).split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith("done ")) onDone(line.slice(5));
        else stderr += line + "\n";
      }
    });
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") resolve({ ok: false, reason: `skipped: ${python} not found (apt-get install python3-optuna)` });
      else reject(e);
    });
    child.on("close", (code) => {
      if (code === 0) resolve({ ok: true, stdout });
      else if (code === 3) resolve({ ok: false, reason: SKIPPED_NO_OPTUNA });
      else reject(new Error(`${python} ${path.basename(SCRIPT)} exited with ${code}: ${(stderr + pending).trim()}`));
    });
  });
}

/**
 * Run ids in evaluation order, per seed, per dataset; or why TPE could not run. `parallel` k > 1: k workers,
 * each batch of k asked (constant liar) before any of it is told.
 */
export async function runTpe(
  tables: TpeTable[],
  opts: Required<Pick<TpeOptions, "seeds" | "startupTrials" | "python">> & Pick<TpeOptions, "progress"> & { trials: number; parallel?: number },
): Promise<{ ok: true; picks: Map<string, string[][]> } | { ok: false; reason: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "hporec-tpe-"));
  try {
    const input = path.join(dir, "input.json");
    const seeds = Array.from({ length: opts.seeds }, (_, i) => i);
    writeFileSync(input, JSON.stringify({ trials: opts.trials, seeds, startup_trials: opts.startupTrials, parallel: opts.parallel ?? 1, tables }));
    const bar = (opts.progress ?? silentProgress)("optuna tpe", tables.length);
    const r = await runPython(opts.python, [SCRIPT, input], (key) => bar.tick(1, key)).finally(() => bar.stop());
    if (!r.ok) return r;
    const out = JSON.parse(r.stdout) as { tables: { key: string; picks: string[][] }[] };
    return { ok: true, picks: new Map(out.tables.map((t) => [t.key, t.picks])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The TPE baselines ("optuna-tpe-<N>", one per budget), or one "skipped" baseline saying why. */
export async function tpeBaselines(datasets: readonly TpeDataset[], opts: TpeOptions = {}): Promise<Baseline[]> {
  const budgets = opts.trials ?? [10, 20];
  const r = await runTpe(datasets.map(tpeTable), {
    trials: Math.max(...budgets),
    seeds: opts.seeds ?? 10,
    startupTrials: opts.startupTrials ?? 5,
    python: opts.python ?? "/usr/bin/python3",
    progress: opts.progress,
  });
  if (!r.ok) return [{ name: "optuna-tpe", kind: "skipped", reason: r.reason }];
  return budgets.map((N) => {
    const records = datasets.map((d) => scoreSeeds(d, r.picks.get(d.datasetId)!, N));
    return { name: `optuna-tpe-${N}`, kind: "expected", evaluations: N, datasets: records, aggregate: aggregateExpected(records) };
  });
}

/** Mean over seeds of the best-found's score, regret and catastrophic flag within the first N trials. */
export function scoreSeeds(d: TpeDataset, picksPerSeed: string[][], N: number): ExpectedDatasetResult {
  const y = new Map(d.outcomes.map((o) => [o.id, o.y]));
  const s = outcomeScale(d.outcomes.map((o) => o.y));
  const best = picksPerSeed.map((picks) => Math.max(...picks.slice(0, N).map((id) => y.get(id)!)));
  const mean = (f: (b: number) => number) => best.reduce((a, b) => a + f(b), 0) / best.length;
  return {
    datasetId: d.datasetId,
    nCandidates: d.outcomes.length,
    score: mean((b) => normalisedScore(b, s)),
    regret: mean((b) => regret(b, s)),
    catastrophic: mean((b) => (isCatastrophic(regret(b, s)) ? 1 : 0)),
  };
}
