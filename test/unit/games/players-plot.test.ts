import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ablationGame,
  columnPlayers,
  explain,
  functionGame,
  groupPlayers,
  interactionHeatmapSpec,
  parseGroup,
  renderExplanation,
  screeningScores,
  topPlayers,
} from "../../../src/explain/games/index.ts";
import { isInputError } from "../../../src/util/errors.ts";
import { createRng, shuffle } from "../../../src/util/random.ts";

const COLUMNS = [
  { group: "n_samples", kind: "meta" },
  { group: "model", kind: "model" },
  { group: "model", kind: "model" },
  { group: "lr", kind: "hp" },
  { group: "auto_augment", kind: "hp" },
  { group: "mixup", kind: "hp" },
  { group: "optimizer", kind: "hp" },
  { group: "optimizer", kind: "hp" },
  { group: "cutmix", kind: "hp" },
];

test("one player per hyperparameter (and the model), owning all its one-hot columns", () => {
  assert.deepEqual(columnPlayers(COLUMNS), [
    { name: "model", columns: [1, 2] },
    { name: "lr", columns: [3] },
    { name: "auto_augment", columns: [4] },
    { name: "mixup", columns: [5] },
    { name: "optimizer", columns: [6, 7] },
    { name: "cutmix", columns: [8] },
  ]);
  assert.deepEqual(columnPlayers(COLUMNS, ["hp"]).map((p) => p.name), ["lr", "auto_augment", "mixup", "optimizer", "cutmix"]);
});

test("--group merges hyperparameters into one player and refuses unknown or repeated members", () => {
  const g = parseGroup(" augmentation = auto_augment, mixup,cutmix ");
  assert.deepEqual(g, { name: "augmentation", members: ["auto_augment", "mixup", "cutmix"] });
  const players = groupPlayers(columnPlayers(COLUMNS), [g]);
  assert.deepEqual(players, [
    { name: "model", columns: [1, 2] },
    { name: "lr", columns: [3] },
    { name: "augmentation", columns: [4, 5, 8] },
    { name: "optimizer", columns: [6, 7] },
  ]);
  const hp = columnPlayers(COLUMNS);
  for (const bad of [
    () => parseGroup("augmentation"),
    () => parseGroup("augmentation="),
    () => groupPlayers(hp, [parseGroup("aug=mixup,nope")]),
    () => groupPlayers(hp, [parseGroup("a=mixup"), parseGroup("b=mixup,cutmix")]),
    () => groupPlayers(hp, [parseGroup("lr=mixup,cutmix")]),
  ]) {
    assert.throws(bad, (e: unknown) => isInputError(e) && e.where === "--group");
  }
});

test("top-k selection by score and the screening scores find the important players", () => {
  const players = ["a", "b", "c", "d"].map((name, i) => ({ name, columns: [i] }));
  assert.deepEqual(topPlayers(players, [0.1, 3, NaN, 2], 2).map((p) => p.name), ["b", "d"]);
  // c matters only together with d (pure interaction); a is strong alone; b is inert.
  const game = functionGame(["a", "b", "c", "d"], (S) => 2 * (S & 1) + ((S & 12) === 12 ? 1 : 0));
  const s = screeningScores(game);
  assert.deepEqual([...s], [2, 0, 0.5, 0.5]);
});

test("charts render to SVG with every player named", async () => {
  const rng = createRng(2);
  const w = [0.4, -0.2, 0.1];
  const game = functionGame(["lr", "optimizer", "batch_size"], (S) => (S & 1 ? w[0] : 0) + (S & 2 ? w[1] : 0) + ((S & 5) === 5 ? w[2] : 0));
  for (const e of [explain(game), explain(game, { method: "permutation", budget: 200, seed: rng.int(100) })]) {
    const { shapley, interactions } = await renderExplanation(e, { valueLabel: "predicted accuracy" });
    for (const svg of [shapley, interactions!]) {
      assert.match(svg, /^<svg/);
      for (const p of e.players) assert.ok(svg.includes(p), p);
    }
  }
  const noPairs = explain(functionGame(["a", "b", "c"], () => 0), { method: "permutation", budget: 100, interactions: false });
  assert.throws(() => interactionHeatmapSpec(noPairs), /no pairwise interactions/);
  const one = await renderExplanation(
    explain(ablationGame({ predict: (_r, k) => new Float64Array(k), nCols: 1, players: [{ name: "x", columns: [0] }], baseline: new Float32Array(1), target: new Float32Array([1]) })),
  );
  assert.equal(one.interactions, undefined);
});

test("the seeded generator is reproducible and roughly uniform", () => {
  const a = createRng(7);
  const b = createRng(7);
  const xs = Array.from({ length: 10_000 }, () => a.next());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.02);
  assert.notDeepEqual(createRng(8).next(), createRng(7).next());
  const perm = shuffle([0, 1, 2, 3, 4, 5], createRng(1));
  assert.deepEqual([...perm].sort(), [0, 1, 2, 3, 4, 5]);
  const normals = Array.from({ length: 10_000 }, () => a.normal());
  const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
  const variance = normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length;
  assert.ok(Math.abs(mean) < 0.05 && Math.abs(variance - 1) < 0.05);
});
