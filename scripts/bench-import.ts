/**
 * Import benchmark: loading Quick-Tune extended must take < 2 s and < 300 MB peak RSS. Each measurement runs
 * in its own child process: wall time over N repetitions in one, peak RSS (process.resourceUsage().maxRSS) of a
 * single import in a fresh one (what one CLI call costs; repeated imports in one process only measure how lazily
 * V8 collects). References in the same run: plain JSON.parse + line split of the same files in Node (same tsx
 * loader, so the same baseline memory), and pandas/json in Debian's Python.
 *
 *   npx tsx scripts/bench-import.ts [dir] [--reps 5]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const LIMIT_SECONDS = 2;
const LIMIT_MB = 300;
const PYTHON = "/usr/bin/python3";
const FILES = ["configs.csv", "curves_perf_top1.json", "curves_cost_seconds.json", "meta_descriptors.json"];

interface Result {
  /** Seconds per repetition, the first one cold (includes JIT warm-up). */
  times: number[];
  maxRssMb: number;
  runs?: number;
}

async function child(mode: string, dir: string, reps: number): Promise<void> {
  const times: number[] = [];
  let runs: number | undefined;
  if (mode === "import") {
    const { loadMetaDataset } = await import("../src/metadata/load.ts");
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      runs = loadMetaDataset(dir).runs.length;
      times.push((performance.now() - t) / 1000);
    }
  } else {
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      for (const f of FILES) {
        const text = readFileSync(path.join(dir, f), "utf8");
        if (f.endsWith(".json")) JSON.parse(text);
        else text.split("\n").map((l) => l.split(","));
      }
      times.push((performance.now() - t) / 1000);
    }
  }
  const result: Result = { times, maxRssMb: process.resourceUsage().maxRSS / 1024, runs };
  process.stdout.write(JSON.stringify(result));
}

function runNode(mode: string, dir: string, reps: number): Result {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", mode, dir, String(reps)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${mode} child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function runPandas(dir: string, reps: number): Result | undefined {
  const code = `
import json, resource, sys, time
import pandas as pd
d, reps = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(reps):
    t = time.perf_counter()
    pd.read_csv(d + "/configs.csv", index_col=0)
    for f in ["curves_perf_top1.json", "curves_cost_seconds.json", "meta_descriptors.json"]:
        json.load(open(d + "/" + f))
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;
  const r = spawnSync(PYTHON, ["-c", code, dir, String(reps)], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`(pandas reference skipped: ${r.error?.message ?? r.stderr.trim().split("\n").at(-1)})\n`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x: number, d = 3) => x.toFixed(d);

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1], args[2], Number(args[3]));
  const repsAt = args.indexOf("--reps");
  const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : 5;
  const positional = args.filter((a, i) => !a.startsWith("--") && (repsAt < 0 || i !== repsAt + 1));
  const dir = path.resolve(positional[0] ?? path.join(process.env.HPOREC_DATA ?? "../shared/metadata", "quicktune-extended"));

  const measure = (run: (reps: number) => Result | undefined): Result | undefined => {
    const timed = run(reps);
    const single = run(1);
    return timed && single && { ...timed, maxRssMb: single.maxRssMb };
  };
  const imp = measure((n) => runNode("import", dir, n))!;
  const ref = measure((n) => runNode("json", dir, n))!;
  const pandas = measure((n) => runPandas(dir, n));

  const rows: [string, Result | undefined][] = [["hporec loadMetaDataset", imp], ["node JSON.parse + split (reference)", ref], ["python pandas + json (reference)", pandas]];
  console.log(`Quick-Tune import benchmark: ${dir} (${reps} repetitions, ${imp.runs} runs)`);
  console.log(`${"".padEnd(38)}${"cold s".padStart(8)}${"median s".padStart(10)}${"peak MB (1 import)".padStart(20)}`);
  for (const [name, r] of rows) {
    if (r) console.log(`${name.padEnd(38)}${fmt(r.times[0]).padStart(8)}${fmt(median(r.times)).padStart(10)}${fmt(r.maxRssMb, 0).padStart(20)}`);
  }
  const ratio = (r: Result) => `${fmt(median(imp.times) / median(r.times), 1)}x time, ${fmt(imp.maxRssMb / r.maxRssMb, 2)}x memory`;
  console.log(`ratios (median): vs node JSON.parse ${ratio(ref)}${pandas ? `; vs pandas ${ratio(pandas)}` : ""}`);
  const worst = Math.max(...imp.times);
  const ok = worst < LIMIT_SECONDS && imp.maxRssMb < LIMIT_MB;
  console.log(`${ok ? "PASS" : "FAIL"}: slowest import ${fmt(worst)} s (limit ${LIMIT_SECONDS} s), peak ${fmt(imp.maxRssMb, 0)} MB (limit ${LIMIT_MB} MB)`);
  if (!ok) process.exitCode = 1;
}

await main();
