/** The evidence an answer cites for a choice: the closest past datasets, the model's family, its top drivers. */
import { modelFamily } from "../retrieval/evidence-from-pack.ts";
import { fmt } from "../util/format.ts";
import type { Drivers } from "./drivers.ts";
import type { Neighbour } from "./neighbours.ts";
import type { EvidenceRef } from "./schema.ts";
import type { Scored } from "./scoring.ts";

/** Looks up the text of an evidence document by id (from the knowledge index), for citations. */
export type EvidenceLookup = (id: string) => string | undefined;

/** Past datasets and drivers cited at most. */
const CITED_DATASETS = 3;
const CITED_DRIVERS = 3;

/** The references for a choice; each summary is its document's first sentence, else a line of what is known. */
export function evidenceFor(lookup: EvidenceLookup, neighbours: Neighbour[], best: Scored, drivers: Drivers): EvidenceRef[] {
  const refs: EvidenceRef[] = [];
  const add = (id: string, kind: string, fallback: string) => {
    if (refs.some((r) => r.id === id)) return;
    const text = lookup(id);
    refs.push({ id, kind, summary: text ? firstSentence(text) : fallback });
  };
  for (const n of neighbours.slice(0, CITED_DATASETS))
    add(`ds:${n.summary.id}`, "dataset", `${n.summary.id}: best ${fmt(n.summary.best)}, median ${fmt(n.summary.median)} over ${n.summary.nRuns} runs`);
  add(`model:${modelFamily(best.candidate.model)}`, "model", `model ${best.candidate.model}`);
  for (const d of drivers.filter((d) => d.name !== "model").slice(0, CITED_DRIVERS)) add(`hp:${d.name}`, "hyperparameter", `hyperparameter ${d.name}`);
  return refs;
}

/** A document's first sentence, without its "[meta] ..." line, at most 200 characters. */
const firstSentence = (t: string) => t.replace(/^\[meta\][^\n]*\n/, "").split(/(?<=\.)\s/)[0].slice(0, 200);
