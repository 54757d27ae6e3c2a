/**
 * Calls scripts/reference/xgb_reference.py (Debian's python3-xgboost, the independent reference for our
 * tree parsing, predictions and TreeSHAP) from TypeScript tests and benchmarks.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The system python that has xgboost (the pyenv `python3` on PATH does not). */
export const REFERENCE_PYTHON = process.env.HPOREC_REFERENCE_PYTHON ?? "/usr/bin/python3";
const SCRIPT = path.join(import.meta.dirname, "xgb_reference.py");

let available: boolean | undefined;
/** Whether python3-xgboost can be imported. In CI a missing reference is a failure, never a skip. */
export function referenceAvailable(): boolean {
  available ??= spawnSync(REFERENCE_PYTHON, ["-c", "import xgboost"], { stdio: "ignore" }).status === 0;
  if (!available && process.env.CI === "true") throw new Error(`${REFERENCE_PYTHON} cannot import xgboost in CI`);
  return available;
}

export interface ReferenceExplanation {
  xgboost: string;
  pred: Float32Array;
  margin: Float32Array;
  /** nRows x (nFeatures + 1), bias last. */
  contribs: Float32Array;
  /** interactionRows x (nFeatures + 1)^2. */
  interactions?: Float32Array;
  /** Seconds of the xgboost calls themselves (best of `repeat`). */
  seconds: { pred: number; contribs: number; interactions?: number };
}

export interface ReferenceOptions {
  interactionRows?: number;
  nthread?: number;
  repeat?: number;
}

/** Loads `modelBytes` in python-xgboost and predicts, explains and (for the first rows) interacts. */
export function explainWithReference(modelBytes: Uint8Array, rows: Float32Array, nCols: number, opts: ReferenceOptions = {}): ReferenceExplanation {
  return withTempDir((dir) => {
    writeFileSync(path.join(dir, "model.bin"), modelBytes);
    writeFileSync(path.join(dir, "rows.f32"), rows);
    const summary = run(dir, [
      "explain",
      ...["--model", path.join(dir, "model.bin"), "--rows", path.join(dir, "rows.f32"), "--ncols", String(nCols), "--out", dir],
      ...["--interaction-rows", String(opts.interactionRows ?? 0), "--nthread", String(opts.nthread ?? 1), "--repeat", String(opts.repeat ?? 1)],
    ]);
    const f32 = (name: string) => {
      const b = readFileSync(path.join(dir, name));
      return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4).slice();
    };
    return {
      xgboost: summary.xgboost,
      pred: f32("pred.f32"),
      margin: f32("margin.f32"),
      contribs: f32("contribs.f32"),
      interactions: summary.interactionRows > 0 ? f32("interactions.f32") : undefined,
      seconds: summary.seconds,
    };
  });
}

/** Trains the same matrix in python-xgboost with XGBoost-named params (incl. n_estimators, tree_method). */
export function trainWithReference(
  rows: Float32Array,
  nCols: number,
  y: ArrayLike<number>,
  params: Record<string, unknown>,
  opts: { nthread?: number; repeat?: number } = {},
): { xgboost: string; seconds: { train: number } } {
  return withTempDir((dir) => {
    writeFileSync(path.join(dir, "rows.f32"), rows);
    writeFileSync(path.join(dir, "labels.f32"), Float32Array.from(y));
    return run(dir, [
      "train",
      ...["--out", dir, "--rows", path.join(dir, "rows.f32"), "--ncols", String(nCols), "--labels", path.join(dir, "labels.f32")],
      ...["--params", JSON.stringify(params), "--nthread", String(opts.nthread ?? 1), "--repeat", String(opts.repeat ?? 1)],
    ]);
  });
}

function run(dir: string, args: string[]) {
  const r = spawnSync(REFERENCE_PYTHON, [SCRIPT, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`xgb_reference.py ${args[0]} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return JSON.parse(readFileSync(path.join(dir, "summary.json"), "utf8"));
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hporec-xgbref-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
