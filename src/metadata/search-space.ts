/**
 * Search space of a meta-dataset: inferred from the runs when none is given, or read from a JSON file.
 * Inference rules (documented in `hporec data space --help`):
 *   - missing-everywhere and constant columns are dropped (nothing to choose);
 *   - booleans -> bool; strings (or mixed) -> categorical with the observed values;
 *   - numbers -> int when all are integers, else float, with the observed [min, max];
 *   - log scale when the positive values span >= 2 decades (lr, weight decay, batch size 2..512) AND at least a
 *     quarter of them lie below the geometric midpoint sqrt(low * high): log-uniform samples put half there,
 *     uniform ones almost none, so a uniformly sampled [0, 0.2] (whose smallest draw is ~1e-4) stays linear. Zeros beside
 *     such a range (weight_decay 0 or 1e-5..0.1) keep the range on the positive values: 0 is listed in
 *     `values` (the grid) and in the description, since a log range cannot contain it;
 *   - `values` holds the observed grid when a numeric column takes at most GRID_MAX distinct values;
 *   - a hyperparameter missing in some runs is conditional when its presence is explained exactly by the value
 *     of one always-present categorical/bool parent (or of the model, parent "model" = Run.model).
 */
import { InputError } from "../util/errors.ts";
import { readJson } from "./io.ts";
import { formatZodError } from "../util/zod-format.ts";
import { SearchSpace, type HpValue, type Hyperparameter } from "./schema.ts";

const GRID_MAX = 16;
const LOG_DECADES = 2;
const LOG_MIN_BELOW_MID = 0.25;

export interface RunLike {
  model?: string;
  hyperparameters: Record<string, HpValue>;
}

export function inferSearchSpace(runs: readonly RunLike[]): SearchSpace {
  const names = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.hyperparameters)) names.add(k);
  const params: Record<string, Hyperparameter> = {};
  for (const name of [...names].sort()) {
    const values = runs.map((r) => r.hyperparameters[name]).filter((v): v is Exclude<HpValue, null> => v !== null && v !== undefined);
    const p = inferParam(values);
    if (p) params[name] = p;
  }
  for (const [name, p] of Object.entries(params)) {
    const cond = inferCondition(name, runs, params);
    if (cond) p.condition = cond;
  }
  return { hyperparameters: params, source: "inferred" };
}

function inferParam(values: (number | string | boolean)[]): Hyperparameter | undefined {
  const distinct = [...new Set(values)];
  if (distinct.length < 2) return undefined;
  if (distinct.every((v) => typeof v === "boolean")) return { type: "bool" };
  if (!distinct.every((v) => typeof v === "number")) {
    return { type: "categorical", values: distinct.map(String).sort() };
  }
  const nums = (distinct as number[]).sort((a, b) => a - b);
  const positive = nums.filter((x) => x > 0);
  const log = positive.length >= 2 && Math.log10(positive[positive.length - 1] / positive[0]) >= LOG_DECADES && logSpread(values as number[]);
  const zeroOutside = log && nums[0] <= 0;
  const low = log ? positive[0] : nums[0];
  const high = nums[nums.length - 1];
  const grid = nums.length <= GRID_MAX ? { values: nums } : {};
  const description = zeroOutside ? `also ${nums.filter((x) => x <= 0).join(", ")} (outside the log range)` : undefined;
  const int = nums.every(Number.isInteger);
  return {
    type: int ? "int" : "float",
    low,
    high,
    log,
    ...grid,
    ...(description ? { description } : {}),
  } as Hyperparameter;
}

/** True when the positive values are spread like log-uniform draws (see the rules at the top). */
function logSpread(values: number[]): boolean {
  const pos = values.filter((x) => x > 0);
  const mid = Math.sqrt(pos.reduce((a, b) => Math.min(a, b)) * pos.reduce((a, b) => Math.max(a, b)));
  return pos.filter((x) => x < mid).length >= LOG_MIN_BELOW_MID * pos.length;
}

/** Parent (and its values) under which `name` is present, when presence is fully explained by one parent. */
function inferCondition(name: string, runs: readonly RunLike[], params: Record<string, Hyperparameter>) {
  const present = runs.map((r) => r.hyperparameters[name] !== null && r.hyperparameters[name] !== undefined);
  if (present.every(Boolean)) return undefined;
  const parents: [string, (r: RunLike) => HpValue | undefined][] = [];
  if (runs.every((r) => r.model !== undefined)) parents.push(["model", (r) => r.model]);
  for (const [p, def] of Object.entries(params)) {
    if (p !== name && (def.type === "categorical" || def.type === "bool")) parents.push([p, (r) => r.hyperparameters[p]]);
  }
  for (const [parent, get] of parents) {
    const on = new Set<string | number | boolean>();
    const off = new Set<string | number | boolean>();
    let ok = true;
    runs.forEach((r, i) => {
      const v = get(r);
      if (v === null || v === undefined) ok = false;
      else (present[i] ? on : off).add(v);
    });
    if (ok && [...on].every((v) => !off.has(v)) && off.size > 0) return { parent, values: [...on].sort() as (string | number | boolean)[] };
  }
  return undefined;
}

/** A search space given as a JSON file (`--search-space`), validated; its source becomes "given". */
export function readSearchSpaceFile(file: string): SearchSpace {
  const raw = readJson(file, "search-space file");
  const r = SearchSpace.safeParse(raw);
  if (!r.success) {
    throw new InputError(
      `not a valid search space:\n${formatZodError(r.error)}`,
      file,
      'write {"hyperparameters": {"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}, ...}} (see `hporec data space` output)',
    );
  }
  return { ...r.data, source: "given" };
}
