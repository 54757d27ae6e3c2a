/** Constraint and ranking flags shared by recommend and batch. */
import { Option, type Command } from "commander";
import type { HpValue } from "../metadata/schema.ts";
import type { Constraints } from "../recommend/constraints.ts";
import type { Objective } from "../recommend/request.ts";
import { InputError } from "../util/errors.ts";
import { fmt } from "../util/format.ts";
import { DEFAULT_PRIOR_WEIGHT } from "../recommend/retrieval-prior.ts";
import { DEFAULT_RISK_AVERSION } from "../recommend/scoring.ts";
import { intOption, numberOption } from "./options.ts";

export interface ConstraintFlags {
  budgetS?: number;
  models?: string;
  excludeModels?: string;
  fix?: string[];
  objective: Objective;
  risk: number;
  prior: number;
  seed: number;
}

export function addConstraintOptions(cmd: Command): Command {
  return cmd
    .option("--budget-s <seconds>", "maximum predicted training time in seconds", numberOption("--budget-s", 1, 1e9))
    .option("--models <list>", "only these models (comma-separated names from the pack)")
    .option("--exclude-models <list>", "never these models (comma-separated)")
    .option("--fix <hp=value>", "fix a hyperparameter, e.g. --fix batch_size=32 (repeatable)", (v: string, acc: string[] = []) => [...acc, v])
    .addOption(new Option("--objective <o>", "accuracy: best predicted outcome; cost: cheapest within 5 points; balanced: a point is worth halving the time").choices(["accuracy", "balanced", "cost"]).default("accuracy"))
    .option("--risk <lambda>", "risk aversion: rank by mean - lambda * ensemble spread", numberOption("--risk", 0, 10), DEFAULT_RISK_AVERSION)
    .option("--prior <w>", "weight of the retrieval prior: how the nearest runs of similar past datasets ranked (0 = off)", numberOption("--prior", 0, 10), DEFAULT_PRIOR_WEIGHT)
    .option("--seed <n>", "seed of the candidate sampling", intOption("--seed", 0, 2 ** 31 - 1), 1);
}

export function constraintsFromFlags(f: ConstraintFlags, models: string[]): Constraints {
  const list = (flag: string, v?: string) => {
    if (v === undefined) return undefined;
    const names = v.split(",").map((s) => s.trim()).filter(Boolean);
    if (!names.length) throw new InputError("no model named", flag, `give comma-separated names, e.g. ${flag} ${models.slice(0, 2).join(",")}`);
    for (const n of names)
      if (!models.includes(n)) {
        const near = models.filter((m) => m.includes(n) || n.includes(m.split("_")[0]));
        throw new InputError(`unknown model ${JSON.stringify(n)}`, flag, near.length ? `did you mean ${near.slice(0, 3).join(", ")}?` : `one of: ${models.join(", ")}`);
      }
    return names;
  };
  const fixed: Record<string, HpValue> = {};
  for (const kv of f.fix ?? []) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw new InputError(`expected hp=value, got ${JSON.stringify(kv)}`, "--fix", "e.g. --fix batch_size=32");
    const raw = kv.slice(eq + 1).trim();
    const name = kv.slice(0, eq).trim();
    if (Object.hasOwn(fixed, name)) throw new InputError(`${name} is fixed twice (${fmt(fixed[name])} and ${raw})`, "--fix", `give one --fix ${name}=<value>`);
    fixed[name] = raw === "true" ? true : raw === "false" ? false : raw !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return {
    ...(f.budgetS !== undefined && { budgetSeconds: f.budgetS }),
    ...(f.models !== undefined && { allowModels: list("--models", f.models) }),
    ...(f.excludeModels !== undefined && { denyModels: list("--exclude-models", f.excludeModels) }),
    ...(Object.keys(fixed).length && { fixed }),
  };
}
