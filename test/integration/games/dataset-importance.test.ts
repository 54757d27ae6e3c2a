import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { loadPack } from "../../../src/learner/pack.ts";
import { predictTrees } from "../../../src/learner/trees.ts";
import { sampleConfigurations } from "../../../src/recommend/candidates.ts";
import { createRng } from "../../../src/util/random.ts";
import { InputError } from "../../../src/util/errors.ts";
import {
  columnPlayers,
  datasetImportance,
  defaultConfiguration,
  parseConfiguration,
  refineReducedSpace,
  specialisedPredictor,
  specialiseTrees,
  tabulate,
  treeSubsetValues,
  tunabilityGame,
  withDatasetImportance,
  ImportanceForDataset,
} from "../../../src/explain/games/index.ts";
import { readExplanations } from "../../../src/explain/pack-explanations.ts";

const pack = loadPack(path.resolve("models/default"));
const dataset = pack.datasets.find((d) => d.id === "BCT")!;
const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);

test("specialised trees predict exactly what the full trees predict on rows sharing the fixed columns", () => {
  const enc = pack.learner.encoder;
  const rows = enc.encodeForDataset(dataset, sampleConfigurations(pack.space.searchSpace, pack.space.models, 300, createRng(3)));
  const free = new Set(columnPlayers(pack.featureMap.columns).filter((p) => ["lr", "model", "opt"].includes(p.name)).flatMap((p) => p.columns));
  const fixed = rows.slice(0, enc.nCols);
  for (let r = 0; r < 300; r++) for (let c = 0; c < enc.nCols; c++) if (!free.has(c)) rows[r * enc.nCols + c] = fixed[c];
  const m = pack.learner.outcome[0];
  const s = specialiseTrees(m, fixed, free);
  assert.ok(s.left.length < m.left.length / 2, `specialised ${s.left.length} nodes of ${m.left.length}`);
  const a = predictTrees(m, rows, 300);
  const b = predictTrees(s, rows, 300);
  for (let i = 0; i < 300; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9);
});

test("the tree-subset table equals the table from predicted rows", () => {
  const enc = pack.learner.encoder;
  const players = columnPlayers(pack.featureMap.columns).filter((p) => ["lr", "model", "opt", "batch_size", "drop", "linear_probing"].includes(p.name));
  const base = enc.encodeForDataset(dataset, [defaultConfiguration(pack)]);
  const samples = enc.encodeForDataset(dataset, sampleConfigurations(pack.space.searchSpace, pack.space.models, 40, createRng(5)));
  const models = pack.learner.outcome;
  const predict = specialisedPredictor(models, base, new Set(players.flatMap((p) => p.columns)));
  const input = { predict, nCols: enc.nCols, players, baseline: base, samples, includeBaseline: true };
  const fast = tabulate(tunabilityGame({ ...input, subsetValues: treeSubsetValues(models, players, base, samples, enc.nCols) }));
  const slow = tabulate(tunabilityGame(input));
  for (let S = 0; S < slow.length; S++) assert.ok(Math.abs(fast[S] - slow[S]) < 1e-9, `coalition ${S}: ${fast[S]} vs ${slow[S]}`);
  // And the rows themselves are the learner's ensemble mean.
  assert.ok(Math.abs(predict(base, 1)[0] - pack.learner.predictRows(base, 1).mean[0]) < 1e-9);
});

test("efficiency: Shapley values sum to v(N) - v(empty) for every game", () => {
  const config = { model: dataset.topRuns[0].model, hyperparameters: dataset.topRuns[0].hyperparameters };
  for (const game of ["ablation", "tunability", "sensitivity"] as const) {
    const e = datasetImportance(pack, dataset, { game, config, samples: 150, players: 8 }).explanation;
    assert.equal(e.players.length, 8);
    assert.ok(Math.abs(sum(e.shapley) - (e.full - e.empty)) < 1e-9, game);
  }
});

test("ablation from a configuration to itself: every value is zero", () => {
  const baseline = defaultConfiguration(pack);
  const e = datasetImportance(pack, dataset, { game: "ablation", baseline, config: baseline }).explanation;
  assert.ok(e.shapley.every((v) => Math.abs(v) < 1e-12));
  assert.equal(e.full, e.empty);
});

test("tunability is monotone: v(N) >= v(S) >= v(empty), values >= 0; players follow global importance", () => {
  const r = datasetImportance(pack, dataset, { game: "tunability", samples: 300, players: 6, seed: 2 });
  const e = r.explanation;
  const v = e.values!;
  for (let i = 0; i < 6; i++) assert.ok(e.full >= v[1 << i] && v[1 << i] >= e.empty, `player ${e.players[i]}`);
  assert.ok(e.shapley.every((x) => x >= -1e-12));
  const top = readExplanations(pack).importance.filter((i) => i.kind === "hp" || i.kind === "model").slice(0, 6).map((i) => i.name);
  assert.deepEqual([...e.players].sort(), [...top].sort());
  assert.equal(r.held.length, 32 - 6);
  // Seeded: the same sample gives the same values.
  assert.deepEqual(datasetImportance(pack, dataset, { game: "tunability", samples: 300, players: 6, seed: 2 }).explanation.shapley, e.shapley);
});

test("groups play as one player; named groups always play", () => {
  const r = datasetImportance(pack, dataset, { game: "sensitivity", samples: 100, players: 4, groups: [{ name: "augmentation", members: ["auto_augment", "mixup", "cutmix"] }] });
  assert.ok(r.explanation.players.includes("augmentation"));
  assert.equal(r.explanation.players.length, 4);
  assert.deepEqual(r.players.find((p) => p.name === "augmentation")!.members, ["auto_augment", "mixup", "cutmix"]);
});

test("bad input: too many players for exact, unknown players, configurations outside the space", () => {
  assert.throws(() => datasetImportance(pack, dataset, { game: "tunability", samples: 10, players: 16, method: "exact" }), InputError);
  assert.throws(() => datasetImportance(pack, dataset, { game: "tunability", samples: 10, players: ["lr", "nope"] }), /unknown player nope/);
  assert.throws(() => datasetImportance(pack, dataset, { game: "ablation" }), /needs a configuration/);
  const fill = defaultConfiguration(pack);
  assert.throws(() => parseConfiguration({ lr: 0.001, learning_rate: 1 }, pack, fill, "b.json"), /unknown hyperparameter "learning_rate"/);
  assert.throws(() => parseConfiguration({ lr: 5 }, pack, fill, "b.json"), /lr needs a number in/);
  assert.throws(() => parseConfiguration({ opt: "lion" }, pack, fill, "b.json"), /not a value of opt/);
  assert.throws(() => parseConfiguration({ model: "resnet" }, pack, fill, "b.json"), /unknown model/);
  const ok = parseConfiguration({ hyperparameters: { lr: 0.01, opt: "sgd" } }, pack, fill, "b.json");
  assert.equal(ok.hyperparameters.lr, 0.01);
  assert.equal(ok.hyperparameters.batch_size, fill.hyperparameters.batch_size);
});

test("the default baseline sets every hyperparameter to a value of the space", () => {
  const b = defaultConfiguration(pack);
  assert.ok(pack.space.models.includes(b.model));
  for (const [name, hp] of Object.entries(pack.space.searchSpace.hyperparameters)) {
    const v = b.hyperparameters[name];
    if (hp.type === "categorical") assert.ok(hp.values.includes(String(v)), name);
    else if (hp.type === "float" || hp.type === "int") assert.ok(hp.values?.includes(v as number) || ((v as number) >= hp.low && (v as number) <= hp.high), name);
  }
});

test("the reduced space: negligible tunability fixes at the recommended value, high tunability searches again", () => {
  const reduced = readExplanations(pack).reducedSpace;
  const globallyFixed = Object.keys(reduced.fixed)[0];
  const searched = Object.keys(reduced.hyperparameters)[0];
  const imp = {
    players: [
      { name: globallyFixed, members: [globallyFixed], value: 0.05, share: 0.9 },
      { name: searched, members: [searched], value: 0.001, share: 0.02 },
    ],
  } as ImportanceForDataset;
  const rec = defaultConfiguration(pack);
  const out = refineReducedSpace(reduced, pack.space.searchSpace, imp, rec);
  assert.ok(!(globallyFixed in out.fixed) && globallyFixed in out.hyperparameters);
  assert.equal(out.fixed[searched], rec.hyperparameters[searched]);
  assert.ok(!(searched in out.hyperparameters));
  assert.match(out.rationale[searched], /tunability on this dataset/);
  assert.ok(globallyFixed in reduced.fixed, "the input is not modified");
});

test("a recommendation gains the dataset's tunability section and a reduced space refined by it", () => {
  const reduced = readExplanations(pack).reducedSpace;
  const recommendation = { model: dataset.topRuns[0].model, hyperparameters: dataset.topRuns[0].hyperparameters };
  const rec = withDatasetImportance(pack, dataset, { recommendation, reducedSpace: reduced }, { samples: 150 });
  const imp = ImportanceForDataset.parse(rec.importanceForDataset);
  assert.equal(imp.players.length, 10);
  assert.ok(Math.abs(imp.players.reduce((s, p) => s + p.share, 0) - 1) < 1e-3);
  assert.ok(imp.tunedValue >= imp.baselineValue);
  for (const p of imp.players.filter((x) => x.name !== "model")) assert.match(rec.reducedSpace.rationale[p.name], /tunability on this dataset/);
});
