/** What a chat message asks for, decided by rules (the LLM, when configured, only rewords the answers). */
import type { DatasetRequest } from "../llm/extract/dataset-request.ts";
import { HYPERPARAMETERS } from "../llm/extract/vocabulary.ts";

export type Intent = "recommend" | "budget" | "why" | "compare" | "importance" | "help";

export function detectIntent(message: string, parsed: DatasetRequest, hasRecommendation: boolean): Intent {
  const t = message.toLowerCase();
  if (/\b(compare|comparison|versus|vs\.?)\b/.test(t) || /\bdifference between\b/.test(t)) return "compare";
  if (/\bwhy\b|\bexplain\b|\breason/.test(t)) return "why";
  if (/\b(matter|matters|important|importance|sensitive|influential)\b/.test(t)) return "importance";
  const statesDataset = parsed.card.samples !== undefined || parsed.card.classes !== undefined;
  if (statesDataset || /\b(recommend|suggest|configuration|config|hyperparameters for)\b/.test(t)) return "recommend";
  if (parsed.constraints.budgetSeconds !== undefined || Object.keys(parsed.constraints).length || parsed.objective) return hasRecommendation ? "budget" : "recommend";
  return "help";
}

/** The hyperparameter a question is about: a known phrase ("learning rate"), a space name, or the model. */
export function mentionedHyperparameter(message: string, spaceNames: readonly string[]): string | undefined {
  for (const h of HYPERPARAMETERS) if (h.pattern.test(message) && spaceNames.includes(h.name)) return h.name;
  const t = message.toLowerCase();
  const byLength = [...spaceNames].sort((a, b) => b.length - a.length);
  for (const n of byLength) if (new RegExp(`\\b${n.replace(/_/g, "[ _-]?")}\\b`).test(t)) return n;
  if (/\b(optimi[sz]er)\b/.test(t) && spaceNames.includes("opt")) return "opt";
  if (/\b(schedul\w*)\b/.test(t) && spaceNames.includes("sched")) return "sched";
  if (/\b(model|architecture|backbone|network)\b/.test(t)) return "model";
  return undefined;
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/**
 * Model mentions of a comparison ("EfficientNet-B4 with ViT") mapped onto the pack's models: names starting
 * with the mention, else containing it (after dropping the "tf_" prefix), so a family maps to its members.
 */
export function comparedModels(message: string, models: readonly string[]): Array<{ mention: string; models: string[] }> {
  const body = message.replace(/^.*?\b(compare|comparison of|difference between)\b/i, "");
  const parts = body
    .split(/\b(?:with|and|vs\.?|versus|against|to)\b|,|\?|\bhere\b|\bfor (?:my|this|the) \w+/i)
    .map((p) => p.replace(/\b(the|a|an|between|models?|me)\b/gi, "").trim())
    .filter((p) => /[a-z]/i.test(p));
  const out: Array<{ mention: string; models: string[] }> = [];
  for (const mention of parts) {
    const m = norm(mention);
    if (m.length < 2) continue;
    const plain = (name: string) => norm(name.replace(/^tf_/, ""));
    let hits = models.filter((x) => plain(x).startsWith(m));
    if (!hits.length) hits = models.filter((x) => plain(x).includes(m));
    out.push({ mention, models: hits });
  }
  return out;
}
