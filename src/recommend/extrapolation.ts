/**
 * Where a new dataset lies outside what the pack learnt from. Boosted trees do not extrapolate: past the
 * smallest dataset they answer as for the smallest, and a feature every past dataset shared (all Quick-Tune
 * images are 128 px) was never seen to matter. The answer says so instead of sounding as sure as inside.
 */
import type { DatasetFeatures } from "../learner/features.ts";
import { fmt } from "../util/format.ts";

/** How every extrapolation warning starts, for people reading the warnings. */
const PREFIX = "extrapolation:";

/** A feature of the dataset outside what the pack learnt from (a meta-feature's name, "domain" or "modality"), and the warning that says so. */
export interface Extrapolation {
  feature: string;
  warning: string;
  /** For a meta-feature: whether the dataset lies below or above the past range. */
  side?: "below" | "above";
}

/** What the check needs of the past datasets. */
export interface PastDataset {
  id: string;
  metaFeatures: Record<string, number>;
  domain?: string;
  modality?: string;
}

/** Meta-features checked against the past range, with how people call them. */
const CHECKED: Record<string, string> = {
  n_samples: "samples",
  n_classes: "classes",
  samples_per_class: "samples per class",
  image_size: "image size",
  channels: "channels",
  depth: "depth",
  n_features: "features",
};

/** Meta-features that say how much data there is to fine-tune on. */
const SIZE_FEATURES = ["n_samples", "samples_per_class"];

const belowInSize = (e: Extrapolation) => e.side === "below" && SIZE_FEATURES.includes(e.feature);

/**
 * Smaller than every past dataset (in samples or samples per class): a regime the pack never saw, where the
 * level the trees predict from the meta-features is the least trustworthy (scoring.ts SMALL_DATA_HEAD_SHARE).
 */
export function smallerThanPast(outside: readonly Extrapolation[]): boolean {
  return outside.some(belowInSize);
}

/** The warnings of a dataset whose pick leans on the ranking head for being small (scoring.ts headShare): the first size warning says so. */
export function leaningOnOrder(outside: readonly Extrapolation[]): Extrapolation[] {
  // "mainly": the head's scores spread 6-8 times as wide over the candidates as the members' (fifteenth session).
  const lean = ", so the pick leans mainly on the order of configurations within past datasets rather than on the level predicted for this one";
  const first = outside.findIndex(belowInSize);
  return outside.map((e, i) => (i === first ? { ...e, warning: `${e.warning}${lean}` } : e));
}

/**
 * The check against a pack's past datasets: their ranges and the domains and modalities they cover are read
 * once; the returned function gives one per meta-feature outside a range, and for a domain or modality never seen.
 */
export function extrapolationCheck(past: readonly PastDataset[]): (dataset: DatasetFeatures) => Extrapolation[] {
  if (!past.length) return () => [];
  const ranges: [name: string, label: string, min: number, max: number][] = [];
  for (const [name, label] of Object.entries(CHECKED)) {
    const values = past.map((d) => d.metaFeatures[name]).filter((x): x is number => x !== undefined && Number.isFinite(x));
    if (values.length === past.length) ranges.push([name, label, Math.min(...values), Math.max(...values)]);
  }
  const seen = (key: "domain" | "modality") => [...new Set(past.map((d) => d[key]).filter((x): x is string => !!x))].sort();
  const categories = { domain: seen("domain"), modality: seen("modality") };
  return (dataset) => {
    const out: Extrapolation[] = [];
    for (const [name, label, min, max] of ranges) {
      const v = dataset.metaFeatures[name];
      if (v === undefined || !Number.isFinite(v) || (v >= min && v <= max)) continue;
      const range = min === max ? `every past dataset has ${fmt(min)}` : `the past datasets range from ${fmt(min)} to ${fmt(max)}`;
      out.push({ feature: name, side: v < min ? "below" : "above", warning: `${PREFIX} ${label} = ${fmt(v)} is outside what this pack learnt from (${range}); the trees treat it as ${fmt(v < min ? min : max)}` });
    }
    for (const key of ["domain", "modality"] as const) {
      const v = dataset[key];
      const known = categories[key];
      if (v && known.length && !known.includes(v))
        out.push({ feature: key, warning: `${PREFIX} ${key} "${v}" is not among the past datasets' (${known.join(", ")}); similarity rests on the meta-features` });
    }
    return out;
  };
}

/**
 * Meta-features of a dataset that no past dataset has ("foo", a misspelt "n_sample"): the trees and the
 * similarity never read them, so the answer says they were ignored rather than seeming to use them.
 */
export function ignoredFeatures(past: readonly PastDataset[]): (dataset: DatasetFeatures) => string[] {
  const known = new Set(past.flatMap((d) => Object.keys(d.metaFeatures)));
  return (dataset) => {
    const unknown = Object.keys(dataset.metaFeatures).filter((k) => !known.has(k));
    return unknown.length && known.size ? [`${unknown.join(", ")}: no past dataset has ${unknown.length > 1 ? "these meta-features" : "this meta-feature"}, so ${unknown.length > 1 ? "they are" : "it is"} ignored (known: ${[...known].sort().join(", ")})`] : [];
  };
}
