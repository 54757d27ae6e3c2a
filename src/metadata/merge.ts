/**
 * Several meta-datasets as one (`hporec train --data a,b`), when they reconcile: the same metric and
 * hyperparameters of one name written the same way (datasets sharing an id are pooled or told apart, below). Values that mean the
 * same but are spelled differently ("[0,0.99]" / "[0.0, 0.99]", true / 1) would become separate categories or
 * wrong numbers, so they stop the merge with the mapping line that fixes them; hyperparameters only one side has
 * are kept (missing on the other side).
 */
import { InputError } from "../util/errors.ts";
import { cardKey, checkAgainst, renameDatasets } from "./check.ts";
import { referenceOf } from "./reference.ts";
import type { Hyperparameter, MetaDataset, Run, SearchSpace } from "./schema.ts";

export function mergeMetaDatasets(parts: MetaDataset[]): { metaDataset: MetaDataset; warnings: string[] } {
  if (parts.length === 1) return { metaDataset: parts[0], warnings: [] };
  const [first] = parts;
  const warnings: string[] = [];
  for (const p of parts) {
    if (p.searchSpaces) throw new InputError(`${p.name} has several search spaces (HPO-B style): it cannot be merged with other meta-datasets`, "--data", "train on it alone");
  }
  for (const p of parts.slice(1)) {
    if (p.metric.direction !== first.metric.direction || p.metric.name !== first.metric.name) {
      throw new InputError(
        `${p.name} measures ${p.metric.name} (${p.metric.direction}), ${first.name} ${first.metric.name} (${first.metric.direction})`,
        "--data",
        `if they are the same quantity, import ${p.name} with metric: {name: ${first.metric.name}, direction: ${first.metric.direction}} in its mapping; otherwise train separate packs`,
      );
    }
    const report = checkAgainst(p, referenceOf(first));
    const clash = report.findings.filter((f) => f.kind === "spelling" || f.kind === "type");
    if (clash.length) {
      throw new InputError(
        `${p.name} writes hyperparameters differently from ${first.name}:\n${clash.map((f) => `  ${f.message}\n    fix: ${f.fix}`).join("\n")}`,
        "--data",
        `add the fix lines to the mapping of ${p.name} (or hyperparameters: {like: <the other meta-dataset or its pack>}) and import it again`,
      );
    }
  }

  // One id, one card: the same dataset in two parts pools its runs; a namesake with another card (Meta-Album
  // micro BCT beside extended BCT) is another dataset and takes the id <id>@<part name>.
  const datasets = new Map<string, { d: MetaDataset["datasets"][number]; from: string }>();
  const renamed = parts.map((p) => {
    const to = new Map<string, string>();
    for (const d of p.datasets) {
      const prev = datasets.get(d.id);
      if (prev && cardKey(prev.d) !== cardKey(d)) to.set(d.id, `${d.id}@${p.name}`);
      else if (prev) warnings.push(`dataset ${d.id} is in ${prev.from} and ${p.name} with the same meta-features: their runs are pooled`);
    }
    if (to.size) warnings.push(`${to.size} ${to.size === 1 ? "dataset" : "datasets"} of ${p.name} ${to.size === 1 ? "shares its id" : "share their ids"} with other datasets (other meta-features): renamed ${[...to.values()].join(", ")}`);
    const q = to.size ? renameDatasets(p, to) : p;
    for (const d of q.datasets) if (!datasets.has(d.id)) datasets.set(d.id, { d, from: p.name });
    return q;
  });

  const ids = new Set<string>();
  const runs: Run[] = [];
  for (const p of renamed) {
    const clash = p.runs.some((r) => ids.has(r.id));
    for (const r of p.runs) {
      const run = clash ? { ...r, id: `${p.name}:${r.id}` } : r;
      ids.add(run.id);
      runs.push(run);
    }
  }
  return {
    metaDataset: {
      name: parts.map((p) => p.name).join("+"),
      format: parts.every((p) => p.format === first.format) ? first.format : "generic",
      kind: parts.every((p) => p.kind === "table") ? "table" : "experience-pool",
      metric: first.metric,
      datasets: [...datasets.values()].map((x) => x.d).sort((a, b) => a.id.localeCompare(b.id)),
      runs,
      models: [...new Set(parts.flatMap((p) => p.models))].sort(),
      searchSpace: parts.map((p) => p.searchSpace).reduce(mergeSpaces),
      notes: [`merged: ${parts.map((p) => `${p.name} (${p.datasets.length} datasets, ${p.runs.length} runs)`).join(", ")}`, ...warnings, ...parts.flatMap((p) => (p.notes ?? []).map((n) => `${p.name}: ${n}`))],
    },
    warnings,
  };
}

function mergeSpaces(a: SearchSpace, b: SearchSpace): SearchSpace {
  const out: Record<string, Hyperparameter> = { ...a.hyperparameters };
  for (const [name, q] of Object.entries(b.hyperparameters)) out[name] = out[name] ? mergeParam(name, out[name], q) : q;
  return { hyperparameters: out, source: a.source === "given" && b.source === "given" ? "given" : "inferred" };
}

function mergeParam(name: string, p: Hyperparameter, q: Hyperparameter): Hyperparameter {
  const condition = p.condition && JSON.stringify(p.condition) === JSON.stringify(q.condition) ? { condition: p.condition } : {};
  if (p.type === "categorical" && q.type === "categorical") return { type: "categorical", values: [...new Set([...p.values, ...q.values])].sort(), ...condition };
  if (p.type === "bool" && q.type === "bool") return { type: "bool", ...condition };
  if ((p.type === "int" || p.type === "float") && (q.type === "int" || q.type === "float")) {
    const values = p.values && q.values ? { values: [...new Set([...p.values, ...q.values])].sort((x, y) => x - y) } : {};
    return { type: p.type === "int" && q.type === "int" ? "int" : "float", low: Math.min(p.low, q.low), high: Math.max(p.high, q.high), log: p.log && q.log, ...values, ...condition } as Hyperparameter;
  }
  throw new InputError(`hyperparameter ${name} is ${p.type} in one meta-dataset and ${q.type} in another`, "--data", `write it the same way in both (values: {${name}: {...}} in a mapping), or leave it out of one (hyperparameters: {exclude: [${name}]})`);
}
