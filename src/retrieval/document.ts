/**
 * Evidence documents: the texts the recommender retrieves and cites. Ids are stable across rebuilds
 * ("ds:BCT", "model:beit_base", "hp:lr") so an answer's citations stay valid when the index is rebuilt.
 */
import { Document } from "@langchain/core/documents";
import { z } from "zod";
import { parseMetaLine, withMetaLine } from "./meta-line.ts";

export const EvidenceKind = z.enum(["dataset", "model", "hyperparameter"]);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

const ID_PREFIX: Record<EvidenceKind, string> = { dataset: "ds", model: "model", hyperparameter: "hp" };

/** Known keys are typed; extra JSON keys pass through (a generator may add e.g. the hyperparameter name). */
export const EvidenceMetadata = z.looseObject({
  datasetId: z.string().optional(),
  domain: z.string().optional(),
  modality: z.string().optional(),
  models: z.array(z.string()).optional(),
  metaFeatures: z.record(z.string(), z.number()).optional(),
});
export type EvidenceMetadata = z.infer<typeof EvidenceMetadata>;

export const EvidenceDocument = z.object({
  id: z.string().regex(/^\S+$/, "an evidence id is one token without spaces"),
  kind: EvidenceKind,
  text: z.string().min(1),
  metadata: EvidenceMetadata,
});
export type EvidenceDocument = z.infer<typeof EvidenceDocument>;

/** The stable id of the evidence about `key`: evidenceId("dataset", "BCT") = "ds:BCT". */
export function evidenceId(kind: EvidenceKind, key: string): string {
  return `${ID_PREFIX[kind]}:${key.trim().replace(/\s+/g, "_")}`;
}

/**
 * The LangChain form: the page content starts with the meta line (so an embedder that only sees strings
 * sees the meta-features too), the metadata holds id, kind and the evidence metadata unchanged.
 */
export function toLangChainDocument(doc: EvidenceDocument): Document {
  const { metaFeatures, domain, modality } = doc.metadata;
  return new Document({
    id: doc.id,
    pageContent: withMetaLine({ metaFeatures, domain, modality }, doc.text),
    metadata: { id: doc.id, kind: doc.kind, ...doc.metadata },
  });
}

export function fromLangChainDocument(lc: { pageContent: string; metadata: Record<string, unknown> }): EvidenceDocument {
  const { id, kind, ...metadata } = lc.metadata;
  return EvidenceDocument.parse({ id, kind, text: parseMetaLine(lc.pageContent).body, metadata });
}
