/**
 * The knowledge index: evidence documents embedded and stored in FAISS through LangChain's `FaissStore`,
 * persisted as a folder (FaissStore's files + embedder config + manifest) that is replaced atomically.
 *
 * FaissStore uses IndexFlatL2, whose distances are SQUARED L2. All vectors are unit length (normalised here,
 * whatever the embedder), so cosine = 1 - d²/2; users only ever see the cosine.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { FaissStore } from "@langchain/community/vectorstores/faiss";
import faiss from "faiss-node";
import { recoverDir, replaceDirAtomic, writeJsonAtomic } from "../util/atomic.ts";
import { InputError } from "../util/errors.ts";
import { embeddingsFromConfig, type EmbedderChoice } from "./create-embeddings.ts";
import { renderDatasetQuery, type DatasetQuery } from "./dataset-query.ts";
import { EvidenceDocument, fromLangChainDocument, toLangChainDocument, type EvidenceKind } from "./document.ts";
import { EmbedderConfig, type ConfiguredEmbeddings } from "./embedder-config.ts";
import { readManifest, writeManifest } from "./index-manifest.ts";
import { normalise } from "./vectors.ts";

/** Where a pack keeps its index: a folder of its own, with its own manifest, rebuildable alone. */
export function indexDirOf(packDir: string): string {
  return path.join(packDir, "index");
}

const EMBEDDER_FILE = "embedder.json";
/** The files `FaissStore.save` writes. */
const STORE_FILES = ["faiss.index", "docstore.json"];

export interface BuildOptions {
  /**
   * "flat" (default): exact search, FaissStore's own IndexFlatL2. "hnsw": an approximate HNSW graph
   * (faiss factory "HNSW<M>,Flat", still L2) for experience pools large enough for exact search to be slow.
   * faiss-node cannot set efSearch (stays 16); scripts/bench-retrieval.ts measured recall@10 0.999 and ~6x
   * faster queries at 10k documents, for a ~2x slower build.
   */
  index?: "flat" | "hnsw";
  /** HNSW neighbours per node (default 32). */
  hnswM?: number;
}

export interface LoadOptions extends EmbedderChoice {
  /** The embedder to query with; default: rebuilt from the stored config (a GGUF one needs `embedModel`). */
  embeddings?: ConfiguredEmbeddings;
  /** The command that rebuilds this index, shown when it is missing or corrupt. */
  rebuildHint?: string;
}

export interface SearchFilter {
  kind?: EvidenceKind | readonly EvidenceKind[];
  where?: (doc: EvidenceDocument) => boolean;
}

export interface SearchHit {
  doc: EvidenceDocument;
  /** Cosine similarity in [-1, 1]; higher is more similar. */
  score: number;
}

/** Checks embeddings (one dimension, finite, non-zero) and makes them unit length, so cosine = 1 - d²/2 holds. */
function unitVectors(vectors: number[][], ids: readonly string[], dimension = vectors[0]?.length): number[][] {
  return vectors.map((v, i) => {
    if (v.length !== dimension) {
      throw new Error(`embedding of ${ids[i]} has ${v.length} dimensions, the index ${dimension}`);
    }
    if (!v.every(Number.isFinite)) throw new Error(`embedding of ${ids[i]} is not finite`);
    const u = normalise(v);
    if (!u.some((x) => x !== 0)) throw new Error(`embedding of ${ids[i]} is the zero vector (nothing to compare)`);
    return u;
  });
}

export class KnowledgeIndex {
  private readonly byId: Map<string, EvidenceDocument>;

  private constructor(
    private readonly store: FaissStore,
    readonly embeddings: ConfiguredEmbeddings,
    /** Documents by FAISS label (insertion order). */
    private readonly docs: EvidenceDocument[],
    /** "flat" or the HNSW factory string. */
    readonly indexType: string,
  ) {
    this.byId = new Map(docs.map((d) => [d.id, d]));
  }

  static async build(documents: readonly EvidenceDocument[], embeddings: ConfiguredEmbeddings, options: BuildOptions = {}): Promise<KnowledgeIndex> {
    const docs = documents.map((d) => EvidenceDocument.parse(d));
    if (docs.length === 0) throw new InputError("no evidence documents to index", "knowledge index", "train a pack first");
    const seen = new Set<string>();
    for (const d of docs) {
      if (seen.has(d.id)) throw new InputError(`duplicate evidence id ${d.id}`, "knowledge index", "evidence ids must be unique");
      seen.add(d.id);
    }
    const lcDocs = docs.map(toLangChainDocument);
    const ids = docs.map((d) => d.id);
    const vectors = unitVectors(await embeddings.embedDocuments(lcDocs.map((d) => d.pageContent)), ids);
    const dimension = vectors[0].length;
    const hnsw = options.index === "hnsw" ? `HNSW${options.hnswM ?? 32},Flat` : undefined;
    const store = new FaissStore(embeddings, { index: hnsw ? faiss.Index.fromFactory(dimension, hnsw) : undefined });
    await store.addVectors(vectors, lcDocs, { ids });
    return new KnowledgeIndex(store, embeddings, docs, hnsw ?? "flat");
  }

  /** Writes the index into `dir`, replacing a previous one only once the new one is complete. */
  async save(dir: string): Promise<void> {
    await replaceDirAtomic(dir, async (tmp) => {
      await this.store.save(tmp);
      writeJsonAtomic(path.join(tmp, EMBEDDER_FILE), this.embeddings.config());
      const fields = { count: this.size, dimension: this.dimension, index: this.indexType };
      writeManifest(tmp, fields, [...STORE_FILES, EMBEDDER_FILE]);
    });
  }

  static async load(dir: string, options: LoadOptions = {}): Promise<KnowledgeIndex> {
    recoverDir(dir);
    const where = path.resolve(dir);
    const hint = options.rebuildHint ?? `rebuild it: hporec index --pack ${path.dirname(where)}`;
    const broken = (detail: string) => new InputError(`the knowledge index is missing or corrupt: ${detail}`, where, hint);
    const manifest = readManifest(dir, [...STORE_FILES, EMBEDDER_FILE], broken);
    let stored: EmbedderConfig;
    try {
      stored = EmbedderConfig.parse(JSON.parse(readFileSync(path.join(dir, EMBEDDER_FILE), "utf8")));
    } catch {
      throw broken(`${EMBEDDER_FILE} is not a valid embedder configuration`);
    }
    const embeddings = options.embeddings ?? (await embeddingsFromConfig(stored, options, where));
    if (!isDeepStrictEqual(EmbedderConfig.parse(embeddings.config()), stored)) {
      throw new InputError(
        `the index was built with a different embedder (${stored.kind}) than the one given (${embeddings.config().kind})`,
        where,
        `query it with the embedder it was built with, or ${hint}`,
      );
    }
    const store = await FaissStore.load(dir, embeddings);
    const mapping = store.getMapping();
    const docstore = store.getDocstore();
    const docs: EvidenceDocument[] = [];
    try {
      for (let label = 0; label < store.index.ntotal(); label++) docs.push(fromLangChainDocument(docstore.search(mapping[label])));
    } catch (e) {
      throw broken(`docstore.json does not match faiss.index (${(e as Error).message.split("\n")[0]})`);
    }
    if (docs.length !== manifest.count || store.index.getDimension() !== manifest.dimension) {
      throw broken(`it holds ${docs.length} vectors of ${store.index.getDimension()} dimensions, the manifest says ${manifest.count} of ${manifest.dimension}`);
    }
    return new KnowledgeIndex(store, embeddings, docs, manifest.index);
  }

  get size(): number {
    return this.docs.length;
  }

  get dimension(): number {
    return this.store.index.getDimension();
  }

  /** All documents, in index order. */
  documents(): readonly EvidenceDocument[] {
    return this.docs;
  }

  get(id: string): EvidenceDocument | undefined {
    return this.byId.get(id);
  }

  /**
   * The k documents most similar to the query (a text, or a dataset card rendered with its meta line), by
   * decreasing cosine. Fewer than k when fewer documents pass the filter; k beyond the index size is fine.
   */
  async search(query: string | DatasetQuery, k: number, filter: SearchFilter = {}): Promise<SearchHit[]> {
    if (!(k >= 1)) return [];
    const text = typeof query === "string" ? query : renderDatasetQuery(query);
    let q: number[];
    try {
      [q] = unitVectors([await this.embeddings.embedQuery(text)], ["the query"], this.dimension);
    } catch (e) {
      throw new InputError((e as Error).message, "search query", "describe the dataset (meta-features, domain, words)");
    }
    const kinds = filter.kind === undefined ? undefined : new Set<EvidenceKind>(typeof filter.kind === "string" ? [filter.kind] : filter.kind);
    const keep = (d: EvidenceDocument) => (!kinds || kinds.has(d.kind)) && (!filter.where || filter.where(d));
    const filtered = kinds !== undefined || filter.where !== undefined;
    const n = this.size;
    // Ask FAISS for more neighbours than k when a filter will drop some; widen until k pass or all are seen.
    let fetch = Math.min(n, filtered ? Math.max(4 * k, 32) : k);
    for (;;) {
      const hits = this.nearest(q, fetch).filter((h) => keep(h.doc));
      if (hits.length >= k || fetch >= n) return hits.slice(0, k);
      fetch = Math.min(n, fetch * 4);
    }
  }

  /** The k past datasets most similar to a dataset card (leave-one-out: exclude the card's own dataset). */
  async similarDatasets(card: DatasetQuery, k: number, options: { excludeDatasetIds?: readonly string[] } = {}): Promise<SearchHit[]> {
    const excluded = new Set(options.excludeDatasetIds ?? []);
    return this.search(card, k, { kind: "dataset", where: (d) => !excluded.has(d.metadata.datasetId ?? "") });
  }

  /** Straight to the FAISS index (k <= ntotal, or it throws); HNSW may pad with label -1, which is dropped. */
  private nearest(q: number[], k: number): SearchHit[] {
    const { labels, distances } = this.store.index.search(q, k);
    const hits: SearchHit[] = [];
    labels.forEach((label, i) => {
      if (label >= 0) hits.push({ doc: this.docs[label], score: Math.max(-1, Math.min(1, 1 - distances[i] / 2)) });
    });
    return hits;
  }
}
