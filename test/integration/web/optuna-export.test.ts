/**
 * "Copy as Optuna params" against Optuna itself (Debian's python3-optuna): the script the card offers runs
 * unchanged apart from the user's training function, its first trial is hporec's pick, and every trial stays in
 * the reduced space. Skipped locally without python3-optuna; a failure in CI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { env } from "../../../src/config.ts";
import { optunaScript, pickedConfig } from "../../../web/exports.ts";
import { sharedEngine } from "../server/helpers.ts";

const PYTHON = env().referencePython;
const hasOptuna = spawnSync(PYTHON, ["-c", "import optuna"]).status === 0;
if (!hasOptuna && process.env.CI === "true") throw new Error("python3-optuna is missing in CI: the Optuna export check must run");

test("the Optuna script enqueues the pick and searches the reduced space", { skip: !hasOptuna && "python3-optuna not installed (apt-get install python3-optuna)" }, async () => {
  const { recommender } = await sharedEngine();
  const rec = await recommender.recommend({ dataset: { name: "skin", metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 } }, samples: 200 });
  const script = optunaScript(rec);
  // The user's part: a training function that returns a score (here a constant; the sampler still explores).
  const runnable = script.replace(/raise NotImplementedError\(.*\)/, "return 0.5").replace("n_trials=20", "n_trials=8");
  assert.notEqual(runnable, script, "the script leaves train_and_evaluate to the user");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hporec-optuna-")), "study.py");
  writeFileSync(
    file,
    `${runnable}\nimport json\nprint(json.dumps({"first": study.trials[0].params, "ranges": {k: [getattr(v, "low", None), getattr(v, "high", None), getattr(v, "log", None)] for k, v in study.trials[0].distributions.items()}, "n": len(study.trials), "states": sorted({t.state.name for t in study.trials})}))\n`,
  );
  const r = spawnSync(PYTHON, [file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.equal(out.n, 8);
  assert.deepEqual(out.states, ["COMPLETE"]);
  const pick = pickedConfig(rec);
  const searched = ["model", ...Object.keys(rec.reducedSpace.hyperparameters).filter((k) => k in pick)];
  assert.deepEqual(Object.keys(out.first).sort(), [...searched].sort());
  for (const k of searched) assert.deepEqual(out.first[k], pick[k], `first trial ${k} is hporec's pick`);
  for (const [k, hp] of Object.entries(rec.reducedSpace.hyperparameters)) {
    if (!(k in pick) || hp.type === "categorical" || hp.type === "bool") continue;
    assert.deepEqual(out.ranges[k], [hp.low, hp.high, hp.log], `${k} is searched in its good range`);
  }
});
