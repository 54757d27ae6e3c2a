/**
 * Compact text renderings of recommendation parts for prompts. Short on purpose: small local models have small
 * contexts and every token of prompt costs time before the first token of the answer.
 */
import { fmt, signed } from "../util/format.ts";
import type { EvidenceRef, Recommendation, RecommendedConfig } from "../recommend/schema.ts";

const MAIN_META = ["n_samples", "n_classes", "image_size", "channels", "samples_per_class", "imbalance_ratio"];

export function datasetText(d: Recommendation["dataset"]): string {
  const mf = d.metaFeatures;
  const parts = MAIN_META.filter((k) => mf[k] !== undefined).map((k) => `${k} ${fmt(mf[k])}`);
  if (d.domain) parts.push(`domain ${d.domain}`);
  if (d.modality) parts.push(`modality ${d.modality}`);
  return parts.join(", ");
}

/** "s12 convnext_small: 0.974±0.019 (top1_accuracy 83.3), 88 min, similar runs +0.31; SHAP lr=5e-4 +0.05, …" (the model's own SHAP share is in the line already). */
export function candidateText(c: RecommendedConfig, metric: string, drivers?: Recommendation["drivers"]): string {
  const p = c.predicted;
  const value = Number.isFinite(p.metric) ? ` (${metric} ${p.metric.toFixed(1)})` : "";
  const cost = p.seconds !== null && Number.isFinite(p.seconds) ? `, ${Math.round(p.seconds / 60)} min` : "";
  const prior = p.prior !== undefined ? `, similar runs ${signed(p.prior, 2)}` : "";
  const top = (drivers ?? []).filter((d) => d.name !== "model").slice(0, 3);
  const shap = top.length ? `; SHAP ${top.map((d) => `${d.name}=${d.value} ${signed(d.contribution, 2)}${d.caveat ? " (mostly training length)" : ""}`).join(", ")}` : "";
  return `${c.candidateId} ${c.model}: ${p.score.toFixed(3)}±${p.spread.toFixed(3)}${value}${cost}${prior}${shap}`;
}

export function evidenceText(evidence: EvidenceRef[]): string {
  return evidence.map((e) => `${e.id}: ${e.summary}`).join("\n") || "(none)";
}

export function constraintsText(stated: string[]): string {
  return stated.length ? stated.join("; ") : "none";
}

/** Hyperparameters that are set (inactive ones are null and say nothing). */
export function hyperparameterText(c: RecommendedConfig): string {
  return Object.entries(c.hyperparameters)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${fmt(v)}`)
    .join(", ");
}
