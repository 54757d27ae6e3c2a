/**
 * The Optuna importer against Optuna itself: Debian's python3-optuna writes a real SQLite storage (two studies,
 * log/int/step/categorical/conditional parameters, pruned, failed and infinite trials, user attributes) and its
 * own `trials_dataframe()`; the rows hporec reads from the storage must say the same, and the import must keep
 * COMPLETE trials as runs and the others as failures. Skipped locally without python3-optuna; a failure in CI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, tempDir } from "../cli/helpers.ts";
import { importHistory } from "../../../src/metadata/import.ts";
import { readOptuna } from "../../../src/metadata/sources/optuna.ts";
import { InputError } from "../../../src/util/errors.ts";
import { env } from "../../../src/config.ts";

const PYTHON = env().referencePython; // Debian's python3 with python3-optuna (HPOREC_REFERENCE_PYTHON)
const hasOptuna = spawnSync(PYTHON, ["-c", "import optuna, pandas"]).status === 0;
if (!hasOptuna && process.env.CI === "true") throw new Error("python3-optuna is missing in CI: the Optuna cross-check must run");
const skip = !hasOptuna && "python3-optuna not installed (apt-get install python3-optuna)";

const WRITE_STUDIES = `
import json, math, sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
url, out = sys.argv[1], sys.argv[2]
frames = {}
for name, n_samples, seed in [("cifar", 50000, 1), ("svhn", 73257, 2)]:
    study = optuna.create_study(study_name=name, storage=url, direction="maximize", sampler=optuna.samplers.RandomSampler(seed=seed))
    study.set_user_attr("n_samples", n_samples)
    study.set_user_attr("n_classes", 10)
    study.set_user_attr("note", "text, not a meta-feature")
    def objective(trial):
        model = trial.suggest_categorical("model", ["resnet", "vit"])
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        bs = trial.suggest_int("batch_size", 8, 256, log=True)
        opt = trial.suggest_categorical("opt", ["adam", "sgd", None])
        wd = trial.suggest_float("weight_decay", 0.0, 0.1, step=0.025)
        if model == "resnet":
            trial.suggest_int("depth", 18, 50)
        trial.set_user_attr("gpu", "a100" if trial.number % 2 else "v100")
        for step in range(4):
            trial.report(lr * 100 + step, step)
        if trial.number == 3:
            raise optuna.TrialPruned()
        if trial.number == 5:
            raise ValueError("diverged")
        if trial.number == 7:
            return float("inf")
        return lr * 100 + bs / 1000
    study.optimize(objective, n_trials=12, catch=(ValueError,))
    df = study.trials_dataframe()
    df["duration"] = df["duration"].dt.total_seconds()
    df["datetime_start"] = df["datetime_start"].astype(str)
    df["datetime_complete"] = df["datetime_complete"].astype(str)
    frames[name] = json.loads(df.to_json(orient="records", double_precision=15))
json.dump(frames, open(out, "w"))
`;

let written: { db: string; frames: Record<string, Record<string, unknown>[]> } | undefined;

/** One storage for the whole file: Optuna takes seconds to create it. */
function writeStudies(): { db: string; frames: Record<string, Record<string, unknown>[]> } {
  if (written) return written;
  const dir = tempDir("hporec-optuna-");
  const db = path.join(dir, "study.db");
  const out = path.join(dir, "frames.json");
  const r = spawnSync(PYTHON, ["-c", WRITE_STUDIES, `sqlite:///${db}`, out], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  written = { db, frames: JSON.parse(readFileSync(out, "utf8")) };
  return written;
}

test("optuna: the rows read from the storage equal Optuna's own trials_dataframe()", { skip }, () => {
  const { db, frames } = writeStudies();
  const table = readOptuna([`sqlite:///${db}`]);
  assert.equal(table.rows.length, 24);
  for (const [study, frame] of Object.entries(frames)) {
    const rows = table.rows.filter((r) => r.get("study_name") === study);
    assert.equal(rows.length, frame.length);
    for (const [i, expected] of frame.entries()) {
      const row = rows[i];
      for (const [column, want] of Object.entries(expected)) {
        const got = row.get(column);
        if (column === "duration") assert.ok(Math.abs((got as number) - (want as number)) < 1e-3, `${study} ${i} duration ${got} vs ${want}`);
        else if (column === "value" && want === null) assert.ok(got === undefined || Number.isNaN(got as number) || !Number.isFinite(got as number), `${study} ${i} value ${got}`);
        else if (column === "params_opt" && want === null) assert.equal(got, "None"); // the choice None, as the space lists it
        else if (want === null) assert.ok(got === undefined || got === null, `${study} ${i} ${column}: ${got} vs null`);
        else if (typeof want === "number") assert.ok(Math.abs((got as number) - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${study} ${i} ${column}: ${got} vs ${want}`);
        else if (column.startsWith("datetime")) assert.equal(String(got).slice(0, 19), String(want).slice(0, 19));
        else assert.equal(got, want, `${study} ${i} ${column}`);
      }
    }
  }
  // Infinite values: pandas writes JSON null for them; the storage says INF_POS.
  assert.equal(table.rows.find((r) => r.get("study_name") === "cifar" && r.get("number") === 7)!.get("value"), Infinity);
});

test("optuna: COMPLETE trials are runs, the others failures; the space is Optuna's own definition", { skip }, () => {
  const { db, frames } = writeStudies();
  const { metaDataset: md, failures, report } = importHistory([`sqlite:///${db}`]);
  assert.equal(md.format, "optuna");
  const complete = Object.values(frames).flat().filter((t) => t.state === "COMPLETE" && t.value !== null);
  assert.equal(md.runs.length, complete.length);
  assert.equal(md.runs.length, 18);
  assert.deepEqual(failures.map((f) => [f.id, f.reason]).sort(), [
    ["cifar#3", "pruned"], ["cifar#5", "failed"], ["cifar#7", "non-finite-metric"],
    ["svhn#3", "pruned"], ["svhn#5", "failed"], ["svhn#7", "non-finite-metric"],
  ]);
  assert.equal(report!.rows, 24);
  assert.deepEqual(md.metric, { name: "value", direction: "max" });
  assert.deepEqual(md.datasets.map((d) => [d.id, d.metaFeatures.n_samples, d.metaFeatures.n_classes, d.metaFeatures.note]), [["cifar", 50000, 10, undefined], ["svhn", 73257, 10, undefined]]);

  const run = md.runs.find((r) => r.id === "cifar#0")!;
  const raw = frames.cifar[0];
  assert.equal(run.model, raw.params_model);
  const close = (a: unknown, b: unknown) => Math.abs((a as number) - (b as number)) <= 1e-12 * Math.max(1, Math.abs(b as number)); // JSON keeps 15 digits
  assert.ok(close(run.hyperparameters.lr, raw.params_lr));
  assert.equal(run.hyperparameters.batch_size, raw.params_batch_size);
  assert.ok(close(run.outcome.best, raw.value));
  assert.equal(run.outcome.curve?.length, 4); // intermediate values
  assert.ok(Math.abs(run.cost.totalSeconds! - (raw.duration as number)) < 1e-3);
  assert.equal(run.attributes?.user_attrs_gpu, raw.user_attrs_gpu);

  const s = md.searchSpace;
  assert.equal(s.source, "given");
  assert.deepEqual(s.hyperparameters.lr, { type: "float", low: 1e-5, high: 0.1, log: true });
  assert.deepEqual(s.hyperparameters.batch_size, { type: "int", low: 8, high: 256, log: true });
  assert.deepEqual(s.hyperparameters.weight_decay, { type: "float", low: 0, high: 0.1, log: false, values: [0, 0.025, 0.05, 0.075, 0.1] });
  assert.deepEqual(s.hyperparameters.opt, { type: "categorical", values: ["adam", "sgd", "None"] });
  assert.deepEqual(s.hyperparameters.depth.condition, { parent: "model", values: ["resnet"] });
  assert.equal(s.hyperparameters.model, undefined); // the model is Run.model

  const one = importHistory([db], { study: "svhn" });
  assert.deepEqual(one.metaDataset.datasets.map((d) => d.id), ["svhn"]);
});

test("optuna: a missing, empty or foreign database and an unknown study exit 2 naming the file and the fix", { skip }, () => {
  const { db } = writeStudies();
  const dir = tempDir();
  const junk = path.join(dir, "junk.db");
  writeFileSync(junk, "not a database at all, just text that is long enough");
  const foreign = path.join(dir, "other.db");
  spawnSync(PYTHON, ["-c", `import sqlite3; c = sqlite3.connect("${foreign}"); c.execute("create table t (x)"); c.commit()`]);
  const out = path.join(dir, "out");
  const cases: [string[], RegExp][] = [
    [[`sqlite:///${path.join(dir, "nope.db")}`], /nope\.db: Optuna storage not found[\s\S]*fix: pass sqlite:\/\/\/path/],
    [[junk, "--format", "optuna"], /junk\.db: not a readable SQLite database[\s\S]*fix: pass the Optuna storage file/],
    [[foreign], /other\.db: not an Optuna storage: no table studies/],
    [[db, "--study", "mnist"], /no study named "mnist"[\s\S]*fix: use --study with one of: cifar, svhn/],
  ];
  for (const [args, expected] of cases) {
    const r = runCli(["data", "import", ...args, "--out", out]);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, expected);
  }
  assert.throws(() => readOptuna([foreign]), InputError);
});
