/**
 * The deterministic reading of a user's message: "about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours"
 * -> card {samples: 3000, classes: 7, imageSize: 224, domain: medical, modality: image} + {budgetSeconds: 7200}.
 * Always available, and the fallback of the LLM extractor.
 */
import type { DatasetCard } from "../../metadata/card.ts";
import type { Constraints } from "../../recommend/constraints.ts";
import { missingFields, type DatasetRequest } from "./dataset-request.ts";
import { digitiseWords, durations, NUMBER, numberValue } from "./quantities.ts";
import { DOMAIN_RULES, HYPERPARAMETERS, MODALITY_RULES, MODEL_FAMILY, OPTIMIZERS } from "./vocabulary.ts";

export interface ParseOptions {
  /** Model names of the pack: mentions are mapped onto them ("ResNets" -> every resnet*). */
  knownModels?: readonly string[];
}

const SAMPLE_NOUNS = String.raw`images|pictures|photos|photographs|samples|examples|scans|slides|volumes|instances|records|rows|cases|studies|x-?rays|radiographs|crops|tiles|patches|frames|shots|observations`;
const CLASS_NOUNS = String.raw`classes|categories|labels|species|types|kinds|diseases|conditions|breeds|varieties|grades|outcomes|genera|families`;
// Up to three describing words between a number and its noun ("3k labelled dermoscopy images"); units are not words here.
const FILLER = String.raw`(?:(?!px\b|pixels?\b|classes\b|x\b(?!-))[a-z][\w-]*\s+){0,3}?`;

export function parseDatasetRequest(message: string, options: ParseOptions = {}): DatasetRequest {
  const text = digitiseWords(message.replace(/[–—]/g, "-"));
  const card: Partial<DatasetCard> = {};
  const size = imageSize(text);
  Object.assign(card, size);
  const samples = samplesIn(text);
  if (samples !== undefined) card.samples = samples;
  const classes = classesIn(text);
  if (classes !== undefined) card.classes = classes;
  if (card.samples !== undefined && card.classes !== undefined && perClass(text)) card.samples *= card.classes;
  card.channels ??= channelsIn(text);
  card.depth ??= depthIn(text);
  card.domain = domainIn(text);
  card.modality = MODALITY_RULES.find((r) => r.pattern.test(text))?.modality ?? (card.imageSize ? "image" : undefined);
  // CT, MRI, X-ray and ultrasound images are single-channel unless the user says otherwise.
  if (card.channels === undefined && ["mri", "ct", "xray", "ultrasound"].includes(card.modality ?? "")) card.channels = 1;
  const name = /\b(?:called|named)\s+["'“]?([\w.-]+)/i.exec(text)?.[1];
  if (name) card.name = name;
  for (const k of Object.keys(card) as Array<keyof DatasetCard>) if (card[k] === undefined) delete card[k];
  const constraints = constraintsIn(text, options);
  const objective = objectiveIn(text);
  return { card, constraints, ...(objective && { objective }), missing: missingFields(card) };
}

/** "optimise for cost", "as cheap as possible", "a balance of speed and accuracy", "best accuracy". */
function objectiveIn(text: string): DatasetRequest["objective"] {
  // Not a bare "balanced": "my classes are balanced" describes the data.
  if (/\b(trade-?off|compromise)\b|\bbalance\b[^.;!?]{0,30}\b(cost|time|speed|accuracy)\b/i.test(text)) return "balanced";
  if (/\b(optimi[sz]e|optimi[sz]ing|minimi[sz]e|prioriti[sz]e|focus on)\b[^.;!?]{0,20}\b(cost|costs|time|speed|price|compute)\b|\b(as cheap|as fast|cheapest|fastest)\b/i.test(text)) return "cost";
  if (/\b(optimi[sz]e|optimi[sz]ing|maximi[sz]e|prioriti[sz]e|focus on)\b[^.;!?]{0,20}\b(accuracy|performance|quality)\b|\bbest accuracy\b/i.test(text)) return "accuracy";
  return undefined;
}

function firstNumber(text: string, patterns: RegExp[]): number | undefined {
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return numberValue(m[1], m[2]);
  }
  return undefined;
}

function samplesIn(text: string): number | undefined {
  const n = firstNumber(text, [
    new RegExp(String.raw`(?<![\w.,x×])${NUMBER}\s+${FILLER}(?:${SAMPLE_NOUNS})\b`, "i"),
    new RegExp(String.raw`\b(?:samples|images|examples|n)\s*[:=]\s*${NUMBER}`, "i"),
    new RegExp(String.raw`\b(?:dataset|data set|collection) of\s+(?:about\s+|around\s+|roughly\s+|~)?${NUMBER}(?!\s*(?:${CLASS_NOUNS}|px|pixels?))`, "i"),
  ]);
  return n === undefined ? undefined : Math.round(n);
}

function perClass(text: string): boolean {
  return new RegExp(String.raw`(?:${SAMPLE_NOUNS})\s+(?:per|for each|in each|each)\s+(?:class|category|label)|(?:${SAMPLE_NOUNS}) each\b`, "i").test(text);
}

function classesIn(text: string): number | undefined {
  if (/\bbinary\b|\btwo-class\b/i.test(text)) return 2;
  const n = firstNumber(text, [
    new RegExp(String.raw`(?<![\w.,])${NUMBER}[\s-]+(?:(?!images\b|of\b)[a-z][\w-]*\s+){0,2}?(?:${CLASS_NOUNS})\b`, "i"),
    new RegExp(String.raw`(?<![\w.,])${NUMBER}[\s-]class\b`, "i"),
    new RegExp(String.raw`\b(?:classes|categories|labels|number of classes)\s*(?:is|are|=|:)?\s*${NUMBER}`, "i"),
  ]);
  return n === undefined ? undefined : Math.round(n);
}

function imageSize(text: string): Partial<DatasetCard> {
  const dims = /(?<![\w.])(\d{1,5})\s*[x×*]\s*(\d{1,5})(?:\s*[x×*]\s*(\d{1,5}))?(?!\w)/i.exec(text);
  if (dims) {
    const [w, h, third] = [Number(dims[1]), Number(dims[2]), dims[3] && Number(dims[3])];
    const out: Partial<DatasetCard> = { imageSize: Math.round((w + h) / 2) };
    // 224x224x3 ends with channels, 128x128x64 with the slices of a volume.
    if (third) Object.assign(out, third <= 4 ? { channels: third } : { depth: third });
    return out;
  }
  const side = firstNumber(text, [
    new RegExp(String.raw`(?<![\w.])${NUMBER}[\s-]*(?:px|pixels?)\b`, "i"),
    new RegExp(String.raw`\b(?:resolution|image size|size|resized to|res)\s*(?:of|is|=|:)?\s*${NUMBER}(?!\s*(?:${SAMPLE_NOUNS}|${CLASS_NOUNS}))`, "i"),
  ]);
  return side === undefined ? {} : { imageSize: Math.round(side) };
}

function channelsIn(text: string): number | undefined {
  const n = firstNumber(text, [new RegExp(String.raw`(?<![\w.])${NUMBER}[\s-]*(?:channels?|bands?)\b`, "i")]);
  if (n !== undefined) return n;
  if (/\b(gr[ae]y[\s-]?scale|gr[ae]y|monochrome|black[\s-]and[\s-]white|single[\s-]channel|b\/w)\b/i.test(text)) return 1;
  if (/\brgba\b/i.test(text)) return 4;
  if (/\b(rgb|colou?r|colou?red|full[\s-]colou?r)\b/i.test(text)) return 3;
  return undefined;
}

function depthIn(text: string): number | undefined {
  return firstNumber(text, [
    new RegExp(String.raw`(?<![\w.])${NUMBER}\s*(?:slices|axial slices)\b`, "i"),
    new RegExp(String.raw`\bdepth\s*(?:of|is|=|:)?\s*${NUMBER}`, "i"),
  ]);
}

function domainIn(text: string): string | undefined {
  let best: { domain: string; strength: number; index: number } | undefined;
  for (const r of DOMAIN_RULES) {
    const m = r.pattern.exec(text);
    if (!m) continue;
    if (!best || r.strength > best.strength || (r.strength === best.strength && m.index < best.index)) {
      best = { domain: r.domain, strength: r.strength, index: m.index };
    }
  }
  return best?.domain;
}

const BUDGET_CUE = /\b(budget|within|at most|under|less than|max(imum)?|limit|gpu|compute|afford|only have|have)\b/i;

function constraintsIn(text: string, options: ParseOptions): Constraints {
  const c: Constraints = {};
  const found = durations(text);
  // Several durations ("epochs take 5 min, budget 2 h"): the one introduced by a budget word, else the first.
  const budget = found.find((d) => BUDGET_CUE.test(text.slice(Math.max(0, d.index - 25), d.index + 20))) ?? found[0];
  if (budget) c.budgetSeconds = budget.seconds;
  const { allow, deny } = modelsIn(text, options.knownModels);
  if (allow.length) c.allowModels = allow;
  if (deny.length) c.denyModels = deny;
  const fixed = fixedIn(text);
  if (Object.keys(fixed).length) c.fixed = fixed;
  return c;
}

const DENY = /\b(no|not|without|exclude|excluding|except|avoid|never|don'?t|skip|ban|forbid\w*|instead of)\b/gi;
const ALLOW = /\b(only|must use|have to use|use|using|restricted to|limited to|stick (to|with)|prefer|with)\b/gi;

/** A model mention is allowed or denied by the nearest cue before it in its sentence ("only ResNets, no ViTs"). */
function modelsIn(text: string, known?: readonly string[]): { allow: string[]; deny: string[] } {
  const allow = new Set<string>();
  const deny = new Set<string>();
  for (const sentence of text.split(/[.;!?\n]|\bbut\b/i)) {
    const denies = [...sentence.matchAll(DENY)].map((m) => ({ index: m.index!, deny: true }));
    // "don't use X": the verb right after a negation belongs to it.
    const allows = [...sentence.matchAll(ALLOW)]
      .map((m) => ({ index: m.index!, deny: false }))
      .filter((a) => !denies.some((d) => a.index > d.index && a.index - d.index <= 8));
    const cues = [...denies, ...allows].sort((a, b) => a.index - b.index);
    for (const m of mentions(sentence, known)) {
      const cue = cues.filter((c) => c.index < m.index).pop();
      if (!cue) continue;
      for (const name of m.names) (cue.deny ? deny : allow).add(name);
    }
  }
  for (const d of deny) allow.delete(d);
  return { allow: [...allow], deny: [...deny] };
}

function mentions(sentence: string, known?: readonly string[]): Array<{ index: number; names: string[] }> {
  const out: Array<{ index: number; names: string[] }> = [];
  if (known?.length) {
    for (const m of sentence.matchAll(/[A-Za-z][\w.-]*/g)) {
      const word = m[0].toLowerCase().replace(/[.-]+$/, "");
      const exact = known.filter((k) => k.toLowerCase() === word);
      const stem = word.replace(/s$/, "");
      const family = stem.length >= 3 ? known.filter((k) => k.toLowerCase().startsWith(stem)) : [];
      const names = exact.length ? exact : family;
      if (names.length) out.push({ index: m.index!, names });
    }
    return out;
  }
  for (const m of sentence.matchAll(MODEL_FAMILY)) {
    const name = m[0].toLowerCase().replace(/[.-]+$/, "");
    out.push({ index: m.index!, names: [/\d/.test(name) ? name : name.replace(/s$/, "")] });
  }
  return out;
}

function fixedIn(text: string): Record<string, number | string> {
  const fixed: Record<string, number | string> = {};
  for (const hp of HYPERPARAMETERS) {
    const m = new RegExp(
      String.raw`(?:${hp.pattern.source})\s*(?:must be|should be|has to be|is|of|=|:|fixed (?:at|to)|set to|at|to|equal to|exactly)?\s*(?:=\s*)?${NUMBER}`,
      "i",
    ).exec(text);
    if (m) fixed[hp.name] = numberValue(m[1], m[2]);
  }
  const opt = new RegExp(String.raw`\b(?:use|using|with|optimi[sz]er\s*(?:is|=|:)?)\s+(${OPTIMIZERS.join("|")})\b|\b(${OPTIMIZERS.join("|")})\s+optimi[sz]er\b`, "i").exec(text);
  if (opt) fixed.opt = (opt[1] ?? opt[2]).toLowerCase();
  return fixed;
}
