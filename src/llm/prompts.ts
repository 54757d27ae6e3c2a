/**
 * Prompt templates: text files in prompts/, loaded at run time, with `{{name}}` placeholders. A header of
 * `#` lines declares the version (it goes into each answer's metadata) and the variables; both sides are
 * checked, so a template and its callers cannot drift apart silently.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../util/errors.ts";

export const PROMPT_NAMES = ["recommend", "extract", "judge", "chat-system"] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

export const PROMPTS_DIR = fileURLToPath(new URL("../../prompts/", import.meta.url));

export interface PromptTemplate {
  name: string;
  /** "recommend@1": name and the file's version line. */
  version: string;
  vars: string[];
  body: string;
}

export interface RenderedPrompt {
  name: string;
  version: string;
  text: string;
}

export type PromptVars = Record<string, string | number>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const cache = new Map<string, PromptTemplate>();

export function loadPrompt(name: string, dir: string = PROMPTS_DIR): PromptTemplate {
  const file = path.join(dir, `${name}.txt`);
  let template = cache.get(file);
  if (!template) {
    let raw: string;
    try {
      raw = readFileSync(file, "utf8");
    } catch {
      throw new InputError(`no prompt template "${name}"`, file, `prompt templates: ${PROMPT_NAMES.join(", ")}`);
    }
    template = parseTemplate(name, raw, file);
    cache.set(file, template);
  }
  return template;
}

/** Fills every declared variable; an unbound variable or an unknown extra one is an error. */
export function renderPrompt(name: string, vars: PromptVars, dir: string = PROMPTS_DIR): RenderedPrompt {
  const t = loadPrompt(name, dir);
  const missing = t.vars.filter((v) => !(v in vars));
  const extra = Object.keys(vars).filter((v) => !t.vars.includes(v));
  if (missing.length || extra.length) {
    const parts = [missing.length && `unbound: ${missing.join(", ")}`, extra.length && `unused: ${extra.join(", ")}`];
    throw new Error(`prompt "${name}": ${parts.filter(Boolean).join("; ")} (declared: ${t.vars.join(", ") || "none"})`);
  }
  // One pass: a value that happens to contain "{{x}}" is not expanded again.
  const text = t.body.replace(PLACEHOLDER, (_, v: string) => String(vars[v]));
  return { name, version: t.version, text };
}

function parseTemplate(name: string, raw: string, file: string): PromptTemplate {
  const lines = raw.replace(/\r\n/g, "\n").split("\n");
  let version: string | undefined;
  let vars: string[] | undefined;
  let i = 0;
  for (; i < lines.length && lines[i].startsWith("#"); i++) {
    const m = /^#\s*(version|vars)\s*:(.*)$/.exec(lines[i]);
    if (m?.[1] === "version") version = m[2].trim();
    if (m?.[1] === "vars") vars = m[2].split(",").map((s) => s.trim()).filter(Boolean);
  }
  const fail = (msg: string) => new InputError(msg, file, 'start the file with "# version: N" and "# vars: a, b" lines');
  if (!version) throw fail("no version line");
  if (!vars) throw fail("no vars line");
  const body = lines.slice(i).join("\n").trim();
  const used = new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]));
  if (body.replace(PLACEHOLDER, "").includes("{{")) throw fail("a {{…}} placeholder that is not a plain name");
  const undeclared = [...used].filter((v) => !vars!.includes(v));
  const unused = vars.filter((v) => !used.has(v));
  if (undeclared.length) throw fail(`placeholders not declared in vars: ${undeclared.join(", ")}`);
  if (unused.length) throw fail(`declared vars never used: ${unused.join(", ")}`);
  return { name, version: `${name}@${version}`, vars, body };
}
