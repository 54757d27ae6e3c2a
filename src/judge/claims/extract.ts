/**
 * What an answer's text claims. The justification is cut into sentences; in each, the names the answer and the
 * pack know (models, candidate ids, past datasets, hyperparameters, the metric) are located first, then every
 * number is read in its context: a predicted metric and its range, a training time or a budget, a hyperparameter
 * value or its SHAP contribution, a similarity, a percentile, "within N points", the dataset's size. Written for
 * the deterministic writer's phrasing and for the looser one of LLMs ("~85% top-1", "roughly an hour",
 * "learning rate of 1e-3", "between 67 and 99"). Numbers whose role is unclear are not claims: the checker
 * must never fail an answer on a guess.
 */
import { bounded, compileNames, escape, findMentions, masked, squeeze, type CompiledNames, type Configs, type Mention, type Vocabulary } from "./names.ts";

export { squeeze, type Configs, type Vocabulary } from "./names.ts";

/** A number as written: its value, half a unit of its last digit, and whether it was hedged ("about", "~"). */
export interface Stated {
  value: number;
  precision: number;
  hedged: boolean;
  /** Written with a percent sign or "percent". */
  percent: boolean;
}

export type Claim = {
  /** The words that make the claim, as written. */
  text: string;
  sentence: string;
  /**
   * Which of the answer's configurations it is about (0 = the recommendation, i = alternative i); a claim
   * holds when it holds for one of them. Empty when the text names a model the answer does not contain.
   */
  about: number[];
} & (
  | { kind: "model"; model: string; role: "recommended" | "alternative"; candidateId?: string }
  | { kind: "metric"; stated: Stated }
  | { kind: "score"; stated: Stated; spread?: Stated }
  | { kind: "interval"; low: Stated; high: Stated }
  | { kind: "seconds"; seconds: number; tolerance: number; bound: "about" | "at most" }
  | { kind: "hyperparameter"; name: string; value: number | string | boolean; precision: number }
  | { kind: "driver"; name: string; stated: Stated }
  | { kind: "similar-dataset"; id: string }
  | { kind: "similarity"; id: string; stated: Stated }
  | { kind: "percentile"; stated: Stated; of: "score" | "prior" }
  | { kind: "within"; points: Stated }
  | { kind: "none-faster"; points: Stated }
  | { kind: "budget"; seconds: number; tolerance: number }
  | { kind: "fixed"; name: string; value: number | string | boolean; precision: number }
  | { kind: "models-allowed"; models: string[] }
  | { kind: "models-denied"; models: string[] }
  | { kind: "objective"; objective: string }
  | { kind: "dataset"; feature: "n_samples" | "n_classes" | "image_size"; stated: Stated }
);

export type ClaimKind = Claim["kind"];

/** A claim before its sentence is attached. */
type Draft = Claim extends infer C ? (C extends unknown ? Omit<C, "sentence"> : never) : never;

/** A number not glued to a word ("top1", "v2") or to another number's digits. */
const NUMBER = /(?<![\w.])(?:[-+−](?=[\d.]))?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+−]?\d+)?(?=(?:st|nd|rd|th)\b|\W|$)/g;
const DURATION_UNIT = /^\s*(s|sec|secs|seconds?|min|mins|minutes?|h|hr|hrs|hours?|GPU[- ]hours?|days?)\b/i;
const UNIT_SECONDS: [RegExp, number][] = [[/^(s|sec|secs|seconds?)$/i, 1], [/^(min|mins|minutes?)$/i, 60], [/^(h|hr|hrs|hours?|gpu[- ]hours?)$/i, 3600], [/^days?$/i, 86400]];
const HEDGE = /(about|around|roughly|approximately|approx\.?|~|≈|nearly|almost|close to|some|circa|ca\.)\s*$/i;
const PERCENTILE_LEFT = /(better than|outperform\w*|beats?|above|exceed\w*|ahead of|higher than|top)\s+(only\s+)?((about|around|roughly|approximately|nearly|almost|~|≈)\s*)?$/i;
const SIMILARITY_LEFT = /similarity\s*(score\s*)?(of|:|=|is|≈|~)?\s*((about|around|roughly|~|≈)\s*)?$/i;
const BUDGET_CUE = /\b(budget|constraint|limit|allowed|cap|at most|maximum|max\.?|no more than|within your|your \d)/i;
const UPPER_BOUND_LEFT = /(at most|within|under|below|less than|no more than|up to|in under)\s*((about|around|roughly|~|≈)\s*)?$/i;
const RECOMMEND_CUE = /\b(recommend\w*|choose|chosen|choice|pick\w*|go with|suggest\w*|select\w*|best|configuration below|has a predicted|use)\b/i;
const ALTERNATIVE_CUE = /\b(alternative\w*|instead|if time|cheaper|faster|quicker|other model|runner|rather than|compared|versus|vs\.?|switch\w* from|fallback|also consider|limited to|excluded|exclude|constraint)/i;
const SIMILAR_CUE = /\b(similar\w*|closest|nearest|resembl\w*|neighbou?r\w*|most like|like the past)\b/i;
const PRIOR_CUE = /\b(nearest|similar runs|runs there|neighbou?ring runs|runs nearest)\b/i;
/** The metric named right after a number: "85% top-1", "0.94 accuracy", "70.3 auc x100". */
const METRIC_AFTER = /^\s*%?\s*(§|top-?1\b|accuracy\b|auc\b)/i;
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<!\b(?:i\.e|e\.g|etc|vs|approx|ca|cf|resp|incl)\.)(?<=[.!?])\s+(?=\S)/i)
    .map((s) => s.trim())
    .filter(Boolean);
}

export interface Extracted {
  claims: Claim[];
  /** Every model of the pack the text names, claim or not. */
  models: Set<string>;
}

/** Every claim of a text about an answer with these configurations. */
export function extractClaims(text: string, vocab: Vocabulary, configs: Configs): Extracted {
  const names = compileNames(vocab);
  // Candidate ids are the answer's own: matched before the pack's names ("desmoid-0" is not dataset "desmoid").
  const all = { ...names, patterns: [...configs.map((c) => ({ kind: "candidate" as const, name: c.candidateId, re: bounded(escape(c.candidateId)) })), ...names.patterns] };
  const claims: Claim[] = [];
  const models = new Set<string>();
  let carried: number[] = [0];
  for (const sentence of splitSentences(text)) {
    const { claims: found, last, named } = sentenceClaims(sentence, vocab, configs, all, carried);
    claims.push(...found);
    for (const m of named) models.add(m);
    carried = last ?? [0];
  }
  return { claims, models };
}

function parseNumber(raw: string): { value: number; precision: number } | undefined {
  const t = raw.replace(/−/g, "-").replace(/,/g, "");
  if (!/\d/.test(t)) return undefined;
  const value = Number(t);
  if (!Number.isFinite(value)) return undefined;
  const [mantissa, exp] = t.toLowerCase().split("e");
  const decimals = mantissa.includes(".") ? mantissa.split(".")[1].length : 0;
  return { value, precision: 0.5 * 10 ** (-decimals + (exp ? Number(exp) : 0)) };
}

function stated(raw: string, left: string, right: string): Stated | undefined {
  const n = parseNumber(raw);
  if (!n) return undefined;
  return { ...n, hedged: HEDGE.test(left), percent: /^\s*(%|percent\b|per cent\b)/i.test(right) };
}

/**
 * Subject configurations of a model or candidate-id mention. The recommended model named outside a sentence about
 * alternatives is the recommendation (alternatives of the same model are named by their candidate id).
 */
function subjectOf(m: Mention, configs: Configs, aboutAlternatives = false): number[] {
  if (m.kind === "candidate") return configs.flatMap((c, i) => (c.candidateId === m.name ? [i] : []));
  const all = configs.flatMap((c, i) => (c.model === m.name ? [i] : []));
  if (!aboutAlternatives) return all[0] === 0 ? [0] : all;
  const others = all.filter((i) => i > 0);
  return others.length ? others : all;
}

interface NumberToken {
  start: number;
  end: number;
  raw: string;
}

function sentenceClaims(sentence: string, vocab: Vocabulary, configs: Configs, names: CompiledNames, carried: number[]): { claims: Claim[]; last?: number[]; named: string[] } {
  const mentions = findMentions(sentence, names);
  const text = masked(sentence, mentions);
  const claims: Claim[] = [];
  const add = (c: Draft) => claims.push({ ...c, sentence } as Claim);
  // "model = rpart (-0.18)" is a driver of the recommendation, not a configuration being talked about.
  const subjects = mentions.filter((m) => (m.kind === "model" || m.kind === "candidate") && !/model\s*=\s*$/i.test(sentence.slice(0, m.start)));
  const aboutAlternatives = ALTERNATIVE_CUE.test(sentence);
  // Claims before any name in the sentence are about the carried subject (or the recommendation).
  const fallback = [...new Set([0, ...carried])];
  const subjectAt = (pos: number): number[] => {
    const before = subjects.filter((m) => m.end <= pos);
    if (!before.length) return fallback;
    // "resnet18 (desmoid-0)": the candidate id right after the model is the sharper subject.
    const lastM = before[before.length - 1];
    return subjectOf(lastM, configs, aboutAlternatives);
  };
  const clauseStart = (pos: number) => Math.max(text.lastIndexOf(";", pos - 1), text.lastIndexOf(". ", pos - 1), -1) + 1;

  modelClaims(sentence, mentions, configs, add);
  constraintListClaims(sentence, mentions, add);
  wordClaims(sentence, names, vocab, add, subjectAt);

  const numbers: NumberToken[] = [...text.matchAll(NUMBER)].filter((m) => /\d/.test(m[0])).map((m) => ({ start: m.index!, end: m.index! + m[0].length, raw: m[0] }));
  const used = new Set<number>();
  // "lr = 0.001 (+0.022)", "opt_betas = [0.9, 0.99] (+0.121)", "model = xgboost (+0.058)": SHAP contributions.
  for (const d of driverClaims(sentence, names)) {
    const at = numbers.findIndex((x) => x.start === d.at);
    if (at < 0) continue;
    used.add(at);
    const c = stated(numbers[at].raw, "", "");
    if (c) add({ kind: "driver", text: d.text, about: subjectAt(d.at), name: d.name, stated: c });
  }
  // Ranges first: "range 67.1-99.5", "between 67 and 99.5", "(67.1–99.5)", "67-99%".
  for (let i = 0; i + 1 < numbers.length; i++) {
    const a = numbers[i];
    const b = numbers[i + 1];
    const between = text.slice(a.end, b.start);
    if (!/^\s*%?\s*(-|–|—|to|and)\s*$/i.test(between)) continue;
    const left = text.slice(clauseStart(a.start), a.start);
    // "(range 67-99)", "(80% range 67-99)", "(range, not calibrated 67-99)", "between 67 and 99".
    const rangeCue = /(range|between|from|interval|likely|plausibl\w*|\()[^\d()]{0,25}$/i.test(left);
    const metricNear = /[§¤]/.test(left) || RECOMMEND_CUE.test(left) || /predict/i.test(left);
    if (!rangeCue || !metricNear || DURATION_UNIT.test(text.slice(b.end))) continue;
    const low = stated(a.raw, left, text.slice(a.end));
    const high = stated(b.raw, "", text.slice(b.end));
    if (!low || !high) continue;
    if (high.percent) low.percent = true;
    add({ kind: "interval", text: sentence.slice(a.start, b.end + (high.percent ? 1 : 0)), about: subjectAt(a.start), low, high });
    used.add(i).add(i + 1);
    i++;
  }

  for (let i = 0; i < numbers.length; i++) {
    if (used.has(i)) continue;
    const n = numbers[i];
    const left = text.slice(clauseStart(n.start), n.start);
    const right = text.slice(n.end);
    const s = stated(n.raw, left, right);
    if (!s) continue;
    const quote = (extraRight = 0, from = wordStart(sentence, Math.max(clauseStart(n.start), n.start - 40))) => sentence.slice(from, n.end + extraRight).trim();
    const about = subjectAt(n.start);
    const unit = DURATION_UNIT.exec(right);
    if (unit) {
      const factor = UNIT_SECONDS.find(([re]) => re.test(unit[1]))?.[1] ?? 1;
      const seconds = s.value * factor;
      const tolerance = s.precision * factor;
      const q = quote(unit[0].length);
      if (BUDGET_CUE.test(left) || (/\bbudget|constraint/i.test(sentence) && UPPER_BOUND_LEFT.test(left))) add({ kind: "budget", text: q, about, seconds, tolerance });
      else add({ kind: "seconds", text: q, about, seconds, tolerance, bound: UPPER_BOUND_LEFT.test(left) ? "at most" : "about" });
      continue;
    }
    if (/^\s*(percentage\s+)?points?\b/i.test(right) && /within\s*((about|around|~)\s*)?$/i.test(left)) {
      const none = /\bno (other )?(candidate|configuration|alternative|option)\b/i.test(sentence);
      add({ kind: none ? "none-faster" : "within", text: quote(right.match(/^\s*(percentage\s+)?points?/i)![0].length), about, points: s });
      continue;
    }
    if (PERCENTILE_LEFT.test(left) || /^\s*(st|nd|rd|th)?\s*percentile/i.test(right)) {
      // "in the top 10%" is better than 90%.
      const top = /\btop\s+((about|around|roughly|approximately|nearly|almost|~|≈)\s*)?$/i.test(left) && s.percent;
      const better = top ? { ...s, value: 100 - s.value } : s;
      add({ kind: "percentile", text: quote(s.percent ? 1 : /^(st|nd|rd|th)/.test(right) ? 2 : 0), about, stated: better, of: PRIOR_CUE.test(sentence) ? "prior" : "score" });
      continue;
    }
    if (SIMILARITY_LEFT.test(left) || /^\s*%?\s*similar/i.test(right)) {
      const ds = mentions.filter((m) => m.kind === "dataset" && m.end <= n.start).pop();
      if (ds) add({ kind: "similarity", text: quote(s.percent ? 1 : 0, ds.start), about, id: ds.name, stated: s });
      continue;
    }
    const feature = /^\s*(images|samples|examples|instances|rows|records|training images)\b/i.test(right)
      ? "n_samples"
      : /^\s*(classes|labels|categories)\b/i.test(right)
        ? "n_classes"
        : /^\s*(px|pixels)\b/i.test(right)
          ? "image_size"
          : undefined;
    if (feature) {
      add({ kind: "dataset", text: quote(right.match(/^\s*\w+/)![0].length), about, feature, stated: s });
      continue;
    }
    // "a drop of 5 points", "cost of 12%": a hyperparameter value has no unit.
    const hp = /^\s*(%|percent\b|points?\b)/i.test(right) ? undefined : boundHyperparameter(sentence, n.start, names);
    if (hp) {
      const fixed = /fixed\s*(at|to)?\s*$/i.test(sentence.slice(hp.start, n.start)) || /^\s*\(?fixed\b/i.test(text.slice(n.end));
      add(fixed ? { kind: "fixed", text: quote(), about, name: hp.name, value: s.value, precision: s.precision } : { kind: "hyperparameter", text: sentence.slice(hp.start, n.end), about, name: hp.name, value: s.value, precision: s.precision });
      continue;
    }
    const driver = /(contribut\w*|shap(\s+value)?)\s*(of|:|=|is)?\s*$/i.exec(left);
    if (driver) {
      const named = mentionsBefore(sentence, n.start, names);
      if (named) add({ kind: "driver", text: quote(), about, name: named, stated: s });
      continue;
    }
    if (/score\s*(of|:|=|is)?\s*((about|around|roughly|approximately|~|≈)\s*)?$/i.test(left) && !/%/.test(right.slice(0, 2)) && !METRIC_AFTER.test(right)) {
      const pm = /^\s*(±|\+\/-|\+-)\s*/.exec(right);
      const next = numbers[i + 1];
      const spread = pm && next && next.start === n.end + pm[0].length ? stated(next.raw, "", "") : undefined;
      if (spread) used.add(i + 1);
      add({ kind: "score", text: quote(spread ? pm![0].length + next!.raw.length : 0), about, stated: s, spread });
      continue;
    }
    if (metricContext(text, left, right, n)) add({ kind: "metric", text: quote(/^\s*%?\s*(§+|top-?1( accuracy)?|accuracy|auc)?/i.exec(right)![0].length), about, stated: s });
  }
  const last = subjects.length ? subjectOf(subjects[subjects.length - 1], configs, aboutAlternatives) : undefined;
  return { claims, last: last?.length ? last : undefined, named: mentions.filter((m) => m.kind === "model").map((m) => m.name) };
}

/** The start of the word at or after `pos` (a quote never begins mid-word). */
function wordStart(s: string, pos: number): number {
  if (pos === 0 || /\W/.test(s[pos - 1])) return pos;
  const m = /\W/.exec(s.slice(pos));
  return m ? pos + m.index + 1 : pos;
}

/** "name = value (±contribution)" for hyperparameters and the model; `at` is where the contribution starts. */
function driverClaims(sentence: string, names: CompiledNames): { name: string; text: string; at: number }[] {
  const out: { name: string; text: string; at: number }[] = [];
  for (const d of names.drivers) {
    d.re.lastIndex = 0;
    for (const m of sentence.matchAll(d.re)) {
      if (out.some((o) => o.at === m.index! + m[0].lastIndexOf(m[1]))) continue;
      out.push({ name: d.name, text: m[0], at: m.index! + m[0].lastIndexOf(m[1]) });
    }
  }
  return out;
}

/** A metric value: the metric named shortly before it ("top1_accuracy of about 84.6", "AUC ≈ 0.9") or right after ("85% top-1"). */
function metricContext(text: string, left: string, right: string, n: NumberToken): boolean {
  if (METRIC_AFTER.test(right)) return true;
  const window = left.slice(-45);
  const at = window.lastIndexOf("§");
  if (at < 0) return /\b(predicted|expected|estimated|should reach|reaches|reach|achieve\w*|scores?)\b[^0-9]{0,25}$/i.test(window) && !/^\s*(x|×)/.test(text.slice(n.end));
  // Only words between the metric name and the number (no other number, no clause break).
  return !/[\d;]/.test(window.slice(at + 1)) && /^[§\s]*(\w+\s+){0,4}(of|is|:|=|≈|~|at|around|about|roughly|near)?\s*((about|around|roughly|approximately|~|≈)\s*)?$/i.test(window.slice(at + 1).replace(/^§+/, ""));
}

function mentionsBefore(sentence: string, pos: number, names: CompiledNames): string | undefined {
  let best: { name: string; end: number } | undefined;
  for (const a of names.hpAliases) {
    a.re.lastIndex = 0;
    for (const m of sentence.slice(0, pos).matchAll(a.re)) if (!best || m.index! + m[0].length > best.end) best = { name: a.name, end: m.index! + m[0].length };
  }
  return best?.name;
}

/** The hyperparameter a number at `pos` is the value of: "lr = 0.001", "learning rate of 1e-3", "batch size 32". */
function boundHyperparameter(sentence: string, pos: number, names: CompiledNames): { name: string; start: number; end: number } | undefined {
  const left = sentence.slice(Math.max(0, pos - 40), pos);
  const offset = Math.max(0, pos - 40);
  for (const a of names.hpAliases) {
    // "cost 335 [hp:cost]": the citation says which word is the hyperparameter.
    const m = a.before.exec(left) ?? (a.bare && sentence.includes(`[hp:${a.name}]`) ? a.bare.exec(left) : null);
    if (m) return { name: a.name, start: offset + m.index, end: offset + m.index + m[0].length };
  }
  return undefined;
}

/** Categorical and boolean values: "opt = adamw", "optimizer adamw", "amp: true". */
function wordClaims(sentence: string, names: CompiledNames, vocab: Vocabulary, add: (c: Draft) => void, subjectAt: (pos: number) => number[]): void {
  for (const a of names.hpAliases) {
    // An everyday word ("replace true") is read unbound only when the sentence cites it, as numbers are.
    const re = a.word && a.bareWord && sentence.includes(`[hp:${a.name}]`) ? a.bareWord : a.word;
    if (!re) continue;
    const hp = vocab.hyperparameters[a.name];
    re.lastIndex = 0;
    for (const m of sentence.matchAll(re)) {
      const word = m[1];
      let value: string | boolean | undefined;
      if (hp.type === "categorical") value = hp.values.find((v) => squeeze(v) === squeeze(word));
      else if (/^(true|yes|on|enabled)$/i.test(word)) value = true;
      else if (/^(false|no|off|disabled)$/i.test(word)) value = false;
      if (value === undefined) continue;
      const fixed = /fixed/i.test(m[0]);
      const claim = { text: m[0], about: subjectAt(m.index!), name: a.name, value, precision: 0 };
      add(fixed ? { kind: "fixed", ...claim } : { kind: "hyperparameter", ...claim });
    }
  }
}

/** Which model the text presents as the recommendation, and which as alternatives (by candidate id or cue). */
function modelClaims(sentence: string, mentions: Mention[], configs: Configs, add: (c: Draft) => void): void {
  const alternativeSentence = ALTERNATIVE_CUE.test(sentence);
  const recommending = RECOMMEND_CUE.test(sentence) && !alternativeSentence;
  const models = mentions.filter((m) => m.kind === "model");
  for (const m of models) {
    const id = mentions.find((x) => x.kind === "candidate" && x.start >= m.end && x.start - m.end <= 3);
    const about = id ? subjectOf(id, configs).filter((i) => configs[i].model === m.name) : subjectOf(m, configs);
    if (id) add({ kind: "model", text: sentence.slice(m.start, id.end + 1), about, model: m.name, role: id.name === configs[0]?.candidateId ? "recommended" : "alternative", candidateId: id.name });
    else if (recommending && m === models[0]) add({ kind: "model", text: sentence.slice(m.start, m.end), about, model: m.name, role: "recommended" });
    else if (alternativeSentence && !/limited to|excluded|exclude|only/i.test(sentence)) add({ kind: "model", text: sentence.slice(m.start, m.end), about, model: m.name, role: "alternative" });
  }
  if (SIMILAR_CUE.test(sentence))
    for (const d of mentions.filter((m) => m.kind === "dataset")) add({ kind: "similar-dataset", text: sentence.slice(d.start, d.end), about: [], id: d.name });
}

/** "models limited to a, b", "models excluded: c", "Objective: balanced". */
function constraintListClaims(sentence: string, mentions: Mention[], add: (c: Draft) => void): void {
  const modelsAfter = (re: RegExp) => {
    const m = re.exec(sentence);
    if (!m) return undefined;
    const from = m.index + m[0].length;
    const stop = sentence.slice(from).search(/[;.](\s|$)/);
    const to = stop < 0 ? sentence.length : from + stop;
    return { text: sentence.slice(m.index, to), models: mentions.filter((x) => x.kind === "model" && x.start >= from && x.end <= to).map((x) => x.name) };
  };
  const allowed = modelsAfter(/models? (limited|restricted) to:?\s*/i);
  if (allowed?.models.length) add({ kind: "models-allowed", text: allowed.text, about: [], models: allowed.models });
  const denied = modelsAfter(/models? excluded:?\s*|excluding (the )?models?:?\s*/i);
  if (denied?.models.length) add({ kind: "models-denied", text: denied.text, about: [], models: denied.models });
  const objective = /\bobjective\s*(:|is|=)?\s*(accuracy|balanced|cost)\b/i.exec(sentence);
  if (objective) add({ kind: "objective", text: objective[0], about: [], objective: objective[2].toLowerCase() });
}
