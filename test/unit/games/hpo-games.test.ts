import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ablationGame,
  aggregateGames,
  explain,
  mistunabilityGame,
  sampleGame,
  sensitivityGame,
  tabulate,
  tunabilityGame,
  type Player,
  type SampleStatistic,
} from "../../../src/explain/games/index.ts";
import { createRng } from "../../../src/util/random.ts";

// Columns: 0 meta-feature | 1 log10 lr | 2-4 optimizer one-hot (adam, sgd, rmsprop) | 5 batch size | 6 mixup | 7 dropout
const N_COLS = 8;
const PLAYERS: Player[] = [
  { name: "lr", columns: [1] },
  { name: "optimizer", columns: [2, 3, 4] },
  { name: "batch_size", columns: [5] },
  { name: "mixup", columns: [6] },
  { name: "dropout", columns: [7] },
];

/** Tree-like: steps on lr, a penalty for sgd, a bonus for mixup, a batch x mixup product, dropout inert. */
function f(r: Float32Array, o: number): number {
  const lr = r[o + 1];
  return (
    (lr >= -3.5 && lr <= -2.5 ? 0.3 : lr < -4.5 ? -0.2 : 0) +
    (r[o + 3] === 1 ? -0.1 : 0) +
    (r[o + 6] > 0.5 ? 0.05 : 0) +
    (r[o + 5] > 64 && r[o + 6] > 0.5 ? 0.1 : 0) +
    0.01 * r[o]
  );
}

function makePredictor() {
  const counter = { rows: 0, calls: 0 };
  const predict = (rows: Float32Array, nRows: number) => {
    counter.rows += nRows;
    counter.calls++;
    assert.equal(rows.length, nRows * N_COLS);
    const out = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) out[i] = f(rows, i * N_COLS);
    return out;
  };
  return { predict, counter };
}

function row(meta: number, lr: number, opt: number, batch: number, mixup: number, dropout: number): Float32Array {
  const r = new Float32Array(N_COLS);
  r.set([meta, lr, opt === 0 ? 1 : 0, opt === 1 ? 1 : 0, opt === 2 ? 1 : 0, batch, mixup, dropout]);
  return r;
}

function sampleRows(m: number, meta: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(m * N_COLS);
  for (let z = 0; z < m; z++) {
    out.set(row(meta, -5 + 4 * rng.next(), rng.int(3), [16, 32, 64, 128, 256][rng.int(5)], rng.int(2), rng.next() * 0.5), z * N_COLS);
  }
  return out;
}

const BASE = row(2, -1, 1, 32, 0, 0.1); // a poor default: lr too high, sgd, small batch, no mixup
const TARGET = row(2, -3, 0, 128, 1, 0.5); // the recommendation
const SAMPLES = sampleRows(500, 2, 42);

/** v(S) built directly from the definition, row by row: the reference for both code paths. */
function directValue(S: number, statistic: SampleStatistic, samples: Float32Array, includeBaseline = false): number {
  const vals: number[] = [];
  for (let z = 0; z < samples.length / N_COLS; z++) {
    const r = BASE.slice();
    PLAYERS.forEach((p, i) => {
      if ((S >> i) & 1) for (const c of p.columns) r[c] = samples[z * N_COLS + c];
    });
    vals.push(f(r, 0));
  }
  if (includeBaseline) vals.push(f(BASE, 0));
  if (statistic === "max") return Math.max(...vals);
  if (statistic === "min") return Math.min(...vals);
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  if (statistic === "mean") return mean;
  return vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
}

function allMembers(n: number): Uint8Array {
  const members = new Uint8Array((1 << n) * n);
  for (let S = 0; S < 1 << n; S++) for (let i = 0; i < n; i++) members[S * n + i] = (S >> i) & 1;
  return members;
}

test("tunability: v(empty) = f(baseline), v(N) = the max over the sample computed directly", () => {
  const { predict } = makePredictor();
  const game = tunabilityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES });
  const table = tabulate(game);
  assert.equal(table[0], f(BASE, 0));
  let best = -Infinity;
  for (let z = 0; z < 500; z++) best = Math.max(best, f(SAMPLES, z * N_COLS));
  assert.equal(table[31], best);
});

test("all statistics: the full table and per-coalition evaluation agree with the definition", () => {
  for (const statistic of ["max", "min", "variance", "mean"] as const) {
    for (const includeBaseline of [false, true]) {
      const { predict } = makePredictor();
      const game = sampleGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES, statistic, includeBaseline });
      const table = tabulate(game);
      const evaluated = game.evaluate(allMembers(5), 32);
      for (let S = 0; S < 32; S++) {
        const want = directValue(S, statistic, SAMPLES, includeBaseline);
        assert.ok(Math.abs(table[S] - want) < 1e-12, `${statistic} table S=${S}: ${table[S]} vs ${want}`);
        assert.ok(Math.abs(evaluated[S] - want) < 1e-12, `${statistic} evaluate S=${S}`);
      }
    }
  }
});

test("tunability: lr dominates, the inert dropout is a null player, efficiency holds", () => {
  const { predict } = makePredictor();
  const e = explain(tunabilityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES }));
  const n = PLAYERS.length;
  const order = [...e.players].sort((a, b) => e.shapley[e.players.indexOf(b)] - e.shapley[e.players.indexOf(a)]);
  assert.equal(order[0], "lr");
  assert.equal(e.shapley[4], 0);
  for (let j = 0; j < n; j++) assert.equal(e.interactions![4 * n + j], 0);
  assert.ok(Math.abs(e.shapley.reduce((a, b) => a + b, 0) - (e.full - e.empty)) < 1e-9);
});

test("ablation: closed-form Shapley values and the batch x mixup interaction", () => {
  const { predict, counter } = makePredictor();
  const e = explain(ablationGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, target: TARGET }));
  // v(S) = 0.3[lr] + 0.1[optimizer] + 0.05[mixup] + 0.1[batch and mixup] + const
  const expected = [0.3, 0.1, 0.05, 0.1, 0];
  expected.forEach((x, i) => assert.ok(Math.abs(e.shapley[i] - x) < 1e-9, `${PLAYERS[i].name}: ${e.shapley[i]}`));
  assert.ok(Math.abs(e.interactions![2 * 5 + 3] - 0.1) < 1e-9);
  assert.ok(Math.abs(e.full - e.empty - (f(TARGET, 0) - f(BASE, 0))) < 1e-12);
  assert.equal(counter.rows, 32, "2^5 coalition rows: 31 plus the baseline, none twice");
  assert.equal(counter.calls, 2);
});

test("ablation with target == baseline gives all zeros", () => {
  const { predict, counter } = makePredictor();
  const e = explain(ablationGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, target: BASE.slice() }));
  assert.deepEqual([...e.shapley], [0, 0, 0, 0, 0]);
  assert.ok(e.interactions!.every((x) => x === 0));
  assert.equal(counter.rows, 1, "only the baseline is predicted");
});

test("rows are predicted only for players a sample changes (categorical values equal to the baseline's are reused)", () => {
  const { predict, counter } = makePredictor();
  tabulate(tunabilityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES }));
  let expected = 1;
  for (let z = 0; z < 500; z++) {
    let d = 0;
    for (const p of PLAYERS) if (p.columns.some((c) => SAMPLES[z * N_COLS + c] !== BASE[c])) d++;
    expected += 2 ** d - 1;
  }
  assert.equal(counter.rows, expected);
  assert.ok(counter.rows < 0.6 * 32 * 500, `${counter.rows} rows`);
});

test("sensitivity is 0 for the empty coalition and non-negative; mistunability with the baseline is monotone", () => {
  const { predict } = makePredictor();
  const sens = tabulate(sensitivityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES }));
  assert.equal(sens[0], 0);
  assert.ok(sens.every((x) => x >= 0));
  const mis = tabulate(mistunabilityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline: BASE, samples: SAMPLES, includeBaseline: true }));
  for (let S = 0; S < 32; S++) for (let i = 0; i < 5; i++) assert.ok(mis[S | (1 << i)] <= mis[S]);
});

test("multi-dataset: mean, min and max of the same game on two datasets", () => {
  const { predict } = makePredictor();
  const games = [2, 7].map((meta) => {
    const baseline = BASE.slice();
    baseline[0] = meta;
    return tunabilityGame({ predict, nCols: N_COLS, players: PLAYERS, baseline, samples: sampleRows(200, meta, meta) });
  });
  const [a, b] = games.map(tabulate);
  const mean = tabulate(aggregateGames(games, "mean"));
  const min = tabulate(aggregateGames(games, "min"));
  const max = tabulate(aggregateGames(games, "max"));
  const members = allMembers(5);
  const evaluated = aggregateGames(games, "mean").evaluate(members, 32);
  for (let S = 0; S < 32; S++) {
    assert.ok(Math.abs(mean[S] - (a[S] + b[S]) / 2) < 1e-12);
    assert.ok(Math.abs(evaluated[S] - mean[S]) < 1e-12);
    assert.equal(min[S], Math.min(a[S], b[S]));
    assert.equal(max[S], Math.max(a[S], b[S]));
  }
});

test("invalid inputs are refused", () => {
  const { predict } = makePredictor();
  const input = { predict, nCols: N_COLS, baseline: BASE, samples: SAMPLES };
  assert.throws(() => tunabilityGame({ ...input, players: [...PLAYERS, { name: "lr2", columns: [1] }] }), /both lr and lr2/);
  assert.throws(() => tunabilityGame({ ...input, players: [{ name: "x", columns: [8] }] }), /out of range/);
  assert.throws(() => tunabilityGame({ ...input, players: PLAYERS, samples: new Float32Array(7) }), /multiple/);
});
