import { test } from "node:test";
import assert from "node:assert/strict";
import { parseMapping } from "../../../src/metadata/mapping/schema.ts";
import { Speller, applyAliases, canonical, compileAliases, compileDerive, deriveValue, isOn } from "../../../src/metadata/mapping/values.ts";
import { inputErrorText } from "./fixtures.ts";
import type { HpValue, SearchSpace } from "../../../src/metadata/schema.ts";


test("mapping: typos and wrong shapes name the key, what is wrong and the fix", () => {
  assert.match(inputErrorText(() => parseMapping({ hyperparamters: ["lr"] }, "m.yaml")), /m\.yaml: invalid mapping:\n\s+hyperparamters: unknown key; did you mean "hyperparameters"\?\n\s+fix: the keys are: name, /);
  assert.match(inputErrorText(() => parseMapping({ metric: { column: "acc", direction: "up" } }, "m.yaml")), /metric\.direction: Invalid option[\s\S]*fix: metric: \{column: <column>/);
  assert.match(inputErrorText(() => parseMapping({ epochs: { configured: "epochs" } }, "m.yaml")), /epochs\.last: [\s\S]*fix: epochs: \{configured:/);
  assert.match(inputErrorText(() => parseMapping({ dataset: { column: "d", rename: "^x" } }, "m.yaml")), /dataset[\s\S]*fix: dataset: <column>, or \{column: <column>, rename:/);
  assert.deepEqual(parseMapping(null, "empty.yaml"), {});
});

test("values: aliases match typed values, derive takes the first set flag", () => {
  const hp: Record<string, HpValue> = { clip_grad: null, layer_decay: 0.65, opt_betas: null };
  applyAliases(hp, compileAliases({ clip_grad: { "": -1 }, layer_decay: { "": -1, "0.650": 0.7 }, opt_betas: { "": "None" } }));
  assert.deepEqual(hp, { clip_grad: -1, layer_decay: 0.7, opt_betas: "None" });

  const [d] = compileDerive({ aug: { from: ["auto_augment", "random_augment", "trivial_augment"], else: "None" } });
  const row = (a: HpValue, r: HpValue, t: HpValue) => (c: string) => ({ auto_augment: a, random_augment: r, trivial_augment: t })[c] as HpValue;
  assert.equal(deriveValue(d, row("v0", false, false)), "auto_augment");
  assert.equal(deriveValue(d, row(null, true, false)), "random_augment");
  assert.equal(deriveValue(d, row("None", false, true)), "trivial_augment");
  assert.equal(deriveValue(d, row(null, false, false)), "None");
  assert.deepEqual([null, false, 0, "", "none", "False", "off"].map((v) => isOn(v as HpValue)), [false, false, false, false, false, false, false]);
  assert.deepEqual([true, 1, "v0", "original"].map(isOn), [true, true, true, true]);
});

test("speller: writes a value in the reference's spelling only when it is the same value", () => {
  assert.equal(canonical("[0,0.99]"), canonical("[0.0, 0.99]"));
  assert.equal(canonical("(0.9, 0.999)"), canonical("[0.9, 0.999]"));
  assert.notEqual(canonical("[0.9, 0.99]"), canonical("[0.9, 0.999]"));
  const space: SearchSpace = {
    source: "inferred",
    hyperparameters: {
      amp: { type: "int", low: 0, high: 1, log: false, values: [0, 1] },
      opt_betas: { type: "categorical", values: ["None", "[0.0, 0.99]", "[0.9, 0.999]"] },
      opt: { type: "categorical", values: ["adam", "sgd"] },
      pretrained: { type: "bool" },
      batch_size: { type: "int", low: 2, high: 512, log: true },
    },
  };
  const s = new Speller(space);
  assert.equal(s.spell("amp", true), 1);
  assert.equal(s.spell("amp", false), 0);
  assert.equal(s.spell("opt_betas", "[0,0.99]"), "[0.0, 0.99]");
  assert.equal(s.spell("opt_betas", "[0.5,0.9]"), "[0.5,0.9]"); // unseen: left for `data check` to report
  assert.equal(s.spell("opt_betas", null), null); // missing is not a spelling: the mapping decides (values)
  assert.equal(s.spell("opt", "Adam"), "adam");
  assert.equal(s.spell("pretrained", 1), true);
  assert.equal(s.spell("batch_size", true), true); // not a 0/1 hyperparameter
  assert.equal(s.spell("unknown", "x"), "x");
  assert.deepEqual(
    s.rewrites().map((r) => [r.hyperparameter, r.from, r.to, r.count]),
    [["amp", "true", 1, 1], ["amp", "false", 0, 1], ["opt_betas", "[0,0.99]", "[0.0, 0.99]", 1], ["opt", "Adam", "adam", 1], ["pretrained", "1", true, 1]],
  );
});
