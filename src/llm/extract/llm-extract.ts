/**
 * The LLM reading of a user's message, under a grammar with the same fields as the deterministic parser.
 * The parser fills what the LLM left out, and replaces the LLM entirely when its answer is unusable.
 */
import { z } from "zod";
import type { DatasetCard } from "../../metadata/card.ts";
import { KNOWN_DOMAINS, KNOWN_MODALITIES } from "../../metadata/domains.ts";
import type { HpValue } from "../../metadata/schema.ts";
import type { Constraints } from "../../recommend/constraints.ts";
import type { GenerationStats, JsonGenerator } from "../json-generator.ts";
import { renderPrompt } from "../prompts.ts";
import { missingFields, type DatasetRequest } from "./dataset-request.ts";
import { parseDatasetRequest, type ParseOptions } from "./parse-request.ts";

const name = z.string().min(1).max(60);

/** What the LLM writes: every field present, null when the message does not say. */
export const LlmExtraction = z.object({
  samples: z.int().min(1).nullable(),
  classes: z.int().min(2).nullable(),
  imageSize: z.int().min(1).max(100_000).nullable(),
  channels: z.int().min(1).max(64).nullable(),
  depth: z.int().min(1).max(100_000).nullable(),
  domain: z.enum(KNOWN_DOMAINS).nullable(),
  modality: z.enum(KNOWN_MODALITIES).nullable(),
  budgetSeconds: z.number().positive().nullable(),
  allowModels: z.array(name).max(8),
  denyModels: z.array(name).max(8),
  fixed: z.array(z.object({ name: z.string().min(1).max(40), value: z.string().min(1).max(40) })).max(8),
});
export type LlmExtraction = z.infer<typeof LlmExtraction>;

export interface ExtractOptions extends ParseOptions {
  /** No generator: the deterministic parser alone. */
  generator?: JsonGenerator;
  maxTokens?: number;
  seed?: number;
}

export interface ExtractResult {
  request: DatasetRequest;
  source: "llm" | "rules";
  promptVersion?: string;
  /** The LLM call's figures; with `error` when its answer was unusable and the parser answered instead. */
  llm?: GenerationStats & { error?: string };
}

export async function extractDatasetRequest(message: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const rules = parseDatasetRequest(message, options);
  if (!options.generator) return { request: rules, source: "rules" };
  const prompt = renderPrompt("extract", { message, domains: KNOWN_DOMAINS.join(", "), modalities: KNOWN_MODALITIES.join(", ") });
  const r = await options.generator.generateJson({
    prompt: prompt.text,
    schema: LlmExtraction,
    schemaName: "dataset_request",
    maxTokens: options.maxTokens ?? 400,
    temperature: 0,
    seed: options.seed,
  });
  const stats: GenerationStats = { tokens: r.tokens, ms: r.ms, tokensPerSecond: r.tokensPerSecond, attempts: r.attempts, model: r.model };
  if (!r.ok) return { request: rules, source: "rules", promptVersion: prompt.version, llm: { ...stats, error: r.error } };
  return { request: merge(fromLlm(r.value, options.knownModels), rules), source: "llm", promptVersion: prompt.version, llm: stats };
}

function fromLlm(x: LlmExtraction, known?: readonly string[]): DatasetRequest {
  const card: Partial<DatasetCard> = {};
  for (const k of ["samples", "classes", "imageSize", "channels", "depth", "domain", "modality"] as const) {
    if (x[k] !== null) Object.assign(card, { [k]: x[k] });
  }
  const constraints: Constraints = {};
  if (x.budgetSeconds !== null) constraints.budgetSeconds = x.budgetSeconds;
  const allow = modelNames(x.allowModels, known);
  const deny = modelNames(x.denyModels, known);
  if (allow.length) constraints.allowModels = allow;
  if (deny.length) constraints.denyModels = deny;
  if (x.fixed.length) constraints.fixed = Object.fromEntries(x.fixed.map((f) => [f.name, hpValue(f.value)]));
  return { card, constraints, missing: missingFields(card) };
}

/** The LLM's answer first; the parser's findings fill the fields the LLM did not give. */
function merge(llm: DatasetRequest, rules: DatasetRequest): DatasetRequest {
  const card = { ...rules.card, ...llm.card };
  const constraints: Constraints = { ...rules.constraints, ...llm.constraints };
  return { card, constraints, missing: missingFields(card) };
}

/** With the pack's names known, a name is kept when it is one of them or a family prefix ("resnet" -> resnet*). */
function modelNames(names: string[], known?: readonly string[]): string[] {
  if (!known?.length) return [...new Set(names.map((n) => n.trim().toLowerCase()))];
  const out = new Set<string>();
  for (const n of names) {
    const stem = n.trim().toLowerCase().replace(/s$/, "");
    for (const k of known) if (k.toLowerCase() === n.trim().toLowerCase() || (stem.length >= 3 && k.toLowerCase().startsWith(stem))) out.add(k);
  }
  return [...out];
}

function hpValue(v: string): HpValue {
  const t = v.trim();
  if (t !== "" && Number.isFinite(Number(t))) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === "true";
  return t;
}
