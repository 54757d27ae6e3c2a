/**
 * Evidence documents written from a trained pack: one per past dataset (what won there, by how much, what
 * mattered), one per model family (where it wins, its SHAP contribution), one per hyperparameter (importance,
 * good ranges, interactions). Texts are short, factual and cite numbers, so an answer can quote them.
 */
import type { Pack, DatasetSummary } from "../learner/pack.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import type { GoodRange } from "../explain/good-ranges.ts";
import { fmt, formatValueRange, signed } from "../util/format.ts";
import { evidenceId, type EvidenceDocument } from "./document.ts";

/** Model family: the architecture name before the first "_" (beit_base_patch16_384 -> beit). */
export function modelFamily(model: string): string {
  return model.split(/[_-]/)[0].toLowerCase();
}

export function evidenceFromPack(pack: Pack, ex: Explanations): EvidenceDocument[] {
  const metric = pack.manifest.metric.name;
  return [
    ...pack.datasets.map((d) => datasetDoc(d, ex, metric)),
    ...modelDocs(pack, ex, metric),
    ...ex.importance.filter((i) => i.kind === "hp").map((i, rank) => hyperparameterDoc(i.name, rank + 1, i.share, ex)),
  ];
}

function describeConfig(h: Record<string, unknown>, keys: string[]): string {
  return keys
    .filter((k) => h[k] !== undefined && h[k] !== null)
    .map((k) => `${k}=${typeof h[k] === "number" ? fmt(h[k] as number) : String(h[k])}`)
    .join(", ");
}

function datasetDoc(d: DatasetSummary, ex: Explanations, metric: string): EvidenceDocument {
  const mf = d.metaFeatures;
  const drivers = ex.perDataset[d.id];
  const keyHps = (drivers?.importance ?? []).map((i) => i.name).filter((n) => n !== "model").slice(0, 4);
  const size = [mf.n_samples && `${mf.n_samples} samples`, mf.n_classes && `${mf.n_classes} classes`, mf.image_size && `${mf.image_size} px`]
    .filter(Boolean)
    .join(", ");
  const lines = [
    `Dataset ${d.id}${d.domain ? ` (${d.domain}${d.modality ? `, ${d.modality}` : ""})` : ""}: ${size}. ${d.nRuns} runs; best ${metric} ${fmt(d.best)}, median ${fmt(d.median)}, so choosing well is worth ${fmt(d.best - d.median)} points.`,
    `Winning configurations: ${d.topRuns
      .slice(0, 3)
      .map((r, i) => `${i + 1}) ${r.model} with ${describeConfig(r.hyperparameters, keyHps)} -> ${fmt(r.outcome)}`)
      .join("; ")}.`,
  ];
  if (drivers?.best.length)
    lines.push(`What mattered here (SHAP): ${drivers.best.map((b) => `${b.name} best at ${b.value} (+${b.meanShap.toFixed(3)})`).join(", ")}.`);
  return {
    id: evidenceId("dataset", d.id),
    kind: "dataset",
    text: lines.join("\n"),
    metadata: { datasetId: d.id, domain: d.domain, modality: d.modality, models: [...new Set(d.topRuns.slice(0, 5).map((r) => r.model))], metaFeatures: mf },
  };
}

function modelDocs(pack: Pack, ex: Explanations, metric: string): EvidenceDocument[] {
  const modelRange = ex.goodRanges.overall.find((r) => r.name === "model");
  const families = new Map<string, string[]>();
  for (const m of pack.space.models) families.set(modelFamily(m), [...(families.get(modelFamily(m)) ?? []), m]);
  return [...families.entries()].map(([family, models]) => {
    const wins = pack.datasets.filter((d) => d.topRuns[0] && models.includes(d.topRuns[0].model));
    const top3 = pack.datasets.filter((d) => d.topRuns.slice(0, 3).some((r) => models.includes(r.model)));
    const shap = models
      .map((m) => ({ m, s: modelRange?.stats.find((s) => s.category === m) }))
      .filter((x) => x.s)
      .map((x) => `${x.m} ${signed(x.s!.meanShap)} (${Math.round(100 * x.s!.positiveShare)}% positive)`);
    const domains = [...new Set(wins.map((d) => d.domain).filter(Boolean))];
    const text = [
      `Model family ${family}: ${models.join(", ")}.`,
      `Best run on ${wins.length} of ${pack.datasets.length} past datasets${wins.length ? ` (${wins.map((d) => d.id).join(", ")})` : ""}; in the top 3 on ${top3.length}.`,
      shap.length ? `Mean SHAP contribution to the predicted ${metric} rank: ${shap.join("; ")}.` : "",
      domains.length ? `Wins in domains: ${domains.join(", ")}.` : "",
    ]
      .filter(Boolean)
      .join("\n");
    return { id: evidenceId("model", family), kind: "model" as const, text, metadata: { models, family } };
  });
}

function rangeText(r: GoodRange | undefined): string {
  if (!r?.good.length) return "no value range helps consistently";
  return r.good
    .slice(0, 3)
    .map((g) => `${formatValueRange(g)} (+${g.meanShap.toFixed(3)}, ${Math.round(100 * g.positiveShare)}% of runs positive)`)
    .join("; ");
}

function hyperparameterDoc(name: string, rank: number, share: number, ex: Explanations): EvidenceDocument {
  const overall = ex.goodRanges.overall.find((r) => r.name === name);
  const byDomain = Object.entries(ex.goodRanges.byDomain)
    .map(([dom, ranges]) => ({ dom, r: ranges.find((x) => x.name === name) }))
    .filter((x) => x.r?.good.length)
    .slice(0, 4)
    .map((x) => `${x.dom}: ${rangeText(x.r)}`);
  const partners = ex.interactions.filter((i) => i.a === name || i.b === name).slice(0, 3).map((i) => (i.a === name ? i.b : i.a));
  const reduced = ex.reducedSpace.rationale[name];
  const caveat = ex.trainingLength?.find((c) => c.name === name);
  const text = [
    `Hyperparameter ${name}: importance rank ${rank} (${(share * 100).toFixed(1)}% of total mean |SHAP|).`,
    `Good values overall: ${rangeText(overall)}.`,
    byDomain.length ? `By domain: ${byDomain.join(" | ")}.` : "",
    partners.length ? `Interacts most with ${partners.join(", ")}.` : "",
    reduced ? `Follow-up search: ${reduced}.` : "",
    caveat ? `Caveat: ${caveat.text}.` : "",
  ]
    .filter(Boolean)
    .join("\n");
  return { id: evidenceId("hyperparameter", name), kind: "hyperparameter", text, metadata: { hyperparameter: name } };
}
