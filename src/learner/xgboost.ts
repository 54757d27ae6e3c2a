/**
 * Training through ml-xgboost (XGBoost 0.7 compiled to WebAssembly). The wasm is fragile: an unknown
 * objective, a bad label or a NaN in the matrix makes XGBoost throw a C++ exception that the build cannot
 * catch, which kills the process. So everything is validated here first, and the wasm is driven through its
 * C functions directly (not the ml-xgboost class) to control memory and avoid per-byte copies.
 *
 * Missing values: ml-xgboost builds its DMatrix with missing = -1 (hard-coded), so a real -1 (log10(0.1),
 * the "-1 = inactive" of Quick-Tune's configs) would silently become missing. We hand the wasm NaN as -1
 * and a real -1 as the nearest float32 above it (-0.99999994); no split can separate the two, because
 * XGBoost puts thresholds between distinct observed values. Parsed trees then treat NaN as missing.
 */
import { createRequire } from "node:module";
import { z } from "zod";
import { InputError } from "../util/errors.ts";
import { parseBinaryModel } from "./binary-model.ts";
import { OBJECTIVES, type Objective, type TreeModel } from "./trees.ts";

/**
 * Boosting parameters, validated before anything reaches the wasm. Names follow XGBoost's; `n_estimators`
 * is the number of boosting rounds. Defaults are ours, not ml-xgboost's (which subsamples 0.5 of the rows).
 * Objectives: single-output ones of XGBoost 0.7 ("reg:squarederror" does not exist there: use "reg:linear").
 */
export const BoosterParams = z
  .object({
    objective: z.enum(OBJECTIVES).default("reg:linear"),
    n_estimators: z.number().int().min(1).max(10_000).default(300),
    max_depth: z.number().int().min(1).max(16).default(6),
    eta: z.number().gt(0).max(1).default(0.05),
    /** Row subsampling per round; < 1 is what makes different seeds give different models. */
    subsample: z.number().gt(0).max(1).default(0.8),
    colsample_bytree: z.number().gt(0).max(1).default(1),
    min_child_weight: z.number().min(0).default(1),
    lambda: z.number().min(0).default(1),
    alpha: z.number().min(0).default(0),
    gamma: z.number().min(0).default(0),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** XGBoost 0.7's split finders: "exact" enumerates every value, "hist" bins them (256 bins). */
    tree_method: z.enum(["exact", "approx", "hist"]).default("exact"),
  })
  .strict();
export type BoosterParams = z.output<typeof BoosterParams>;
export type BoosterParamsInput = z.input<typeof BoosterParams>;

/** A trained model: parsed trees for prediction/explanation, and the binary model bytes to store. */
export interface TrainedBooster {
  model: TreeModel;
  bytes: Uint8Array;
}

const MISSING = -1;
const JUST_ABOVE_MISSING = Math.fround(-1 + 2 ** -24);

// Emscripten module of ml-xgboost (CommonJS); its promise resolves once the wasm is instantiated. Loading
// it installs an uncaughtException listener that rethrows, which makes Node print the whole minified
// module as the error context of ANY uncaught error in the process: remove it.
const listenersBefore = new Set(process.listeners("uncaughtException"));
const wasmModule = createRequire(import.meta.url)("ml-xgboost/dist/wasm/xgboost.js");
for (const l of process.listeners("uncaughtException")) if (!listenersBefore.has(l)) process.off("uncaughtException", l);
let lastWasmMessage = "";
// Node 20 has fetch, so emscripten first tries streaming from a file path, fails, and says so on stderr.
wasmModule.printErr = (s: string) => {
  if (!/^wasm streaming compile failed|^falling back to ArrayBuffer/.test(s)) lastWasmMessage = String(s);
};
const M = await wasmModule.isReady;
const c = {
  create: M.cwrap("create_model", "number", ["number", "number", "number", "number"]),
  setParam: M.cwrap("set_param", null, ["number", "string", "string"]),
  train: M.cwrap("train_full_model", null, ["number", "number"]),
  save: M.cwrap("save_model", "number", ["number"]),
  fileContent: M.cwrap("get_file_content", null, ["number", "number"]),
  load: M.cwrap("load_model", "number", ["number", "number"]),
  predictOne: M.cwrap("predict_one", "number", ["number", "number", "number", "number"]),
  free: M.cwrap("free_memory_model", null, ["number"]),
} as Record<string, (...args: unknown[]) => number>;

/**
 * Trains a boosted-tree model, saves it in XGBoost's legacy binary format and parses it. Deterministic for a
 * given seed. Accepts rows as arrays, or row-major float32 with their shape. NaN = missing.
 * @throws InputError on bad shapes, non-finite labels, labels outside the objective's domain, bad params.
 */
export function trainBooster(X: number[][], y: ArrayLike<number>, params?: BoosterParamsInput): TrainedBooster;
export function trainBooster(rows: Float32Array, nRows: number, nCols: number, y: ArrayLike<number>, params?: BoosterParamsInput): TrainedBooster;
export function trainBooster(...args: unknown[]): TrainedBooster {
  const [rows, nRows, nCols, y, input] =
    args[0] instanceof Float32Array
      ? (args as [Float32Array, number, number, ArrayLike<number>, BoosterParamsInput?])
      : [...fromArrays(args[0] as number[][]), args[1] as ArrayLike<number>, args[2] as BoosterParamsInput | undefined];
  const parsed = BoosterParams.safeParse(input ?? {});
  if (!parsed.success) throw new InputError(z.prettifyError(parsed.error), "booster params", `objective must be one of ${OBJECTIVES.join(", ")}`);
  const p = parsed.data;
  checkShape(rows, nRows, nCols);
  checkLabels(y, nRows, p.objective);

  const bytes = withWasm((alloc) => {
    const xPtr = alloc(nRows * nCols * 4);
    const yPtr = alloc(nRows * 4);
    const heap = M.HEAPF32 as Float32Array; // taken after malloc: growing the memory replaces the views
    for (let i = 0, x0 = xPtr >> 2; i < nRows * nCols; i++) heap[x0 + i] = wasmValue(rows[i]);
    heap.set(Float32Array.from(y), yPtr >> 2);
    const handle = c.create(xPtr, yPtr, nRows, nCols);
    if (!handle) throw new Error("ml-xgboost could not create its DMatrix");
    try {
      for (const [k, v] of Object.entries(p)) if (k !== "n_estimators") c.setParam(handle, k, String(v));
      c.setParam(handle, "silent", "1");
      c.train(handle, p.n_estimators);
      return savedBytes(handle);
    } finally {
      c.free(handle);
    }
  });
  return { model: parseBinaryModel(bytes), bytes };
}

/**
 * Predictions by ml-xgboost itself for a saved model (row-major float32, NaN = missing): an independent
 * check of `predictTrees`, one wasm call per row, so not for production use.
 */
export function predictWithWasm(bytes: Uint8Array, rows: Float32Array, nRows: number, nCols: number): Float32Array {
  checkShape(rows, nRows, nCols);
  parseBinaryModel(bytes); // a malformed model must be refused here, not crash the wasm loader
  return withWasm((alloc) => {
    const mPtr = alloc(bytes.length);
    (M.HEAPU8 as Uint8Array).set(bytes, mPtr);
    const handle = c.load(mPtr, bytes.length);
    if (!handle) throw new Error(`ml-xgboost could not load the model: ${lastWasmMessage}`);
    try {
      const rowPtr = alloc(nCols * 4);
      const outPtr = alloc(16);
      const out = new Float32Array(nRows);
      for (let r = 0; r < nRows; r++) {
        const heap = M.HEAPF32 as Float32Array;
        for (let j = 0; j < nCols; j++) heap[(rowPtr >> 2) + j] = wasmValue(rows[r * nCols + j]);
        c.predictOne(handle, rowPtr, nCols, outPtr);
        out[r] = (M.HEAPF32 as Float32Array)[outPtr >> 2];
      }
      return out;
    } finally {
      c.free(handle);
    }
  });
}

function wasmValue(v: number): number {
  return v !== v ? MISSING : v === MISSING ? JUST_ABOVE_MISSING : v;
}

/** Runs `fn` with a malloc that is undone afterwards, and turns a wasm exception into a readable Error. */
function withWasm<T>(fn: (alloc: (n: number) => number) => T): T {
  const ptrs: number[] = [];
  lastWasmMessage = "";
  try {
    return fn((n) => {
      const ptr = M._malloc(n) as number;
      if (!ptr) throw new Error(`ml-xgboost: out of memory allocating ${n} bytes`);
      ptrs.push(ptr);
      return ptr;
    });
  } catch (e) {
    // C++ exceptions surface as bare numbers (pointers); XGBoost's message went to printErr just before.
    if (typeof e === "number") throw new Error(`XGBoost (wasm) failed: ${lastWasmMessage || "unknown error"}`);
    throw e;
  } finally {
    for (const ptr of ptrs) M._free(ptr);
  }
}

function savedBytes(handle: number): Uint8Array {
  const size = c.save(handle);
  if (size <= 0) throw new Error(`ml-xgboost could not save the model: ${lastWasmMessage}`);
  const ptr = M._malloc(size) as number;
  try {
    c.fileContent(ptr, size);
    return (M.HEAPU8 as Uint8Array).slice(ptr, ptr + size);
  } finally {
    M._free(ptr);
  }
}

function fromArrays(X: number[][]): [Float32Array, number, number] {
  const nRows = X.length;
  const nCols = nRows ? X[0].length : 0;
  const rows = new Float32Array(nRows * nCols);
  X.forEach((row, i) => {
    if (row.length !== nCols) throw new InputError(`row ${i} has ${row.length} values, row 0 has ${nCols}`, "training matrix");
    rows.set(row, i * nCols);
  });
  return [rows, nRows, nCols];
}

function checkShape(rows: Float32Array, nRows: number, nCols: number): void {
  if (!Number.isInteger(nRows) || !Number.isInteger(nCols) || nRows < 1 || nCols < 1)
    throw new InputError(`matrix shape ${nRows} x ${nCols} is empty or not integer`, "training matrix");
  if (rows.length !== nRows * nCols)
    throw new InputError(`${rows.length} values for ${nRows} rows x ${nCols} columns`, "training matrix");
}

/** XGBoost CHECKs these inside the wasm, where a failure is fatal; refuse them here instead. */
function checkLabels(y: ArrayLike<number>, nRows: number, objective: Objective): void {
  if (y.length !== nRows) throw new InputError(`${y.length} labels for ${nRows} rows`, "labels");
  const [lo, loOpen, what] =
    objective === "reg:logistic" || objective === "binary:logistic" || objective === "binary:logitraw"
      ? [0, false, "in [0, 1]"]
      : objective === "reg:gamma"
        ? [0, true, "> 0"]
        : objective === "count:poisson" || objective === "reg:tweedie"
          ? [0, false, ">= 0"]
          : [-Infinity, false, "finite"];
  const hi = what === "in [0, 1]" ? 1 : Infinity;
  for (let i = 0; i < nRows; i++) {
    const v = Math.fround(y[i]); // what the wasm will see
    if (!Number.isFinite(v) || v < lo || (loOpen && v === lo) || v > hi)
      throw new InputError(`label ${i} is ${v}; ${objective} needs labels ${what}`, "labels");
  }
}
