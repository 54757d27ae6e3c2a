/**
 * The manifest written last into a saved index: what it holds and a checksum per file, so a truncated or
 * tampered index is reported as such instead of surfacing as a FAISS exception or wrong answers.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeJsonAtomic } from "../util/atomic.ts";
import type { InputError } from "../util/errors.ts";

export const MANIFEST_FILE = "manifest.json";
export const INDEX_FORMAT = "hporec-knowledge-index";

export const IndexManifest = z.object({
  format: z.literal(INDEX_FORMAT),
  version: z.literal(1),
  /** Number of evidence documents (= vectors in FAISS). */
  count: z.number().int().nonnegative(),
  dimension: z.number().int().positive(),
  /** FAISS index: "flat" (exact, IndexFlatL2) or an HNSW factory string such as "HNSW32,Flat". */
  index: z.string(),
  /** sha256 of each file of the index, by file name. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type IndexManifest = z.infer<typeof IndexManifest>;

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** Checksums `files` (names inside `dir`) and writes the manifest. */
export function writeManifest(dir: string, fields: Omit<IndexManifest, "format" | "version" | "files">, files: string[]): void {
  const sums = Object.fromEntries(files.map((f) => [f, sha256File(path.join(dir, f))]));
  writeJsonAtomic(path.join(dir, MANIFEST_FILE), { format: INDEX_FORMAT, version: 1, ...fields, files: sums });
}

/** Reads and verifies the manifest and every file it lists (which must include `required`); `broken` builds the error. */
export function readManifest(dir: string, required: string[], broken: (detail: string) => InputError): IndexManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(dir)) throw broken("no index folder");
  if (!existsSync(file)) throw broken(`${MANIFEST_FILE} is missing (the index was never completed)`);
  let manifest: IndexManifest;
  try {
    manifest = IndexManifest.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch (e) {
    throw broken(`${MANIFEST_FILE} is not a valid index manifest (${e instanceof z.ZodError ? z.prettifyError(e) : (e as Error).message})`);
  }
  const unlisted = required.filter((f) => !(f in manifest.files));
  if (unlisted.length) throw broken(`${MANIFEST_FILE} does not list ${unlisted.join(", ")}`);
  for (const [name, sum] of Object.entries(manifest.files)) {
    const f = path.join(dir, name);
    if (!existsSync(f)) throw broken(`${name} is missing`);
    if (sha256File(f) !== sum) throw broken(`${name} does not match its checksum in ${MANIFEST_FILE}`);
  }
  return manifest;
}
