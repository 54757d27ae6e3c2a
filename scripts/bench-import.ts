/**
 * Import benchmarks, each against a reference reading the same data in the same run:
 *   quicktune  loading Quick-Tune extended: < 2 s and < 300 MB peak RSS (references: JSON.parse + line split in
 *              Node, pandas + json in Debian's Python);
 *   wandb      importing the shared W&B slice (2 exports, 384 runs) with metadata/examples/wandb-micro.yaml:
 *              < 1 s (reference: pandas.read_csv of both exports + concat);
 *   optuna     importing an Optuna SQLite storage of 10,000 trials: < 3 s (reference: Optuna's own
 *              load_study(...).trials_dataframe()). The storage is built once and cached in the temp folder:
 *              Optuna writes a 200-trial study, whose rows are then copied 50 times with new trial ids in one
 *              SQL transaction (Optuna's own writer takes ~10 minutes for 10,000 trials on this machine); the
 *              reference reading it back as 10,000 trials checks the copy.
 * Each measurement runs in its own child process: wall time over N repetitions in one (the first is cold), peak
 * RSS (process.resourceUsage().maxRSS) of a single import in a fresh one.
 *
 *   npx tsx scripts/bench-import.ts [quicktune|wandb|optuna ...] [--reps 5] [--data ../shared/metadata] [--rebuild]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../src/config.ts";

const PYTHON = env().referencePython;
const QT_FILES = ["configs.csv", "curves_perf_top1.json", "curves_cost_seconds.json", "meta_descriptors.json"];
const MAPPING = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../metadata/examples/wandb-micro.yaml");
const OPTUNA_TRIALS = 10_000;

interface Result {
  /** Seconds per repetition, the first one cold (includes JIT warm-up). */
  times: number[];
  maxRssMb: number;
  runs?: number;
}

/** What a child process measures: `mode` on `source`, `reps` times. */
async function child(mode: string, source: string, reps: number): Promise<void> {
  const times: number[] = [];
  let runs: number | undefined;
  const timed = (f: () => number | undefined) => {
    for (let i = 0; i < reps; i++) {
      const t = performance.now();
      runs = f() ?? runs;
      times.push((performance.now() - t) / 1000);
    }
  };
  if (mode === "quicktune") {
    const { loadMetaDataset } = await import("../src/metadata/load.ts");
    timed(() => loadMetaDataset(source).runs.length);
  } else if (mode === "wandb" || mode === "optuna") {
    const { importHistory } = await import("../src/metadata/import.ts");
    const opts = mode === "wandb" ? { format: "wandb", mapping: MAPPING } : { format: "optuna" };
    timed(() => {
      const h = importHistory([source], opts);
      return h.metaDataset.runs.length + h.failures.length;
    });
  } else {
    timed(() => {
      for (const f of QT_FILES) {
        const text = readFileSync(path.join(source, f), "utf8");
        if (f.endsWith(".json")) JSON.parse(text);
        else text.split("\n").map((l) => l.split(","));
      }
      return undefined;
    });
  }
  process.stdout.write(JSON.stringify({ times, maxRssMb: process.resourceUsage().maxRSS / 1024, runs } satisfies Result));
}

function runNode(mode: string, source: string, reps: number): Result {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", mode, source, String(reps)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${mode} child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Python references print the same Result JSON; `body` times one repetition and may set `rows` (imports first, untimed). */
function runPython([setup, body]: [string, string], source: string, reps: number): Result | undefined {
  const code = `
import json, resource, sys, time
${setup.trim()}
src, reps = sys.argv[1], int(sys.argv[2])
times, rows = [], None
for _ in range(reps):
    t = time.perf_counter()
${body.trim().split("\n").map((l) => `    ${l}`).join("\n")}
    times.append(time.perf_counter() - t)
print(json.dumps({"times": times, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "runs": rows}))
`;
  const r = spawnSync(PYTHON, ["-c", code, source, String(reps)], { encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(`(python reference skipped: ${r.error?.message ?? r.stderr.trim().split("\n").at(-1)})\n`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

const PANDAS_QUICKTUNE: [string, string] = [
  "import pandas as pd",
  `
pd.read_csv(src + "/configs.csv", index_col=0)
for f in ["curves_perf_top1.json", "curves_cost_seconds.json", "meta_descriptors.json"]:
    json.load(open(src + "/" + f))
`,
];
const PANDAS_WANDB: [string, string] = [
  "import glob, pandas as pd",
  `
frames = [pd.read_csv(f) for f in sorted(glob.glob(src + "/*.csv"))]
rows = len(pd.concat(frames, ignore_index=True))
`,
];
const OPTUNA_DATAFRAME: [string, string] = [
  "import optuna\noptuna.logging.set_verbosity(optuna.logging.ERROR)",
  `rows = len(optuna.load_study(study_name="bench", storage="sqlite:///" + src).trials_dataframe())`,
];

/** Writes the cached 10,000-trial storage (see the top of the file); returns its path. */
function optunaStorage(rebuild: boolean): string {
  const file = path.join(tmpdir(), `hporec-bench-optuna-${OPTUNA_TRIALS}.db`);
  if (existsSync(file) && !rebuild) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const copies = OPTUNA_TRIALS / 200;
  const code = `
import sqlite3, sys, optuna
from sqlalchemy import event
optuna.logging.set_verbosity(optuna.logging.ERROR)
path = sys.argv[1]
storage = optuna.storages.RDBStorage("sqlite:///" + path)
@event.listens_for(storage.engine, "connect")
def fast(conn, _):
    conn.execute("PRAGMA synchronous=OFF")
storage.engine.dispose()
study = optuna.create_study(study_name="bench", storage=storage, direction="maximize", sampler=optuna.samplers.RandomSampler(seed=0))
study.set_user_attr("n_samples", 50000)
study.set_user_attr("n_classes", 100)
def objective(trial):
    model = trial.suggest_categorical("model", ["resnet18", "resnet50", "vit_s", "vit_b", "convnext"])
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    trial.suggest_int("batch_size", 8, 512, log=True)
    trial.suggest_float("weight_decay", 0.0, 0.1)
    trial.suggest_categorical("opt", ["adam", "sgd", "adamw"])
    trial.suggest_float("drop", 0.0, 0.5, step=0.1)
    trial.suggest_float("momentum", 0.8, 0.99)
    trial.suggest_int("warmup", 0, 10)
    trial.set_user_attr("gpu", "a100")
    for step in range(5):
        trial.report(lr * step, step)
    if trial.number % 10 == 9:
        raise ValueError("diverged")
    return lr * 100
study.optimize(objective, n_trials=200, catch=(ValueError,))
con = sqlite3.connect(path)
n = con.execute("SELECT MAX(trial_id) FROM trials").fetchone()[0]
for k in range(1, ${copies}):
    off = k * n
    con.execute(f"INSERT INTO trials (trial_id, number, study_id, state, datetime_start, datetime_complete) SELECT trial_id + {off}, number + {off}, study_id, state, datetime_start, datetime_complete FROM trials WHERE trial_id <= {n}")
    con.execute(f"INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) SELECT trial_id + {off}, param_name, param_value, distribution_json FROM trial_params WHERE trial_id <= {n}")
    con.execute(f"INSERT INTO trial_values (trial_id, objective, value, value_type) SELECT trial_id + {off}, objective, value, value_type FROM trial_values WHERE trial_id <= {n}")
    con.execute(f"INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) SELECT trial_id + {off}, step, intermediate_value, intermediate_value_type FROM trial_intermediate_values WHERE trial_id <= {n}")
    con.execute(f"INSERT INTO trial_user_attributes (trial_id, key, value_json) SELECT trial_id + {off}, key, value_json FROM trial_user_attributes WHERE trial_id <= {n}")
    con.execute(f"INSERT INTO trial_system_attributes (trial_id, key, value_json) SELECT trial_id + {off}, key, value_json FROM trial_system_attributes WHERE trial_id <= {n}")
con.commit()
print(con.execute("SELECT COUNT(*) FROM trials").fetchone()[0])
`;
  process.stderr.write(`building the ${OPTUNA_TRIALS}-trial Optuna storage (once): ${file}\n`);
  const r = spawnSync(PYTHON, ["-c", code, tmp], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building the Optuna storage failed (python3-optuna installed?):\n${r.stderr}`);
  renameSync(tmp, file);
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fmt = (x: number, d = 3) => x.toFixed(d);

interface Bench {
  title: string;
  subject: string;
  limitSeconds: number;
  limitMb?: number;
  rows: [string, () => Result | undefined][];
}

function report(b: Bench, reps: number): boolean {
  const measure = (run: (reps: number) => Result | undefined) => () => {
    const timed = run(reps);
    const single = run(1);
    return timed && single ? { ...timed, maxRssMb: single.maxRssMb } : undefined;
  };
  const results = b.rows.map(([name, run]) => [name, measure(() => run())()] as const);
  const [, own] = results[0];
  if (!own) throw new Error(`${b.title}: the hporec measurement failed`);
  console.log(`\n${b.title}: ${b.subject} (${reps} repetitions, ${own.runs} rows)`);
  console.log(`${"".padEnd(40)}${"cold s".padStart(8)}${"median s".padStart(10)}${"peak MB (1 import)".padStart(20)}${"rows".padStart(8)}`);
  for (const [name, r] of results) {
    if (r) console.log(`${name.padEnd(40)}${fmt(r.times[0]).padStart(8)}${fmt(median(r.times)).padStart(10)}${fmt(r.maxRssMb, 0).padStart(20)}${String(r.runs ?? "").padStart(8)}`);
  }
  const ratios = results.slice(1).filter(([, r]) => r).map(([name, r]) => `vs ${name.replace(/ \(reference\)$/, "")} ${fmt(median(own.times) / median(r!.times), 2)}x time, ${fmt(own.maxRssMb / r!.maxRssMb, 2)}x memory`);
  if (ratios.length) console.log(`ratios (median): ${ratios.join("; ")}`);
  const worst = Math.max(...own.times);
  const ok = worst < b.limitSeconds && (b.limitMb === undefined || own.maxRssMb < b.limitMb);
  console.log(`${ok ? "PASS" : "FAIL"}: slowest import ${fmt(worst)} s (limit ${b.limitSeconds} s)${b.limitMb ? `, peak ${fmt(own.maxRssMb, 0)} MB (limit ${b.limitMb} MB)` : ""}`);
  return ok;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1], args[2], Number(args[3]));
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const reps = Number(value("--reps") ?? 5);
  const data = path.resolve(value("--data") ?? env().data ?? "../shared/metadata");
  const wanted = args.filter((a, i) => !a.startsWith("--") && !["--reps", "--data"].includes(args[i - 1]));
  const which = wanted.length ? wanted : ["quicktune", "wandb", "optuna"];

  const benches: Record<string, () => Bench> = {
    quicktune: () => {
      const dir = path.join(data, "quicktune-extended");
      return {
        title: "Quick-Tune import",
        subject: dir,
        limitSeconds: 2,
        limitMb: 300,
        rows: [
          ["hporec loadMetaDataset", () => runNode("quicktune", dir, reps)],
          ["node JSON.parse + split (reference)", () => runNode("json", dir, reps)],
          ["python pandas + json (reference)", () => runPython(PANDAS_QUICKTUNE, dir, reps)],
        ],
      };
    },
    wandb: () => {
      const dir = path.join(data, "quicktune-micro-wandb");
      return {
        title: "W&B import",
        subject: `${dir} with ${path.relative(process.cwd(), MAPPING)}`,
        limitSeconds: 1,
        rows: [
          ["hporec importHistory (runs + failures)", () => runNode("wandb", dir, reps)],
          ["python pandas.read_csv + concat (reference)", () => runPython(PANDAS_WANDB, dir, reps)],
        ],
      };
    },
    optuna: () => {
      const db = optunaStorage(args.includes("--rebuild"));
      return {
        title: `Optuna import (${OPTUNA_TRIALS.toLocaleString("en-US")} trials)`,
        subject: db,
        limitSeconds: 3,
        rows: [
          ["hporec importHistory (runs + failures)", () => runNode("optuna", db, reps)],
          ["optuna trials_dataframe() (reference)", () => runPython(OPTUNA_DATAFRAME, db, Math.min(reps, 2))],
        ],
      };
    },
  };
  let ok = true;
  for (const name of which) {
    if (!benches[name]) throw new Error(`unknown benchmark ${name}: use ${Object.keys(benches).join(", ")}`);
    ok = report(benches[name](), reps) && ok;
  }
  if (!ok) process.exitCode = 1;
}

await main();
