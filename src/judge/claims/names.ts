/**
 * The names a text about an answer may use, located in a sentence: the pack's models, past datasets,
 * hyperparameters (with the spellings people use) and metric, the answer's candidate ids, and evidence citations.
 * Compiled into regular expressions once per pack; a sentence's mentions are blanked before its numbers are read.
 */
import type { Hyperparameter } from "../../metadata/schema.ts";
import { CITATION } from "../citations.ts";

/** What the text may name: the pack's models, datasets, hyperparameters and metric (compiled once per object). */
export interface Vocabulary {
  models: readonly string[];
  datasetIds: readonly string[];
  hyperparameters: Record<string, Hyperparameter>;
  metricName: string;
}

/** The answer's configurations: index 0 the recommendation, then the alternatives. */
export type Configs = readonly { candidateId: string; model: string }[];

export interface Mention {
  start: number;
  end: number;
  kind: "model" | "candidate" | "dataset" | "hp" | "metric" | "citation";
  name: string;
}

const WEAK_BINDING = "of|is|at|to|set to|equal to|around|about|near|was|would be";
/** A word value: "adamw", "true", "cosine_warmup", or a bracketed list. */
const WORD_VALUE = "([A-Za-z][\\w-]*(?:\\.[\\w-]+)*|\\[[^\\]]*\\])";
/** Hyperparameter names that are also ordinary words: bound to a value only by a word (=, :, of, is, ...) or a citation [hp:name]. */
const PROSE_WORDS = new Set(["drop", "cost", "act", "model", "depth", "degree", "kernel", "replace"]);
/** How people write some hyperparameters (applied only to names the pack has). */
const ALIASES: Record<string, string[]> = {
  lr: ["learning rate", "learning_rate", "lr"],
  learning_rate: ["learning rate", "lr"],
  batch_size: ["batch size", "batch"],
  weight_decay: ["weight decay", "wd"],
  drop: ["dropout", "dropout rate", "drop rate"],
  dropout_prob: ["dropout", "dropout rate", "dropout probability"],
  opt: ["optimizer", "optimiser"],
  optimizer_type: ["optimizer", "optimiser"],
  sched: ["scheduler", "schedule", "lr schedule"],
  scheduler_type: ["scheduler", "schedule"],
  smoothing: ["label smoothing"],
  label_smoothing: ["label smoothing"],
  warmup_epochs: ["warmup epochs", "warm-up epochs"],
  momentum: ["momentum"],
};

export interface HpAlias {
  name: string;
  /** The spelling, anywhere. */
  re: RegExp;
  /** The spelling and its binding at the end of a text: "lr = ", "learning rate of about ". */
  before: RegExp;
  /** For an everyday word: the spelling right before the value, used when the text cites [hp:name]. */
  bare?: RegExp;
  /** The spelling bound to a word value: "opt = adamw", "amp: true" (categorical and boolean only). */
  word?: RegExp;
  /** For an everyday word: the spelling before a word value, bound or not, used when the text cites [hp:name] ("replace true"). */
  bareWord?: RegExp;
}

export interface CompiledNames {
  patterns: { kind: Mention["kind"]; name: string; re: RegExp }[];
  hpAliases: HpAlias[];
  /** "name = value (±contribution)", per hyperparameter spelling and for "model". */
  drivers: { name: string; re: RegExp }[];
}

const compiledCache = new WeakMap<Vocabulary, CompiledNames>();

export function compileNames(vocab: Vocabulary): CompiledNames {
  const cached = compiledCache.get(vocab);
  if (cached) return cached;
  const patterns: CompiledNames["patterns"] = [];
  // Longest names first, so "rpart-preproc" is not read as "rpart".
  for (const m of [...vocab.models].sort((a, b) => b.length - a.length)) patterns.push({ kind: "model", name: m, re: bounded(loose(m), "gi") });
  for (const d of [...vocab.datasetIds].sort((a, b) => b.length - a.length)) patterns.push({ kind: "dataset", name: d, re: bounded(escape(d)) });
  for (const v of metricVariants(vocab.metricName)) patterns.push({ kind: "metric", name: vocab.metricName, re: bounded(v, "gi") });
  const hpAliases: CompiledNames["hpAliases"] = [];
  for (const name of Object.keys(vocab.hyperparameters)) {
    const spellings = new Set([name, name.replace(/[_.]/g, " "), ...(ALIASES[name] ?? [])]);
    const hp = vocab.hyperparameters[name];
    for (const s of [...spellings].sort((a, b) => b.length - a.length)) {
      const re = bounded(loose(s), "gi");
      const weak = PROSE_WORDS.has(s.toLowerCase());
      const wordValued = hp.type === "categorical" || hp.type === "bool";
      // An everyday word ("cost", "drop") is a hyperparameter only when bound to its value: "cost of 901", "drop = 0".
      const bound = `(?:=|:|≈|~|${WEAK_BINDING}|fixed at|fixed to)`;
      const binding = `${bound}${weak ? "" : "?"}`;
      hpAliases.push({
        name,
        re,
        before: new RegExp(`${re.source}\\s*${binding}\\s*(?:(?:about|around|roughly|~|≈)\\s*)?$`, "i"),
        bare: weak ? new RegExp(`${re.source}\\s+$`, "i") : undefined,
        word: wordValued ? new RegExp(`${re.source}\\s*${binding}\\s*${WORD_VALUE}`, "gi") : undefined,
        bareWord: wordValued && weak ? new RegExp(`${re.source}\\s*(?:${bound}\\s*)?${WORD_VALUE}`, "gi") : undefined,
      });
      // Names with digits ("conv1_t_stride") must not give numbers to the scanner.
      if (/\d/.test(s)) patterns.push({ kind: "hp", name, re: bounded(loose(s), "gi") });
    }
  }
  const driver = (name: string, spelling: string) => ({ name, re: new RegExp(`${bounded(loose(spelling)).source}\\s*=\\s*[^()=;]{1,60}?\\s*\\(\\s*([-+−]\\d*\\.?\\d+)\\s*\\)`, "gi") });
  const drivers = [driver("model", "model"), ...Object.keys(vocab.hyperparameters).map((name) => driver(name, name))];
  const out = { patterns, hpAliases, drivers };
  compiledCache.set(vocab, out);
  return out;
}

/** "top1_accuracy" -> also "top-1 accuracy", "top1 accuracy", "top-1", "accuracy"; "auc_x100" -> "auc", "AUC x100". */
function metricVariants(name: string): string[] {
  const words = name.toLowerCase().split(/[_\s-]+/).filter(Boolean);
  const out = new Set([escape(name), loose(name), "top-?1(?: accuracy)?", "accuracy", "auc(?:[ _]?x100)?", "roc[ -]?auc", "f1"]);
  for (const w of words) if (w.length > 2 && !/^x?\d+$/.test(w)) out.add(escape(w));
  return [...out];
}

export const bounded = (body: string, flags = "g") => new RegExp(`(?<![\\w.-])(?:${body})(?![\\w-])`, flags);
/** A categorical value compared without case and spaces ("[0.9, 0.99]" = "[0.9,0.99]"). */
export const squeeze = (s: string) => s.toLowerCase().replace(/\s+/g, "");
export const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A name where "_", "-", "." and spaces are interchangeable. */
const loose = (s: string) => s.split(/[_\-.\s]+/).map(escape).join("[_\\-.\\s]?");

export function findMentions(sentence: string, names: CompiledNames): Mention[] {
  const found: Mention[] = [];
  const taken = (s: number, e: number) => found.some((m) => s < m.end && e > m.start);
  for (const m of sentence.matchAll(CITATION)) found.push({ start: m.index!, end: m.index! + m[0].length, kind: "citation", name: m[0] });
  for (const p of names.patterns) {
    p.re.lastIndex = 0;
    for (const m of sentence.matchAll(p.re)) {
      const s = m.index!;
      const e = s + m[0].length;
      if (!taken(s, e)) found.push({ start: s, end: e, kind: p.kind, name: p.name });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * The sentence with every mention blanked (same length), so its numbers are not read as values: the metric's
 * name becomes "§…", any other name "¤…" (a number next to "§" may be the metric; next to "¤" it is not).
 */
export function masked(sentence: string, mentions: Mention[]): string {
  let out = sentence;
  for (const m of mentions) out = out.slice(0, m.start) + (m.kind === "metric" ? "§" : "¤").repeat(m.end - m.start) + out.slice(m.end);
  return out;
}

