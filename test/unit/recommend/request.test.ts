import assert from "node:assert/strict";
import { it } from "node:test";
import { buildRequest, checkConfig, checkRequest, type RecommendRequest } from "../../../src/recommend/request.ts";
import { MetaFeatures } from "../../../src/metadata/schema.ts";
import { InputError } from "../../../src/util/errors.ts";
import { dataset, models, space } from "./stage-fixtures.ts";

const ctx = { space, models };

/** The InputError a request raises: where, message, hint. */
function rejection(req: RecommendRequest, where = ""): InputError {
  try {
    checkRequest(req, ctx, where);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail("accepted");
}

it("a request inside the rules comes back as it is", () => {
  const req: RecommendRequest = { dataset, constraints: { allowModels: ["m1"], fixed: { lr: 0.01, opt: "adam" }, budgetSeconds: 60 }, objective: "cost" };
  assert.equal(checkRequest(req, ctx), req);
});

it("meta-features outside their bounds or missing are refused, naming the field and the range", () => {
  const negative = rejection({ dataset: { metaFeatures: { n_samples: -5, n_classes: 3 } } });
  assert.equal(negative.where, "dataset.metaFeatures.n_samples");
  assert.equal(negative.hint, "a whole number from 1 to 10000000000");
  assert.equal(rejection({ dataset: { metaFeatures: { n_samples: 100, n_classes: 1e300 } } }).where, "dataset.metaFeatures.n_classes");
  assert.equal(rejection({ dataset: { metaFeatures: { n_samples: 100, n_classes: 2.5 } } }).where, "dataset.metaFeatures.n_classes");
  assert.match(rejection({ dataset: { metaFeatures: { n_samples: 100 } } }).message, /must give n_samples and n_classes/);
});

it("models the pack does not know, or none left, are refused with the choices", () => {
  const unknown = rejection({ dataset, constraints: { denyModels: ["no_such_model"] } });
  assert.equal(unknown.where, "constraints.denyModels");
  assert.equal(unknown.hint, "one of: m1, m2");
  const none = rejection({ dataset, constraints: { denyModels: ["m1", "m2"] } });
  assert.match(none.message, /no model is left/);
});

it("fixed values must be hyperparameters of the space, inside it", () => {
  const outside = rejection({ dataset, constraints: { fixed: { lr: 100 } } }, "body");
  assert.equal(outside.where, "body.constraints.fixed.lr");
  assert.match(outside.message, /lr = 100 is outside the space/);
  assert.equal(outside.hint, "a number from 0.00001 to 0.1");
  assert.equal(rejection({ dataset, constraints: { fixed: { opt: "rmsprop" } } }).hint, "one of: sgd, adam");
  assert.match(rejection({ dataset, constraints: { fixed: { momentum: 0.9 } } }).message, /unknown hyperparameter "momentum"/);
  assert.match(rejection({ dataset, constraints: { fixed: { lr: null } } }).message, /lr = null cannot be fixed/);
});

it("an unknown objective or a budget that is not a positive number is refused", () => {
  assert.equal(rejection({ dataset, objective: "speed" as never }).where, "objective");
  assert.equal(rejection({ dataset, constraints: { budgetSeconds: Number.POSITIVE_INFINITY } }).where, "constraints.budgetSeconds");
});

it("building from meta-features: the input's options win over the defaults, absent ones are left out", () => {
  const { req, assumptions } = buildRequest({ dataset: { metaFeatures: { n_samples: 500, n_classes: 4 } }, seed: 3 }, ctx, "", { samples: 300, seed: 1 });
  // The meta-features a card derives from the counts are filled in, so either form answers alike.
  const derived = { log_n_samples: Math.log10(500), samples_per_class: 125, log_samples_per_class: Math.log10(125) };
  assert.deepEqual(req, { samples: 300, seed: 3, dataset: { metaFeatures: { n_samples: 500, n_classes: 4, ...derived } }, constraints: {} });
  assert.deepEqual(assumptions, []);
  assert.throws(() => buildRequest({ dataset: { metaFeatures: { n_samples: 0, n_classes: 4 } } }, ctx, "line 3"), (e: InputError) => e.where === "line 3.dataset.metaFeatures.n_samples");
});

it("derived meta-features given by the caller win over the ones filled in", () => {
  const { req } = buildRequest({ dataset: { metaFeatures: { n_samples: 500, n_classes: 4, samples_per_class: 100 } } }, ctx);
  assert.equal(req.dataset.metaFeatures.samples_per_class, 100);
  assert.equal(req.dataset.metaFeatures.log_n_samples, Math.log10(500));
});

it("fewer samples than classes is refused at n_samples", () => {
  const few = rejection({ dataset: { metaFeatures: { n_samples: 3, n_classes: 700 } } }, "body");
  assert.equal(few.where, "body.dataset.metaFeatures.n_samples");
  assert.match(few.message, /n_samples = 3 is fewer than n_classes = 700/);
});

it("names every object has (constructor, toString) are neither meta-features with bounds nor hyperparameters", () => {
  assert.doesNotThrow(() => checkRequest({ dataset: { metaFeatures: { n_samples: 500, n_classes: 4, constructor: 1 } } }, ctx));
  assert.match(rejection({ dataset, constraints: { fixed: { toString: 1 } } }).message, /unknown hyperparameter "toString"/);
  const r = MetaFeatures.safeParse({ n_samples: 5, n_classes: 2, constructor: 1 });
  assert.ok(!r.success);
  assert.deepEqual(r.error.issues[0].path, ["constructor"]);
  assert.match(r.error.issues[0].message, /is a name every JavaScript object already has/);
  // zod leaves a "__proto__" key out of what it returns.
  assert.deepEqual(MetaFeatures.parse(JSON.parse('{"n_samples": 5, "n_classes": 2, "__proto__": 1}')), { n_samples: 5, n_classes: 2 });
});

it("a configuration told to a study: the pack's model and space, with warnings for what is only unusual", () => {
  const where = "body.config";
  const refused = (config: Parameters<typeof checkConfig>[0]) => {
    try {
      checkConfig(config, ctx, where);
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
      return e;
    }
    assert.fail(`accepted ${JSON.stringify(config)}`);
  };
  assert.equal(refused({ model: "m3", hyperparameters: {} }).where, "body.config.model");
  assert.match(refused({ model: "m1", hyperparameters: { momentum: 0.9 } }).message, /unknown hyperparameter "momentum"/);
  const word = refused({ model: "m1", hyperparameters: { lr: "fast" } });
  assert.equal(word.where, "body.config.hyperparameters.lr");
  assert.equal(word.hint, "a number from 0.00001 to 0.1");
  assert.equal(refused({ model: "m1", hyperparameters: { opt: "rmsprop" } }).hint, "one of: sgd, adam");
  assert.deepEqual(checkConfig({ model: "m1", hyperparameters: { lr: 0.01, wd: 0.1, opt: "adam" } }, ctx, where), []);
  const [outside, missing, ...rest] = checkConfig({ model: "m2", hyperparameters: { lr: 5 } }, ctx, where);
  assert.match(outside, /^lr = 5 is outside the space .*nearest value/);
  assert.match(missing, /^2 of the 3 hyperparameters not given \(wd, opt\)/);
  assert.deepEqual(rest, []);
});
