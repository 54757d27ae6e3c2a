/**
 * Hyperparameters whose effect in the past runs is really how long those runs trained. In Quick-Tune's
 * meta-dataset every linear-probing run stopped after one epoch (its search continued only the promising runs),
 * and a small batch ranks higher mostly among the runs stopped early (more steps in the first epoch). The trees
 * learn both faithfully, but "driven by linear_probing = 0" or "batch_size 2 is good" would tell a user something
 * about training to the end that the data never measured. Found from the runs alone (epochs or status), so an
 * answer can say so next to the driver.
 */
import type { HpValue, MetaDataset, Run } from "../metadata/schema.ts";
import { outcomeTargets, runsByDataset } from "../learner/targets.ts";
import { fmt, signed } from "../util/format.ts";
import { median, spearman } from "../util/stats.ts";

export interface TrainingLengthCaveat {
  name: string;
  /** "value": (nearly) every run with `value` stopped early; "trend": the value's rank correlation with the outcome within a dataset is mostly among runs stopped early. */
  kind: "value" | "trend";
  value?: string;
  runs?: number;
  stoppedShare?: number;
  othersStoppedShare?: number;
  medianEpochs?: number;
  /** Median over datasets of the within-dataset Spearman correlation of the value with the outcome rank: all runs, and runs trained to the end. */
  rhoAll?: number;
  rhoFull?: number;
  /** One clause an answer can quote. */
  text: string;
}

/** A value's runs count as confounded when at least this share stopped early, and the other runs this much less. */
const VALUE_SHARE = 0.95;
const VALUE_GAP = 0.3;
const MIN_RUNS = 30;
/** A trend counts when it is clear over all runs and less than half of it remains over the runs trained to the end. */
const TREND_RHO = 0.2;
const MIN_FULL_PER_DATASET = 8;

/** Caveats per hyperparameter (at most one each, the value form first); none when the runs do not record how long they trained. */
export function trainingLengthCaveats(md: MetaDataset): TrainingLengthCaveat[] {
  const length = trainedToTheEnd(md);
  if (!length) return [];
  const target = outcomeTargets(md, "rank");
  const out: TrainingLengthCaveat[] = [];
  for (const name of Object.keys(md.searchSpace.hyperparameters).sort()) {
    const c = valueCaveat(md.runs, length, name) ?? trendCaveat(md, length, target, name);
    if (c) out.push(c);
  }
  return out;
}

/**
 * Per run: true when it trained as long as the longest run of its dataset (or is marked completed), false when it
 * stopped before, undefined when unknown. Undefined for the whole meta-dataset when most runs say nothing or none stopped.
 */
function trainedToTheEnd(md: MetaDataset): (boolean | undefined)[] | undefined {
  const full = new Array<boolean | undefined>(md.runs.length);
  for (const idx of runsByDataset(md).values()) {
    const epochs = idx.map((i) => md.runs[i].epochs).filter((e): e is number => e !== undefined);
    const longest = epochs.length ? Math.max(...epochs) : undefined;
    for (const i of idx) {
      const r = md.runs[i];
      full[i] = r.epochs !== undefined && longest !== undefined ? r.epochs >= longest : r.status === "completed" ? true : r.status === "stopped" ? false : undefined;
    }
  }
  const known = full.filter((f) => f !== undefined);
  if (known.length < md.runs.length / 2 || known.every((f) => f) || known.every((f) => !f)) return undefined;
  return full;
}

function valueCaveat(runs: readonly Run[], full: readonly (boolean | undefined)[], name: string): TrainingLengthCaveat | undefined {
  const groups = new Map<string, number[]>();
  runs.forEach((r, i) => {
    const v = r.hyperparameters[name];
    if (v === undefined || v === null || full[i] === undefined) return;
    const key = String(v);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  if (groups.size < 2 || groups.size > 12) return undefined;
  const stopped = (idx: number[]) => idx.filter((i) => !full[i]).length;
  const all = [...groups.values()].flat();
  const allStopped = stopped(all);
  for (const [value, idx] of groups) {
    if (idx.length < MIN_RUNS) continue;
    const share = stopped(idx) / idx.length;
    const others = all.length - idx.length;
    const othersShare = others ? (allStopped - stopped(idx)) / others : 0;
    if (share < VALUE_SHARE || share - othersShare < VALUE_GAP) continue;
    const epochs = idx.map((i) => runs[i].epochs).filter((e): e is number => e !== undefined);
    const medianEpochs = epochs.length ? median(epochs) : undefined;
    const epochsText = medianEpochs === undefined ? "early" : `after ${fmt(medianEpochs)} epoch${medianEpochs === 1 ? "" : "s"}${Math.min(...epochs) === Math.max(...epochs) ? "" : " (median)"}`;
    const who = share === 1 ? `all ${idx.length.toLocaleString("en-US")} past runs` : `${pct(share)} of the ${idx.length.toLocaleString("en-US")} past runs`;
    return {
      name,
      kind: "value",
      value,
      runs: idx.length,
      stoppedShare: share,
      othersStoppedShare: othersShare,
      ...(medianEpochs !== undefined ? { medianEpochs } : {}),
      text: `${who} with ${name} = ${value} stopped ${epochsText} (${pct(othersShare)} of the other runs stopped early): its effect in the model is how far runs got, not what ${name} = ${value} does when trained to the end`,
    };
  }
  return undefined;
}

function trendCaveat(md: MetaDataset, full: readonly (boolean | undefined)[], target: readonly number[], name: string): TrainingLengthCaveat | undefined {
  const hp = md.searchSpace.hyperparameters[name];
  if (!hp || hp.type === "categorical" || hp.type === "bool") return undefined;
  const all: number[] = [];
  const ends: number[] = [];
  for (const idx of runsByDataset(md).values()) {
    const withValue = idx.filter((i) => typeof md.runs[i].hyperparameters[name] === "number");
    const rho = (sel: number[]) => spearman(sel.map((i) => md.runs[i].hyperparameters[name] as number), sel.map((i) => target[i]));
    const a = rho(withValue);
    if (Number.isFinite(a)) all.push(a);
    const f = withValue.filter((i) => full[i]);
    if (f.length >= MIN_FULL_PER_DATASET) {
      const e = rho(f);
      if (Number.isFinite(e)) ends.push(e);
    }
  }
  if (all.length < 3 || ends.length < 3) return undefined;
  const rhoAll = median(all);
  const rhoFull = median(ends);
  if (Math.abs(rhoAll) < TREND_RHO || Math.abs(rhoFull) >= Math.abs(rhoAll) / 2) return undefined;
  const direction = rhoAll < 0 ? "lower" : "higher";
  return {
    name,
    kind: "trend",
    rhoAll,
    rhoFull,
    text: `within a past dataset, ${direction} ${name} ranks better over all runs (median Spearman ${signed(rhoAll, 2)}) but hardly over the runs trained to the end (${signed(rhoFull, 2)}): most of its effect comes from runs stopped early`,
  };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;

/** The caveats by hyperparameter name, for the drivers of an answer. */
/**
 * The caveat of a value a configuration has whose past runs (nearly) all stopped early (linear_probing = 1 in
 * Quick-Tune), if any: the time predicted for it is that of a run stopped there, not of a full training.
 */
export function stoppedEarlyCaveat(caveats: readonly TrainingLengthCaveat[], hyperparameters: Readonly<Record<string, HpValue>>): TrainingLengthCaveat | undefined {
  return caveats.find((c) => {
    const v = c.kind === "value" && Object.hasOwn(hyperparameters, c.name) ? hyperparameters[c.name] : null;
    return v !== null && v !== undefined && String(v) === c.value;
  });
}

export function caveatTexts(caveats: readonly TrainingLengthCaveat[] | undefined): ReadonlyMap<string, string> {
  return new Map((caveats ?? []).map((c) => [c.name, c.text]));
}
