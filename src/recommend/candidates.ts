/**
 * Candidate configurations for a new dataset: the winners of the most similar past datasets, small
 * perturbations of them, and samples from the search space. All respect the user's constraints.
 */
import type { z } from "zod";
import type { Condition, HpValue, Hyperparameter, SearchSpace } from "../metadata/schema.ts";
import type { Configuration } from "../learner/features.ts";
import type { Constraints } from "./constraints.ts";
import type { Rng } from "../util/random.ts";

export interface Candidate extends Configuration {
  id: string;
  /** Where it came from: "ds:<id>/<run>" for a past winner, "mutation:<id>", "sample". */
  origin: string;
}


/**
 * Continuous values are drawn at 4 significant digits: the configuration a recommendation prints is then
 * exactly the one the meta-learner scored (rounding after scoring changed predictions on continuous spaces).
 */
export function roundFloat(hp: Hyperparameter & { type: "float" }, x: number): number {
  return Math.min(hp.high, Math.max(hp.low, Number(x.toPrecision(4))));
}

export function allowedModels(models: readonly string[], c: Constraints): string[] {
  return models.filter((m) => (!c.allowModels?.length || c.allowModels.includes(m)) && !c.denyModels?.includes(m));
}

/**
 * Draws one value of a hyperparameter: from its observed grid when it has one (runs only ever used those
 * values, so the meta-learner knows nothing in between), else log-uniform where the space is log, else uniform.
 */
export function sampleValue(hp: Hyperparameter, rng: Rng): HpValue {
  switch (hp.type) {
    case "categorical":
      return hp.values[rng.int(hp.values.length)];
    case "bool":
      return rng.next() < 0.5;
    case "float":
    case "int": {
      if (hp.values?.length) return hp.values[rng.int(hp.values.length)];
      const u = rng.next();
      const x = hp.log && hp.low > 0 ? Math.exp(Math.log(hp.low) + u * (Math.log(hp.high) - Math.log(hp.low))) : hp.low + u * (hp.high - hp.low);
      return hp.type === "int" ? Math.min(hp.high, Math.max(hp.low, Math.round(x))) : roundFloat(hp, x);
    }
  }
}

/** The conditional hyperparameters of a space, listed once: applyConditions runs for every candidate. */
type Conditional = [string, Hyperparameter & { condition: z.infer<typeof Condition> }];
const conditionalCache = new WeakMap<SearchSpace, Conditional[]>();
function conditionals(space: SearchSpace): Conditional[] {
  let c = conditionalCache.get(space);
  if (!c) {
    c = Object.entries(space.hyperparameters).filter((e): e is Conditional => !!e[1].condition);
    conditionalCache.set(space, c);
  }
  return c;
}

/** Sets inactive conditional hyperparameters to null (a parent "model" means the run's model), applies fixed values. */
export function applyConditions(space: SearchSpace, model: string, hps: Record<string, HpValue>, fixed: Record<string, HpValue> = {}): Record<string, HpValue> {
  const out = { ...hps, ...fixed };
  for (const [name, hp] of conditionals(space)) {
    if (name in fixed) continue;
    const parent = hp.condition.parent === "model" ? model : out[hp.condition.parent];
    if (!hp.condition.values.some((v) => String(v) === String(parent))) out[name] = null;
  }
  return out;
}

export function sampleConfigurations(space: SearchSpace, models: string[], n: number, rng: Rng, fixed: Record<string, HpValue> = {}): Configuration[] {
  if (!models.length) return [];
  const entries = Object.entries(space.hyperparameters);
  return Array.from({ length: n }, () => {
    const hps: Record<string, HpValue> = {};
    for (const [name, hp] of entries) hps[name] = sampleValue(hp, rng);
    const model = models[rng.int(models.length)];
    return { model, hyperparameters: applyConditions(space, model, hps, fixed) };
  });
}

/** A neighbour of a configuration: a few hyperparameters moved a little (numeric) or resampled (categorical). */
export function mutate(space: SearchSpace, cfg: Configuration, rng: Rng, fixed: Record<string, HpValue> = {}, moves = 3): Configuration {
  const names = Object.keys(space.hyperparameters).filter((n) => !(n in fixed));
  const hps = { ...cfg.hyperparameters };
  for (let k = 0; k < moves && names.length; k++) {
    const name = names[rng.int(names.length)];
    const hp = space.hyperparameters[name];
    const v = hps[name];
    if ((hp.type === "float" || hp.type === "int") && typeof v === "number" && !hp.values?.length) {
      // Step of up to 1/8 of the range, measured in log space for log hyperparameters.
      const step = (rng.next() * 2 - 1) / 8;
      let x = hp.log && v > 0 && hp.low > 0 ? Math.exp(Math.log(v) + step * (Math.log(hp.high) - Math.log(hp.low))) : v + step * (hp.high - hp.low);
      x = Math.min(hp.high, Math.max(hp.low, x));
      hps[name] = hp.type === "int" ? Math.round(x) : roundFloat(hp, x);
    } else {
      hps[name] = sampleValue(hp, rng);
    }
  }
  return { model: cfg.model, hyperparameters: applyConditions(space, cfg.model, hps, fixed) };
}

/** Fills hyperparameters a configuration lacks (e.g. from another meta-dataset) so every one of the space is set. */
export function completeConfiguration(space: SearchSpace, cfg: Configuration, fixed: Record<string, HpValue> = {}): Configuration {
  const hps: Record<string, HpValue> = {};
  for (const [name, hp] of Object.entries(space.hyperparameters)) hps[name] = cfg.hyperparameters[name] ?? hp.default ?? null;
  return { model: cfg.model, hyperparameters: applyConditions(space, cfg.model, hps, fixed) };
}
