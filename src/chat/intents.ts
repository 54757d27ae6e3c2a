/** What a chat message asks for, decided by rules (the LLM, when configured, only rewords the answers). */
import type { DatasetRequest } from "../llm/extract/dataset-request.ts";
import { HYPERPARAMETERS } from "../llm/extract/vocabulary.ts";
import { escape } from "../judge/claims/names.ts";

export type Intent = "recommend" | "budget" | "why" | "compare" | "importance" | "tell" | "failed" | "forget" | "more" | "help";

/** "it ran out of memory", "CUDA OOM", "the loss diverged / went to NaN": a failed run of the last suggestion. */
export function reportedFailure(message: string): "oom" | "diverged" | undefined {
  if (/\b(out of memory|oom|ran out of (gpu )?memory)\b/i.test(message)) return "oom";
  if (/\b(diverged?|nan|exploded|blew up)\b/i.test(message)) return "diverged";
  return undefined;
}

/** "that was wrong", "scratch that", "I mistyped": the last result told is taken back (a new one may follow in the same message). */
export function retracted(message: string): boolean {
  return /\b(that was (wrong|a typo|a mistake|not right|incorrect)|i (mistyped|made a typo)|(forget|scratch|undo|take back) (that|it|this|the last (one|result|value)|my last (one|result|value)))\b/i.test(message);
}

const REPORTED = /\b(?:got|get|reached|reach|scored|score|achieved|gave|gives|measured|hit)\b[^0-9-]{0,20}(-?\d+(?:\.\d+)?)(\s*%)?/i;

/** "I got 71.2 % with that", "it reached 0.83", "scored 64": the metric measured, as stated. */
export function reportedValue(message: string): number | undefined {
  const m = REPORTED.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Whether the value reportedValue reads was said with a % sign ("I got 0.83 %"). */
export function reportedAsPercent(message: string): boolean {
  return REPORTED.exec(message)?.[2] !== undefined;
}

const PLACES: Record<string, number> = { first: 1, "1st": 1, second: 2, "2nd": 2, third: 3, "3rd": 3, fourth: 4, "4th": 4, fifth: 5, "5th": 5 };
const PLACE = /\bthe (first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)(?:\s+(?:one|config\w*|suggestion|run|trial|model))?\b(?!\s+(?:epochs?|times?|few|\d))/i;
/** What looks like a suggestion id ("PRT-20", "ACT_410-4"), said in capitals as the chat writes them. */
const ID_LIKE = /\b[A-Z][A-Z0-9_]*-\d+\b/;

/**
 * The run a result is about, as the message names it: one of `ids` ("PRT-20 got 75.5 %", any case), an id-like
 * word that is none of them (`unknown`), or a place in the last list of suggestions ("the second one ran out of
 * memory", "the last one"); undefined when it names none.
 */
export function namedRun(message: string, ids: readonly string[]): { id: string } | { unknown: string } | { place: number | "last" } | undefined {
  // Longest first, and no id continuing after it, so FNG-3 is not read in FNG-30.
  const id = [...ids].sort((a, b) => b.length - a.length).find((i) => new RegExp(`(?<![\\w-])${escape(i)}(?![\\w-])`, "i").test(message));
  if (id) return { id };
  const unknown = ID_LIKE.exec(message)?.[0];
  if (unknown) return { unknown };
  const place = PLACE.exec(message)?.[1].toLowerCase();
  if (place) return { place: place === "last" ? "last" : PLACES[place] };
  return undefined;
}

const COUNTS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };

/** "give me three to run in parallel", "what next?", "2 more": how many configurations to ask for; undefined when none. */
export function askedCount(message: string): number | undefined {
  const t = message.toLowerCase();
  const n = /\b(?:give me|suggest|next|another|more)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b/.exec(t) ?? /\b(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:more|to run|in parallel|configurations? to try|next)\b/.exec(t);
  if (n) return Math.min(20, Number(n[1]) || COUNTS[n[1]]);
  if (/\b(what next|what now|what should i (?:try|run) next|another one|in parallel|next (?:one|config\w*|try))\b/.test(t)) return 1;
  return undefined;
}

export function detectIntent(message: string, parsed: DatasetRequest, hasRecommendation: boolean): Intent {
  const t = message.toLowerCase();
  // Results of the study (ask/tell) once there is something to have run; a correction first ("scratch that, I got 71.2").
  if (hasRecommendation && retracted(message)) return "forget";
  // A result told before any recommendation (and with no dataset in it) is still a result: the answer says how to get there.
  const result = hasRecommendation || (parsed.card.samples === undefined && parsed.card.classes === undefined);
  if (result && reportedFailure(message)) return "failed";
  if (result && reportedValue(message) !== undefined && parsed.card.samples === undefined) return "tell";
  if (hasRecommendation && askedCount(message) !== undefined) return "more";
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
