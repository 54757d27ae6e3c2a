/**
 * GGUF embeddings through node-llama-cpp, behind LangChain's `Embeddings` interface. Not LangChain's own
 * `LlamaCppEmbeddings`: it calls `getLlama()` with defaults (GPU probing, building from source when no
 * prebuilt binary fits) and cannot set the thread count, which was ~800x slower on 2-core machines.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { getLlama, type LlamaEmbeddingContext, type LlamaModel } from "node-llama-cpp";
import type { LlamaConfig } from "./embedder-config.ts";
import { normalise } from "./vectors.ts";
import { InputError } from "../util/errors.ts";

export interface LlamaEmbeddingsOptions {
  /** Path to a GGUF file. */
  modelPath: string;
  /** CPU threads; default min(2, cores). Always explicit: node-llama-cpp's own default was pathological here. */
  threads?: number;
  /** Tokens per text; longer texts are truncated (default: the model's training context, at most 2048). */
  contextSize?: number;
}

export class LlamaEmbeddings extends Embeddings {
  private constructor(
    private readonly model: LlamaModel,
    private readonly context: LlamaEmbeddingContext,
    private readonly contextSize: number,
  ) {
    super({});
  }

  static async create(options: LlamaEmbeddingsOptions): Promise<LlamaEmbeddings> {
    const threads = options.threads ?? Math.min(2, availableParallelism());
    const llama = await getLlama({ gpu: false, build: "never" });
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
    } catch (e) {
      throw new InputError(`cannot load embedding model ${options.modelPath}: ${(e as Error).message}`, "--embed-model", "pass a GGUF embedding model file (or leave --embed-model out for the built-in embedder)");
    }
    const contextSize = Math.min(options.contextSize ?? 2048, model.trainContextSize);
    try {
      const context = await model.createEmbeddingContext({ contextSize, batchSize: contextSize, threads });
      return new LlamaEmbeddings(model, context, contextSize);
    } catch (e) {
      await model.dispose();
      throw e;
    }
  }

  config(): LlamaConfig {
    return { kind: "llama", model: path.basename(this.model.filename ?? "model.gguf"), dimension: this.model.embeddingVectorSize };
  }

  private async embed(text: string): Promise<number[]> {
    // Room for the BOS/EOS tokens node-llama-cpp adds, and its check is "shorter than the context".
    const tokens = this.model.tokenize(text).slice(0, this.contextSize - 3);
    if (tokens.length === 0) throw new Error("cannot embed an empty text");
    const { vector } = await this.context.getEmbeddingFor(tokens);
    return normalise(vector);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (const t of texts) out.push(await this.embed(t)); // one context: texts are evaluated one at a time anyway
    return out;
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }
}
