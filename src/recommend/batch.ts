/**
 * Batch recommendation: many dataset cards in (CSV or JSONL), one JSON line out per card. A bad card is a failed
 * line, never a failed batch. Results are appended line by line, so an interrupted run is resumed by reading what
 * the output already holds (items are keyed by name, else by input line) and doing only the rest.
 */
import { appendFileSync, closeSync, existsSync, ftruncateSync, openSync, readFileSync, statSync } from "node:fs";
import { parse as parseCsv } from "csv-parse/sync";
import { ZodError } from "zod";
import { DatasetCard } from "../metadata/card.ts";
import { InputError } from "../util/errors.ts";
import type { Recommender } from "./recommender.ts";
import type { RecommendRequest } from "./request.ts";
import { buildRequest, packContext, RecommendInput, type RequestContext } from "./request.ts";
import type { Recommendation } from "./schema.ts";
import { CSV_EXTRA, csvRowToRaw, rawToInput } from "./batch-columns.ts";
import { isJsonObject, readJsonEntries } from "../util/json-entries.ts";
import { writeFileAtomic } from "../util/atomic.ts";

/** One input line: the raw card (plus optional constraints/objective), or why the line could not be read. */
export interface BatchItem {
  /** 1-based line of the input file (data lines of a CSV count from 2, after the header). */
  line: number;
  raw?: Record<string, unknown>;
  error?: InputError;
}

export interface BatchError {
  message: string;
  where?: string;
  hint?: string;
}

export type BatchLine =
  | { line: number; name: string | null; ok: true; recommendation: Recommendation; verdict?: unknown }
  | { line: number; name: string | null; ok: false; error: BatchError };

export interface BatchOptions {
  /** JSONL file the results are appended to; items done there are skipped (resume), items that failed there run again. */
  out?: string;
  /** Called once per item done in this run (to print it, advance a progress bar). */
  onItem?: (result: BatchLine) => void;
  /** Called once with the number of items this run will do (after resume skipped the rest). */
  onStart?: (todo: number) => void;
  /** Extra fields of each request: candidates sampled, seed, risk aversion. */
  request?: Pick<RecommendRequest, "samples" | "seed" | "riskAversion">;
  /** Attaches a verdict (e.g. the judge's) to each successful line. */
  judge?: (rec: Recommendation) => unknown;
}

export interface BatchSummary {
  total: number;
  /** Items found already done in the output file. */
  skipped: number;
  /** Failed results found in the output file, taken out of it so that their items ran again. */
  retried: number;
  ok: number;
  failed: number;
  seconds: number;
}

const CARD_FIELDS = Object.keys(DatasetCard.shape);

/** Reads a batch file: `.csv`/`.tsv` (header = card fields), JSONL (one card object per line) or a JSON array of cards. */
export function readBatchFile(file: string): BatchItem[] {
  if (!existsSync(file)) throw new InputError("file not found", file, "pass a CSV (header: name,samples,classes,...) or a JSONL file of dataset cards");
  if (statSync(file).isDirectory()) throw new InputError("is a folder, not a file", file, "pass a CSV or JSONL file of dataset cards");
  const text = readFileSync(file, "utf8");
  const items = /\.(csv|tsv)$/i.test(file) ? parseBatchCsv(text, file, file.toLowerCase().endsWith(".tsv") ? "\t" : ",") : parseBatchJsonl(text);
  // An empty file, or a header alone, is a mistake (the wrong file, a failed export), not a batch that ran.
  if (!items.length) throw new InputError("no dataset card in it", file, "a CSV needs a header and one line per dataset (name,samples,classes,imageSize,channels,…); a JSONL file one card per line");
  return items;
}

export function parseBatchCsv(text: string, where = "CSV", delimiter = ","): BatchItem[] {
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true, bom: true });
  } catch (e) {
    throw new InputError(`not a readable CSV (${(e as Error).message})`, where);
  }
  const header = records[0] ?? [];
  const allowed = [...CARD_FIELDS.filter((f) => f !== "classCounts"), ...CSV_EXTRA];
  const unknown = header.filter((h) => !allowed.includes(h));
  if (!header.length || unknown.length)
    throw new InputError(
      header.length ? `unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => JSON.stringify(u)).join(", ")}` : "empty file",
      `${where}:1`,
      `the header names card fields and constraints: ${allowed.join(", ")}`,
    );
  const items: BatchItem[] = [];
  records.slice(1).forEach((cells, i) => {
    const line = i + 2;
    if (cells.every((c) => c === "")) return;
    if (cells.length !== header.length) {
      items.push({ line, error: new InputError(`expected ${header.length} fields, found ${cells.length}`, `line ${line}`, `one value per column: ${header.join(",")}`) });
      return;
    }
    items.push({ line, raw: csvRowToRaw(header, cells) });
  });
  return items;
}

/** JSONL (one card per line) or one JSON document: a card, or an array of cards (numbered 1, 2, … as lines). */
export function parseBatchJsonl(text: string): BatchItem[] {
  return readJsonEntries(text).map((e): BatchItem => {
    if ("value" in e && isJsonObject(e.value)) return { line: e.line, raw: e.value };
    const problem = "error" in e ? e.error : "not a JSON object";
    return { line: e.line, error: new InputError(`not a JSON object (${problem})`, `line ${e.line}`, 'one card per line, e.g. {"name": "x", "samples": 3000, "classes": 7, "imageSize": 128, "channels": 3}, or a JSON array of cards') };
  });
}

/** Turns a raw item (a card with optional constraints and objective) into a request, checked like every other. */
export function itemRequest(raw: Record<string, unknown>, line: number, ctx: RequestContext): RecommendRequest {
  const where = `line ${line}`;
  const input = RecommendInput.safeParse(rawToInput(raw));
  if (!input.success) {
    const issue = input.error.issues[0];
    throw new InputError(issue.message, `${where}: ${issue.path.join(".")}`, "constraints: {budgetSeconds: number > 0, allowModels: [names], denyModels: [names], fixed: {hp: value}}; objective: accuracy, balanced or cost");
  }
  // The line is the card: its fields are named after the line ("line 3: samples"), the rest by their path.
  return buildRequest(input.data, ctx, (field) => (field === "card" ? where : `${where}: ${field}`)).req;
}

/** Key of an item for resume: its name, unless the name is missing or repeats in the input. */
function keyOf(line: number, name: string | null, repeated: Set<string>): string {
  return name !== null && !repeated.has(name) ? `name:${name}` : `line:${line}`;
}

const nameOf = (it: BatchItem): string | null => (typeof it.raw?.name === "string" ? it.raw.name : null);

/**
 * Reads the keys already in an output file, and whether each succeeded. A last line cut off by an interrupted run
 * (no newline, or not JSON) is removed from the file; any other unreadable line means the file is not ours, which
 * is an error.
 */
export function completedLines(out: string): { line: number; name: string | null; ok: boolean }[] {
  if (!existsSync(out)) return [];
  const text = readFileSync(out, "utf8");
  const lines = text.split("\n");
  let keep = text.length;
  if (!text.endsWith("\n") && text.length) {
    keep = text.lastIndexOf("\n") + 1;
    lines.pop();
  }
  const done: { line: number; name: string | null; ok: boolean }[] = [];
  lines.forEach((l, i) => {
    if (!l.trim()) return;
    let rec: { line?: unknown; name?: unknown; ok?: unknown } | undefined;
    try {
      rec = JSON.parse(l);
    } catch {
      rec = undefined;
    }
    if (!rec || typeof rec.line !== "number" || typeof rec.ok !== "boolean")
      throw new InputError(`line ${i + 1} is not a batch result`, out, "write the results of a new batch to another file (--out)");
    done.push({ line: rec.line, name: typeof rec.name === "string" ? rec.name : null, ok: rec.ok });
  });
  if (keep < Buffer.byteLength(text)) {
    const fd = openSync(out, "r+");
    try {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, keep)));
    } finally {
      closeSync(fd);
    }
  }
  return done;
}

/** Rewrites an output file (atomically) without its failed results; completedLines has checked every line. */
function dropFailedLines(out: string): void {
  const kept = readFileSync(out, "utf8")
    .split("\n")
    .filter((l) => l.trim() && (JSON.parse(l) as { ok: boolean }).ok);
  writeFileAtomic(out, kept.map((l) => `${l}\n`).join(""));
}

export async function runBatch(recommender: Recommender, items: BatchItem[], opts: BatchOptions = {}): Promise<BatchSummary> {
  const t0 = performance.now();
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const it of items) {
    const n = nameOf(it);
    if (n !== null) (seen.has(n) ? repeated : seen).add(n);
  }
  const previous = opts.out ? completedLines(opts.out) : [];
  // A failure is not a result: its line leaves the file and its item runs again (the card may have been fixed).
  const retried = previous.filter((d) => !d.ok).length;
  if (retried) dropFailedLines(opts.out!);
  const done = new Set(previous.filter((d) => d.ok).map((d) => keyOf(d.line, d.name, repeated)));
  const todo = items.filter((it) => !done.has(keyOf(it.line, nameOf(it), repeated)));
  opts.onStart?.(todo.length);
  const summary: BatchSummary = { total: items.length, skipped: items.length - todo.length, retried, ok: 0, failed: 0, seconds: 0 };
  for (const it of todo) {
    const result = await runItem(recommender, it, opts);
    if (result.ok) summary.ok++;
    else summary.failed++;
    if (opts.out) appendFileSync(opts.out, JSON.stringify(result) + "\n");
    opts.onItem?.(result);
  }
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

async function runItem(recommender: Recommender, it: BatchItem, opts: BatchOptions): Promise<BatchLine> {
  const name = nameOf(it);
  try {
    if (it.error) throw it.error;
    const req = itemRequest(it.raw!, it.line, packContext(recommender.pack));
    const recommendation = await recommender.recommend({ ...opts.request, ...req });
    return { line: it.line, name, ok: true, recommendation, ...(opts.judge && { verdict: await opts.judge(recommendation) }) };
  } catch (e) {
    return { line: it.line, name, ok: false, error: toBatchError(e, it.line) };
  }
}

function toBatchError(e: unknown, line: number): BatchError {
  if (e instanceof InputError) return { message: e.message, ...(e.where && { where: e.where }), ...(e.hint && { hint: e.hint }) };
  if (e instanceof ZodError) return { message: e.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), where: `line ${line}` };
  return { message: `internal error: ${(e as Error)?.message ?? String(e)}`, where: `line ${line}` };
}
