/**
 * Benchmark of the HyperSHAP games on a real 300-tree depth-6 booster over 70 columns (trained here on
 * synthetic data shaped like hporec's rows). Targets: the exact 10-player tunability game with 2,000 samples
 * (2^10 x 2,000 ~ 2M rows) under 20 s, the 10-player ablation game under 1 s. The reference line is the time of
 * the same number of plain predictions, so the games' own overhead is visible.
 * Usage: npx tsx scripts/bench-games.ts
 */
import { performance } from "node:perf_hooks";
import { ablationGame, explain, tabulate, tunabilityGame, type Player } from "../src/explain/games/index.ts";
import { predictTrees } from "../src/learner/trees.ts";
import { trainBooster } from "../src/learner/xgboost.ts";
import { createRng } from "../src/util/random.ts";

// 40 meta-features | 8 model one-hot | 6 continuous hps | optimizer (3) | scheduler (3) | mixup | cutmix | 8 unused = 70
const N_COLS = 70;
const HP = 48;
const players: Player[] = [
  ...["lr", "weight_decay", "momentum", "dropout", "label_smoothing", "batch_size"].map((name, i) => ({ name, columns: [HP + i] })),
  { name: "optimizer", columns: [54, 55, 56] },
  { name: "scheduler", columns: [57, 58, 59] },
  { name: "mixup", columns: [60] },
  { name: "cutmix", columns: [61] },
];

const rng = createRng(1);
function randomRow(out: Float32Array, off: number, meta: Float32Array | undefined): void {
  for (let c = 0; c < 40; c++) out[off + c] = meta ? meta[c] : rng.normal();
  const model = rng.int(8);
  for (let c = 0; c < 8; c++) out[off + 40 + c] = c === model ? 1 : 0;
  for (let c = 0; c < 6; c++) out[off + HP + c] = rng.next() * 4 - 2;
  for (const start of [54, 57]) {
    const k = rng.int(3);
    for (let c = 0; c < 3; c++) out[off + start + c] = c === k ? 1 : 0;
  }
  out[off + 60] = rng.int(2);
  out[off + 61] = rng.int(2);
  for (let c = 62; c < 70; c++) out[off + c] = rng.next();
}

function time<T>(label: string, fn: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = fn();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label.padEnd(58)} ${seconds.toFixed(3)} s`);
  return { value, seconds };
}

// Training data: the outcome depends on hyperparameters, their interactions and the dataset, so the trees split on them.
const nTrain = 4000;
const X = new Float32Array(nTrain * N_COLS);
for (let r = 0; r < nTrain; r++) randomRow(X, r * N_COLS, undefined);
const y = Array.from({ length: nTrain }, (_, r) => {
  const o = r * N_COLS;
  const lr = X[o + HP];
  return -((lr - 0.3 * X[o]) ** 2) + 0.5 * X[o + HP + 1] * X[o + 60] - 0.3 * X[o + 55] + 0.2 * X[o + 61] * X[o + HP + 5] + 0.1 * X[o + 1] + 0.1 * rng.normal();
});
const { value: trained } = time("train 300 trees, depth 6 (ml-xgboost, 4000 x 70)", () =>
  trainBooster(X, nTrain, N_COLS, y, { n_estimators: 300, max_depth: 6, eta: 0.05, subsample: 0.8, seed: 0 }),
);
const model = trained.model;
console.log(`model: ${model.nTrees} trees, ${model.left.length} nodes, max depth ${model.maxDepth}`);
let predictedRows = 0;
const predict = (rows: Float32Array, nRows: number): Float64Array => {
  predictedRows += nRows;
  return predictTrees(model, rows, nRows);
};

const nSamples = 2000;
const meta = new Float32Array(40).map(() => rng.normal());
const samples = new Float32Array(nSamples * N_COLS);
for (let z = 0; z < nSamples; z++) randomRow(samples, z * N_COLS, meta);
for (let z = 0; z < nSamples; z++) samples.fill(0, z * N_COLS + 40, z * N_COLS + 48), (samples[z * N_COLS + 42] = 1); // one model
const baseline = samples.slice(0, N_COLS); // a configuration from the space: categorical values recur in the sample
const target = samples.slice(N_COLS, 2 * N_COLS);
// Worst case: a baseline no sample matches on any player, so no coalition row can be reused.
const foreign = baseline.slice();
foreign.fill(0, 54, 60);
foreign[60] = foreign[61] = 0.5;

const full = 2 ** players.length * nSamples;
const ref = new Float32Array(16_384 * N_COLS);
for (let r = 0; r < 16_384; r++) randomRow(ref, r * N_COLS, meta);
const reference = time(`reference: ${full.toLocaleString("en")} plain predictions`, () => {
  for (let done = 0; done < full; done += 16_384) predictTrees(model, ref, Math.min(16_384, full - done));
});
const perRow = reference.seconds / full;

for (const [label, base] of [
  ["baseline from the space", baseline],
  ["baseline outside the sample (no reuse)", foreign],
] as const) {
  predictedRows = 0;
  const game = tunabilityGame({ predict, nCols: N_COLS, players, baseline: base, samples });
  const t = time(`tunability, 10 players x ${nSamples} samples, ${label}`, () => tabulate(game));
  const e = time("  exact Shapley + interactions + Moebius from the table", () => explain(game));
  console.log(
    `  rows predicted ${predictedRows.toLocaleString("en")} of ${full.toLocaleString("en")}; ` +
      `overhead vs plain prediction of those rows ${(t.seconds / (predictedRows * perRow)).toFixed(2)}x; ` +
      `top: ${[...e.value.players].sort((a, b) => e.value.shapley[e.value.players.indexOf(b)] - e.value.shapley[e.value.players.indexOf(a)]).slice(0, 3).join(", ")}`,
  );
}

predictedRows = 0;
const abl = ablationGame({ predict, nCols: N_COLS, players, baseline: foreign, target });
time("ablation, 10 players (2^10 coalitions) incl. explanation", () => explain(abl));
console.log(`  rows predicted ${predictedRows}`);
