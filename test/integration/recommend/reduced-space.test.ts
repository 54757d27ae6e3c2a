/**
 * The reduced search space of an answer must contain the answer and honour its constraints, whatever the request:
 * a property checked over many random requests on the real default pack. It is also the one search-space format:
 * `--search-space` reads it back.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import { valueProblem } from "../../../src/judge/space-check.ts";
import { readSearchSpaceFile } from "../../../src/metadata/search-space.ts";
import type { HpValue } from "../../../src/metadata/schema.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import type { RecommendRequest } from "../../../src/recommend/request.ts";
import { createRng } from "../../../src/util/random.ts";
import { fmt } from "../../../src/util/format.ts";
import { sharedEngine } from "../server/helpers.ts";

let recommender: Recommender;
before(async () => {
  ({ recommender } = await sharedEngine());
});

/** A random request: a dataset, and constraints drawn from the pack's own models and space. */
function randomRequest(seed: number): RecommendRequest {
  const r = createRng(seed);
  const { models, searchSpace } = recommender.pack.space;
  const pick = <T>(xs: readonly T[]) => xs[r.int(xs.length)];
  const constraints: NonNullable<RecommendRequest["constraints"]> = {};
  const lists = r.next();
  if (lists < 0.4) constraints.allowModels = Array.from({ length: 1 + r.int(4) }, () => pick(models));
  else if (lists < 0.65) constraints.denyModels = Array.from({ length: 1 + r.int(6) }, () => pick(models));
  if (r.next() < 0.6) {
    const fixed: Record<string, HpValue> = {};
    for (const name of Array.from({ length: 1 + r.int(3) }, () => pick(Object.keys(searchSpace.hyperparameters)))) {
      const hp = searchSpace.hyperparameters[name];
      if (hp.condition) continue;
      fixed[name] = hp.type === "categorical" ? pick(hp.values) : hp.type === "bool" ? r.next() < 0.5 : hp.values?.length ? pick(hp.values) : hp.type === "int" ? hp.low + r.int(hp.high - hp.low + 1) : hp.low + r.next() * (hp.high - hp.low);
    }
    constraints.fixed = fixed;
  }
  if (r.next() < 0.3) constraints.budgetSeconds = 60 + r.int(20000);
  return {
    dataset: { metaFeatures: { n_samples: 100 + r.int(100000), n_classes: 2 + r.int(300), image_size: 32 + r.int(480), channels: pick([1, 3]) } },
    constraints,
    objective: pick(["accuracy", "balanced", "cost"] as const),
    samples: 100,
    seed,
  };
}

test("over 40 random requests, the reduced space contains the pick and honours the constraints", async () => {
  const space = recommender.pack.space.searchSpace;
  for (let seed = 0; seed < 40; seed++) {
    const req = randomRequest(seed);
    const rec = await recommender.recommend(req);
    const pick = rec.recommendation;
    const rs = rec.reducedSpace;
    const where = `seed ${seed} (${JSON.stringify(req.constraints)})`;
    assert.ok(rs.models.includes(pick.model), `${where}: model ${pick.model} missing from ${rs.models.join(", ")}`);
    for (const m of rs.models) {
      if (req.constraints?.allowModels) assert.ok(req.constraints.allowModels.includes(m), `${where}: ${m} is not allowed`);
      assert.ok(!req.constraints?.denyModels?.includes(m), `${where}: ${m} is denied`);
    }
    for (const [name, v] of Object.entries(req.constraints?.fixed ?? {})) assert.ok(name in rs.fixed && rs.fixed[name] === v, `${where}: ${name} fixed at ${v}, reduced space says ${rs.fixed[name]}`);
    for (const [name, hp] of Object.entries(space.hyperparameters)) {
      const v = pick.hyperparameters[name];
      assert.ok(name in rs.fixed !== name in rs.hyperparameters, `${where}: ${name} must be either fixed or searched`);
      if (name in rs.fixed) {
        if (v !== null && v !== undefined) assert.equal(rs.fixed[name], v, `${where}: ${name} fixed at ${rs.fixed[name]}, the pick has ${v}`);
        continue;
      }
      const narrowed = rs.hyperparameters[name];
      assert.equal(narrowed.type, hp.type);
      if (v !== null && v !== undefined) assert.equal(valueProblem(name, narrowed, v), undefined, `${where}: the pick is outside the reduced space`);
      if (narrowed.type === "float" || narrowed.type === "int")
        for (const g of narrowed.values ?? []) assert.ok(g >= narrowed.low && g <= narrowed.high, `${where}: ${name} grid value ${g} outside [${narrowed.low}, ${narrowed.high}]`);
      // The reason given states the range that is there: the last one it names is the searched range.
      const said = [...(rs.rationale[name] ?? "").matchAll(/(?:narrowed|widened)(?: from \[[^\]]+\])? to (\[[^\]]+\]|[\w, .-]+?)(?: to hold|:|,? then|$)/g)].at(-1)?.[1];
      if (said !== undefined) {
        const actual = narrowed.type === "categorical" ? narrowed.values.join(", ") : narrowed.type === "bool" ? said : `[${fmt(narrowed.low)}, ${fmt(narrowed.high)}]`;
        assert.equal(said, actual, `${where}: ${name}: "${rs.rationale[name]}"`);
      }
    }
  }
});

test("the reduced space is the search-space format: --search-space reads it back", async () => {
  const rec = await recommender.recommend({ dataset: { metaFeatures: { n_samples: 3000, n_classes: 7, image_size: 224, channels: 3 } }, samples: 100 });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "hporec-rs-")), "reduced.json");
  writeFileSync(file, JSON.stringify(rec.reducedSpace));
  const back = readSearchSpaceFile(file);
  assert.deepEqual(Object.keys(back.hyperparameters).sort(), Object.keys(rec.reducedSpace.hyperparameters).sort());
  assert.deepEqual(back.models, rec.reducedSpace.models);
  assert.deepEqual(back.fixed, rec.reducedSpace.fixed);
});
