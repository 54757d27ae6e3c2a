import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { inferSearchSpace, readSearchSpaceFile } from "../../../src/metadata/search-space.ts";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { InputError } from "../../../src/util/errors.ts";
import type { HpValue } from "../../../src/metadata/schema.ts";
import { quicktuneFixture, tempDir, writeFiles } from "./fixtures.ts";

const rows = (cols: Record<string, HpValue[]>, models?: string[]) => {
  const n = Object.values(cols)[0].length;
  return Array.from({ length: n }, (_, i) => ({
    ...(models ? { model: models[i] } : {}),
    hyperparameters: Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[i]])),
  }));
};

test("search space: types, ranges, log scale on >= 2 decades, constants dropped", () => {
  const s = inferSearchSpace(
    rows({
      lr: [1e-5, 1e-4, 1e-3, 1e-2, 3e-4],
      batch: [16, 32, 64, 16, 32],
      drop: [0, 0.1, 0.2, 0.3, 0.5],
      opt: ["adam", "sgd", "adam", "sgd", "adamw"],
      amp: [true, false, true, true, false],
      seed: [7, 7, 7, 7, 7],
      empty: [null, null, null, null, null],
    }),
  ).hyperparameters;
  assert.deepEqual(Object.keys(s).sort(), ["amp", "batch", "drop", "lr", "opt"]);
  assert.deepEqual(s.lr, { type: "float", low: 1e-5, high: 1e-2, log: true, values: [1e-5, 1e-4, 3e-4, 1e-3, 1e-2] });
  assert.equal(s.batch.type, "int");
  assert.equal(s.batch.type === "int" && s.batch.log, false); // 16..64 spans less than 2 decades
  assert.equal(s.drop.type === "float" && s.drop.log, false);
  assert.deepEqual(s.opt, { type: "categorical", values: ["adam", "adamw", "sgd"] });
  assert.deepEqual(s.amp, { type: "bool" });
});

test("search space: zeros beside a log range stay in the grid; uniform draws over [0, 0.2] stay linear", () => {
  const wd = inferSearchSpace(rows({ wd: [0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1] })).hyperparameters.wd;
  assert.equal(wd.type, "float");
  if (wd.type !== "float") return;
  assert.equal(wd.log, true);
  assert.equal(wd.low, 1e-5);
  assert.ok(wd.values?.includes(0));
  assert.match(wd.description ?? "", /0.*outside the log range/);

  // 40 evenly spread draws of a uniform on (0, 0.2]: the smallest is 0.005, 1.6 decades; add one tiny draw.
  const uniform = Array.from({ length: 40 }, (_, i) => (i + 1) * 0.005).concat([0.0001]);
  const ls = inferSearchSpace(rows({ ls: uniform })).hyperparameters.ls;
  assert.equal(ls.type === "float" && ls.log, false, "3.3 decades but uniformly spread: not log");
  const logUniform = Array.from({ length: 41 }, (_, i) => 10 ** (-5 + (3 * i) / 40));
  const lr = inferSearchSpace(rows({ lr: logUniform })).hyperparameters.lr;
  assert.equal(lr.type === "float" && lr.log, true);
});

test("search space: a value present only under some parent values becomes conditional", () => {
  const s = inferSearchSpace(
    rows(
      {
        kernel: ["rbf", "poly", "rbf", "linear", "poly"],
        degree: [null, 3, null, null, 2],
        growth: [12, 24, null, null, 32],
      },
      ["dense", "dense", "res", "res", "dense"],
    ),
  ).hyperparameters;
  assert.deepEqual(s.degree.condition, { parent: "kernel", values: ["poly"] });
  assert.deepEqual(s.growth.condition, { parent: "model", values: ["dense"] });
  assert.equal(s.kernel.condition, undefined);
});

test("search space: a given JSON file replaces the inferred one, and is validated", () => {
  const dir = tempDir();
  const good = path.join(dir, "space.json");
  writeFiles(dir, { "space.json": JSON.stringify({ hyperparameters: { lr: { type: "float", low: 1e-6, high: 1, log: true } } }) });
  const md = loadMetaDataset(quicktuneFixture(), { searchSpace: good });
  assert.equal(md.searchSpace.source, "given");
  assert.deepEqual(Object.keys(md.searchSpace.hyperparameters), ["lr"]);
  assert.ok(md.notes?.some((n) => n.includes("not in the given search space") && n.includes("batch_size")));

  writeFiles(dir, { "bad.json": JSON.stringify({ hyperparameters: { lr: { type: "float", low: "small" } } }) });
  assert.throws(() => readSearchSpaceFile(path.join(dir, "bad.json")), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.describe(), /bad\.json/);
    assert.match(e.describe(), /hyperparameters\.lr\.low/);
    return true;
  });
});
