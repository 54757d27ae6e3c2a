/**
 * Is a configuration a point of the search space? Every hyperparameter present, none unknown, numbers inside
 * their range (or on the observed grid, which may hold a 0 outside a log range), categories from the list,
 * inactive conditionals null and active ones set, and the model one of the pack's.
 */
import type { HpValue, Hyperparameter, SearchSpace } from "../metadata/schema.ts";
import { fmt } from "../util/format.ts";

export interface SpaceCheck {
  /** Hyperparameters of the space (the denominator of the score). */
  checked: number;
  problems: string[];
}

export function checkConfiguration(space: SearchSpace, models: readonly string[], model: string, hps: Record<string, HpValue>): SpaceCheck {
  const problems: string[] = [];
  if (!models.includes(model)) problems.push(`model ${JSON.stringify(model)} is not one of the pack's ${models.length} models`);
  for (const name of Object.keys(hps)) if (!(name in space.hyperparameters)) problems.push(`unknown hyperparameter ${name} (not in the search space)`);
  for (const [name, hp] of Object.entries(space.hyperparameters)) {
    if (!(name in hps)) {
      // A hyperparameter that does not apply to this model may be left out of the answer.
      if (isActive(hp, model, hps) || hp.condition?.parent !== "model") problems.push(`missing hyperparameter ${name}`);
      continue;
    }
    const v = hps[name];
    const active = isActive(hp, model, hps);
    if (!active) {
      if (v !== null) problems.push(`${name} = ${show(v)} is set although inactive (${conditionText(hp)}); expected null`);
    } else if (v === null) {
      // A model with several search spaces (HPO-B's xgboost) has runs without some of its hyperparameters:
      // null there means the library's default, not a missing value.
      if (hp.condition?.parent !== "model") problems.push(`${name} is null although active${hp.condition ? ` (${conditionText(hp)})` : ""}`);
    }
    else {
      const p = valueProblem(name, hp, v);
      if (p) problems.push(p);
    }
  }
  return { checked: Object.keys(space.hyperparameters).length + 1, problems };
}

/** Whether a numeric value lies in [low, high], with room for the 4-significant-digit rounding of answers. */
export function within(v: number, low: number, high: number): boolean {
  const tol = 1e-6 * Math.max(Math.abs(low), Math.abs(high), 1e-12);
  return v >= low - tol && v <= high + tol;
}

function isActive(hp: Hyperparameter, model: string, hps: Record<string, HpValue>): boolean {
  if (!hp.condition) return true;
  const parent = hp.condition.parent === "model" ? model : hps[hp.condition.parent];
  return hp.condition.values.some((x) => String(x) === String(parent));
}

/** Why a value is not a point of one hyperparameter's space (undefined when it is). */
export function valueProblem(name: string, hp: Hyperparameter, v: HpValue): string | undefined {
  switch (hp.type) {
    case "categorical":
      return typeof v === "string" && hp.values.includes(v) ? undefined : `${name} = ${show(v)} is not one of ${hp.values.join(", ")}`;
    case "bool":
      return typeof v === "boolean" ? undefined : `${name} = ${show(v)} is not true/false`;
    case "int":
    case "float": {
      if (typeof v !== "number" || !Number.isFinite(v)) return `${name} = ${show(v)} is not a number`;
      if (hp.type === "int" && !Number.isInteger(v)) return `${name} = ${show(v)} is not an integer`;
      const onGrid = hp.values?.some((g) => within(v, g, g));
      return onGrid || within(v, hp.low, hp.high) ? undefined : `${name} = ${show(v)} is outside the space [${fmt(hp.low)}, ${fmt(hp.high)}]`;
    }
  }
}

function conditionText(hp: Hyperparameter): string {
  return `active only when ${hp.condition!.parent} is ${hp.condition!.values.join(" or ")}`;
}

const show = (v: HpValue) => (typeof v === "number" ? fmt(v) : JSON.stringify(v));
