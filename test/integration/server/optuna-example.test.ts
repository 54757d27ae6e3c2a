/**
 * examples/optuna_warm_start.py against a real server (Debian's python3-optuna, over HTTP): hporec's first
 * suggestion is Optuna's first trial, and every Optuna trial is told back to the hporec study exactly once.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { get, start } from "./helpers.ts";

const PYTHON = process.env.HPOREC_REFERENCE_PYTHON ?? "/usr/bin/python3";
const hasOptuna = spawnSync(PYTHON, ["-c", "import optuna"]).status === 0;
let server: Awaited<ReturnType<typeof start>> | undefined;
after(async () => server?.stop());

test("the Optuna warm-start example runs against hporec serve", { skip: !hasOptuna && `${PYTHON} has no optuna (apt-get install python3-optuna)`, timeout: 240_000 }, async () => {
  server = await start();
  const child = spawn(PYTHON, [path.resolve("examples/optuna_warm_start.py"), "--url", server.url, "--trials", "5", "--warm", "2"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  child.stderr.on("data", (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((r) => child.on("close", r));
  assert.equal(code, 0, err);
  const r = JSON.parse(out);
  assert.equal(r.trials, 5);
  assert.equal(r.told, 5);
  const study = (await get(`${server.url}/v1/studies/${r.hporecStudy}`)).json.study;
  const first = study.asked.find((a: { candidateId: string }) => a.candidateId === r.firstSuggestion);
  assert.deepEqual(r.firstOptunaParams, { model: first.model, lr: first.hyperparameters.lr, batch_size: first.hyperparameters.batch_size });
  assert.equal(study.trials[0].candidateId, r.firstSuggestion);
  assert.ok(study.trials.every((t: { value: number }) => Number.isFinite(t.value)));
});
