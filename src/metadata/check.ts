/**
 * Checks a meta-dataset against a reference (a pack, or the training meta-dataset of `eval --test`): does the
 * reference read these runs as they are meant? Each finding is either
 *   - a mismatch, with the mapping line that fixes it (a hyperparameter the reference does not know or lacks,
 *     a value in another spelling, a category or model that is a near miss, a missing meta-feature), or
 *   - an explained difference, with the reason it is expected (meta-features outside the reference's range:
 *     the trees extrapolate flat; a domain or model it never saw: read as none of the known ones).
 * "No unexplained mismatch" means no finding of the first kind.
 */
import { closest } from "./domains.ts";
import { referenceOf, type Reference } from "./reference.ts";
import { InputError } from "../util/errors.ts";
import type { HpValue, Hyperparameter, MetaDataset } from "./schema.ts";
import { canonical } from "./mapping/values.ts";
import { fmt } from "../util/format.ts";

export type FindingKind =
  | "unknown-hyperparameter"
  | "missing-hyperparameter"
  | "missing-values"
  | "spelling"
  | "unseen-category"
  | "type"
  | "out-of-range"
  | "missing-meta-feature"
  | "meta-feature-range"
  | "unseen-model"
  | "unseen-domain"
  | "no-domain"
  | "metric";

export interface Finding {
  kind: FindingKind;
  /** The hyperparameter, meta-feature, model, domain or metric concerned. */
  subject: string;
  /** How many runs (or datasets, see `unit`) it concerns. */
  count: number;
  unit: "runs" | "datasets";
  message: string;
  /** The mapping line that removes the mismatch. */
  fix?: string;
  /** Why the difference is expected (then it is not a mismatch). */
  explained?: string;
}

export interface CheckReport {
  subject: string;
  reference: string;
  runs: number;
  datasets: number;
  findings: Finding[];
  mismatches: number;
  explained: number;
}

export function checkAgainst(md: MetaDataset, ref: Reference): CheckReport {
  const findings = [...hyperparameterFindings(md, ref), ...modelFindings(md, ref), ...datasetFindings(md, ref), ...metricFindings(md, ref)];
  findings.sort((a, b) => Number(a.explained !== undefined) - Number(b.explained !== undefined) || a.subject.localeCompare(b.subject));
  const mismatches = findings.filter((f) => f.explained === undefined).length;
  return { subject: md.name, reference: ref.name, runs: md.runs.length, datasets: md.datasets.length, findings, mismatches, explained: findings.length - mismatches };
}

const yamlKey = (v: string) => (/^[A-Za-z_][\w.]*$/.test(v) && !/^(true|false|null|none|yes|no|on|off)$/i.test(v) ? v : `'${v.replace(/'/g, "''")}'`);
const yamlValue = (v: HpValue) => (typeof v === "string" ? yamlKey(v) : String(v));
const aliasLine = (hp: string, pairs: [HpValue, HpValue][]) => `values: {${hp}: {${pairs.map(([from, to]) => `${from === null ? "''" : yamlKey(String(from))}: ${yamlValue(to)}`).join(", ")}}}`;
const counted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const quote = (v: string) => JSON.stringify(v);

function hyperparameterFindings(md: MetaDataset, ref: Reference): Finding[] {
  const out: Finding[] = [];
  const known = ref.searchSpace.hyperparameters;
  const like = `hyperparameters: {like: ${ref.spec ?? "<pack>"}}`;
  const names = new Set(md.runs.flatMap((r) => Object.keys(r.hyperparameters)));
  for (const name of [...names].sort()) {
    const values = md.runs.map((r) => r.hyperparameters[name] ?? null);
    const present = values.filter((v) => v !== null).length;
    const spec = known[name];
    if (!spec) {
      if (present) out.push({ kind: "unknown-hyperparameter", subject: name, count: present, unit: "runs", message: `${name} is set in ${present} runs but ${ref.name} does not know it: it is ignored`, fix: `${like} (keeps only the hyperparameters it knows), or rename it with derive` });
      continue;
    }
    out.push(...valueFindings(name, spec, values, ref));
  }
  for (const name of Object.keys(known).sort()) {
    if (names.has(name) && md.runs.some((r) => r.hyperparameters[name] !== null && r.hyperparameters[name] !== undefined)) continue;
    const spec = known[name];
    const example = spec.type === "categorical" ? yamlValue(spec.values[0]) : spec.type === "bool" ? "false" : String(spec.values?.[0] ?? spec.low);
    out.push({
      kind: "missing-hyperparameter",
      subject: name,
      count: md.runs.length,
      unit: "runs",
      message: `${ref.name} reads ${name}, which no run has: it is predicted as unknown`,
      // The example is only a value of the space: the value the runs really used is the user's to say.
      fix: spec.type === "categorical"
        ? `derive: {${name}: {from: [<flag columns>], else: ${example}}}, or set: {${name}: <the value every run used, e.g. ${example}>}`
        : `set: {${name}: <the value every run used>} (one of the space's is ${example}), or leave it unknown`,
    });
  }
  return out;
}

/** Values of one hyperparameter the reference knows: spelling, type, unseen categories, range, missing values. */
function valueFindings(name: string, spec: Hyperparameter, values: HpValue[], ref: Reference): Finding[] {
  const out: Finding[] = [];
  const missing = values.filter((v) => v === null).length;
  const spelled = new Map<string, { to: HpValue; n: number }>();
  const unseen = new Map<string, number>();
  const wrongType = new Map<string, number>();
  let outside = 0;
  const seen: number[] = [];
  const byCanonical = spec.type === "categorical" ? new Map(spec.values.map((v) => [canonical(v), v])) : undefined;
  for (const v of values) {
    if (v === null) continue;
    if (spec.type === "categorical") {
      if (spec.values.includes(String(v))) continue;
      const to = byCanonical!.get(canonical(typeof v === "string" ? v : String(v)));
      if (to !== undefined) bump(spelled, String(v), to);
      else unseen.set(String(v), (unseen.get(String(v)) ?? 0) + 1);
    } else if (spec.type === "bool") {
      if (typeof v === "boolean") continue;
      if (v === 0 || v === 1) bump(spelled, String(v), v === 1);
      else wrongType.set(String(v), (wrongType.get(String(v)) ?? 0) + 1);
    } else if (typeof v === "boolean" && spec.low === 0 && spec.high === 1) bump(spelled, String(v), v ? 1 : 0);
    else if (typeof v !== "number") wrongType.set(String(v), (wrongType.get(String(v)) ?? 0) + 1);
    else {
      seen.push(v);
      if ((v < spec.low || v > spec.high) && !spec.values?.includes(v)) outside++;
    }
  }
  if (spelled.size) {
    const pairs = [...spelled].map(([from, x]): [HpValue, HpValue] => [from, x.to]);
    out.push({
      kind: "spelling",
      subject: name,
      count: [...spelled.values()].reduce((a, x) => a + x.n, 0),
      unit: "runs",
      message: `${name} is written ${[...spelled].map(([from, x]) => `${quote(from)} (${x.n} runs) where ${ref.name} writes ${JSON.stringify(x.to)}`).join(", ")}`,
      fix: `${aliasLine(name, pairs)}, or hyperparameters: {like: ${ref.spec ?? "<pack>"}} to respell every value`,
    });
  }
  if (unseen.size) {
    const allowed = spec.type === "categorical" ? spec.values : [];
    const near = counted(unseen).map(([v, n]) => [v, n, closest(v, allowed)] as const);
    const fixable = near.filter(([, , c]) => c !== undefined);
    out.push({
      kind: "unseen-category",
      subject: name,
      count: sum(unseen),
      unit: "runs",
      message: `${name} takes ${near.map(([v, n]) => `${quote(v)} (${n} runs)`).join(", ")}, which ${ref.name} never saw (it knows ${allowed.map(quote).join(", ")})`,
      ...(fixable.length
        ? { fix: aliasLine(name, fixable.map(([v, , c]) => [v, c!])) }
        : { explained: "a category the reference never saw is read as none of the ones it knows; the prediction relies on the other hyperparameters" }),
    });
  }
  if (wrongType.size) {
    out.push({ kind: "type", subject: name, count: sum(wrongType), unit: "runs", message: `${name} is ${spec.type} in ${ref.name} but takes ${counted(wrongType).map(([v, n]) => `${quote(v)} (${n} runs)`).join(", ")}`, fix: aliasLine(name, counted(wrongType).map(([v]) => [v, spec.type === "bool" ? false : spec.type === "categorical" ? null : (spec.values?.[0] ?? spec.low)])) });
  }
  if (outside && (spec.type === "int" || spec.type === "float")) {
    out.push({ kind: "out-of-range", subject: name, count: outside, unit: "runs", message: `${name} ranges ${fmt(Math.min(...seen))}..${fmt(Math.max(...seen))}; ${outside} runs lie outside ${ref.name}'s ${fmt(spec.low)}..${fmt(spec.high)}`, explained: "the trees extrapolate flat beyond the range they were trained on" });
  }
  if (missing) {
    const sentinel = sentinelOf(spec);
    out.push({
      kind: "missing-values",
      subject: name,
      count: missing,
      unit: "runs",
      message: `${name} is empty in ${missing} runs`,
      ...(sentinel !== undefined
        ? { fix: `${aliasLine(name, [[null, sentinel]])} (${ref.name} writes ${JSON.stringify(sentinel)} for "not set")` }
        : { explained: "an empty value is read as unknown: the trees follow their default branch" }),
    });
  }
  return out;
}

function bump(m: Map<string, { to: HpValue; n: number }>, from: string, to: HpValue): void {
  const x = m.get(from) ?? { to, n: 0 };
  x.n++;
  m.set(from, x);
}

/** How the reference writes "not set": the category None, or a negative marker below a non-negative grid (-1). */
function sentinelOf(spec: Hyperparameter): HpValue | undefined {
  if (spec.type === "categorical") return spec.values.find((v) => /^none$/i.test(v));
  if ((spec.type === "int" || spec.type === "float") && spec.values) {
    const neg = spec.values.filter((v) => v < 0);
    if (neg.length === 1 && spec.values.length > 1) return neg[0];
  }
  return undefined;
}

function modelFindings(md: MetaDataset, ref: Reference): Finding[] {
  if (!ref.models.length) return [];
  const unseen = new Map<string, number>();
  for (const r of md.runs) if (!ref.models.includes(r.model)) unseen.set(r.model, (unseen.get(r.model) ?? 0) + 1);
  return counted(unseen).map(([m, n]) => {
    const near = closest(m, ref.models);
    return {
      kind: "unseen-model" as const,
      subject: m,
      count: n,
      unit: "runs" as const,
      message: `model ${quote(m)} (${n} runs) is not one of ${ref.name}'s ${ref.models.length} models`,
      ...(near ? { fix: aliasLine("model", [[m, near]]) } : { explained: "a model the reference never saw is read as none of its models: predictions rest on the other features" }),
    };
  });
}

function datasetFindings(md: MetaDataset, ref: Reference): Finding[] {
  const out: Finding[] = [];
  if (!ref.datasets.length) return out;
  for (const name of ref.metaFeatures) {
    const refValues = ref.datasets.map((d) => d.metaFeatures[name]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const lacking = md.datasets.filter((d) => d.metaFeatures[name] === undefined);
    if (lacking.length) {
      out.push({ kind: "missing-meta-feature", subject: name, count: lacking.length, unit: "datasets", message: `${ref.name} reads meta-feature ${name}, which ${lacking.length} datasets lack (${lacking.map((d) => d.id).join(", ")})`, fix: `metaFeatures: {table: <file keyed by dataset id>, columns: [..., ${name}]} (or a column)` });
    }
    if (!refValues.length) continue;
    const [lo, hi] = [Math.min(...refValues), Math.max(...refValues)];
    const outside = md.datasets.filter((d) => d.metaFeatures[name] !== undefined && (d.metaFeatures[name] < lo || d.metaFeatures[name] > hi));
    if (outside.length) {
      const vals = outside.map((d) => d.metaFeatures[name]);
      out.push({ kind: "meta-feature-range", subject: name, count: outside.length, unit: "datasets", message: `${name} ${fmt(Math.min(...vals))}${Math.min(...vals) === Math.max(...vals) ? "" : `..${fmt(Math.max(...vals))}`} in ${outside.length} datasets, outside ${ref.name}'s ${fmt(lo)}..${fmt(hi)}`, explained: "these datasets lie outside the reference's experience: predictions extrapolate (the trees stay flat beyond the edge)" });
    }
  }
  const refDomains = new Set(ref.datasets.map((d) => d.domain).filter(Boolean));
  if (refDomains.size) {
    const unseen = new Map<string, string[]>();
    for (const d of md.datasets) if (d.domain && !refDomains.has(d.domain)) unseen.set(d.domain, [...(unseen.get(d.domain) ?? []), d.id]);
    for (const [dom, ids] of unseen) out.push({ kind: "unseen-domain", subject: dom, count: ids.length, unit: "datasets", message: `domain ${dom} (${ids.join(", ")}) is not among ${ref.name}'s ${refDomains.size} domains`, explained: "a domain the reference never saw is read as none of the known ones" });
    const none = md.datasets.filter((d) => !d.domain);
    if (none.length) out.push({ kind: "no-domain", subject: "domain", count: none.length, unit: "datasets", message: `${none.length} datasets have no domain (${none.map((d) => d.id).join(", ")}); ${ref.name}'s datasets all have one`, fix: "domain: {table: meta-album} (Meta-Album codes), domain: <column>, or domain: {value: <domain>}" });
  }
  return out;
}

function metricFindings(md: MetaDataset, ref: Reference): Finding[] {
  const m = ref.metric;
  if (!m) return [];
  if (m.direction !== md.metric.direction) {
    return [{ kind: "metric", subject: md.metric.name, count: md.runs.length, unit: "runs", message: `metric ${md.metric.name} is ${md.metric.direction}imised, ${ref.name}'s ${m.name} ${m.direction}imised`, fix: `metric: {direction: ${m.direction}} if it is the same quantity; otherwise this reference does not fit these runs` }];
  }
  if (m.name !== md.metric.name) {
    return [{ kind: "metric", subject: md.metric.name, count: md.runs.length, unit: "runs", message: `metric ${md.metric.name} where ${ref.name} learned ${m.name}`, fix: `metric: {name: ${m.name}} if it is the same quantity` }];
  }
  return [];
}

/** What makes two datasets with one id the same dataset: their card (meta-features, domain, modality). */
export const cardKey = (d: MetaDataset["datasets"][number]): string => JSON.stringify([d.metaFeatures, d.domain, d.modality]);

/**
 * Before a train/test evaluation. A test dataset id that is also a training id is either the same dataset (the
 * same card: it is cut from training, so no test dataset is seen) or another dataset with the same name (other
 * meta-features, e.g. a Meta-Album code in its micro and extended versions: training keeps its own, under the id
 * <id>@<training name>); an error when nothing would be left to train on. Then the test runs are checked against
 * the training meta-dataset. Returns the training meta-dataset to use and the warnings to show.
 */
export function precheckTestSet(train: MetaDataset, test: MetaDataset, heldOut?: string[]): { train: MetaDataset; warnings: string[] } {
  const testCards = new Map(test.datasets.filter((d) => !heldOut || heldOut.includes(d.id)).map((d) => [d.id, d]));
  const trainIds = [...new Set(train.runs.map((r) => r.datasetId))];
  const trainCards = new Map(train.datasets.map((d) => [d.id, cardKey(d)]));
  const shared = trainIds.filter((id) => testCards.has(id)).sort();
  const same = shared.filter((id) => trainCards.get(id) === cardKey(testCards.get(id)!));
  const namesake = shared.filter((id) => !same.includes(id));
  const left = trainIds.length - same.length;
  if (same.length && left === 0) {
    throw new InputError(
      `every training dataset of ${train.name} is also a test dataset of ${test.name} (${same.join(", ")}, with the same meta-features): they are cut from training, which leaves nothing to train on`,
      "--test",
      "if the test datasets are other datasets, give them other ids when importing (mapping: dataset: {column: ..., rename: ['<regex>', '<replacement>']}); to evaluate one meta-dataset on itself, leave out --test (leave-one-dataset-out)",
    );
  }
  const warnings: string[] = [];
  if (same.length) warnings.push(`${same.length} test datasets are also training datasets (${same.join(", ")}: same ids and meta-features): they are cut from training so no test dataset is seen (${left} of ${trainIds.length} training datasets left)`);
  if (namesake.length) {
    warnings.push(
      `${namesake.length} test datasets share their ids with training datasets that have other meta-features (${namesake.join(", ")}): different datasets with one name, so training keeps its own (as ${namesake[0]}@${train.name}, ...); if they are the same data, evaluate without them (--datasets) or give the test datasets the training card`,
    );
  }
  const report = checkAgainst(test, referenceOf(train));
  const mismatches = report.findings.filter((f) => !f.explained);
  if (mismatches.length) {
    warnings.push(
      `the test runs do not fit ${train.name} in ${mismatches.length} ways (hporec data check <test> --pack <train> gives the mapping line that fixes each):`,
      ...mismatches.map((f) => `  ${f.subject}: ${f.message}`),
    );
  }
  return { train: namesake.length ? renameDatasets(train, new Map(namesake.map((id) => [id, `${id}@${train.name}`]))) : train, warnings };
}

/** The meta-dataset with some dataset ids changed (cards and runs). */
export function renameDatasets(md: MetaDataset, to: Map<string, string>): MetaDataset {
  const id = (x: string) => to.get(x) ?? x;
  return {
    ...md,
    datasets: md.datasets.map((d) => (to.has(d.id) ? { ...d, id: id(d.id), name: id(d.id) } : d)),
    runs: md.runs.map((r) => (to.has(r.datasetId) ? { ...r, datasetId: id(r.datasetId) } : r)),
  };
}
