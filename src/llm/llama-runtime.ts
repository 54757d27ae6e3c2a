/**
 * A local GGUF model through node-llama-cpp: loaded once, lazily, on first use; one context with a few
 * sequences, shared by all requests (they queue for a free sequence); JSON answers under a grammar compiled
 * from the request's zod schema.
 */
import path from "node:path";
import type { z } from "zod";
import {
  LlamaChatSession,
  type GbnfJsonObjectSchema,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
} from "node-llama-cpp";
import { InputError } from "../util/errors.ts";
import { toGrammarSchema } from "./grammar-schema.ts";
import { generateWithRetry, type AttemptOutput, type AttemptSettings } from "./json-attempts.ts";
import type { GeneratorInfo, JsonGenerator, JsonRequest, JsonResult } from "./json-generator.ts";
import { sharedLlama, takeLlamaErrors, type GpuSetting } from "./llama-binding.ts";
import { resolveModelSource, type ModelSourceOptions } from "./model-source.ts";
import { SequencePool } from "./sequence-pool.ts";
import { LRUCache } from "lru-cache";

export interface LlamaRuntimeOptions extends ModelSourceOptions {
  /** GGUF path or model URI. */
  model: string;
  /** "auto": a GPU when node-llama-cpp finds a usable one, else the CPU. Default "auto". */
  gpu?: GpuSetting;
  /** CPU threads; default node-llama-cpp's count of physical math cores (its own default was ~800x slower here). */
  threads?: number;
  /** Tokens per sequence; default min(4096, the model's training context). */
  contextSize?: number;
  /** Requests evaluated in parallel; more wait. Default 2. */
  sequences?: number;
  /** Default generation limit when a request sets none. */
  maxTokens?: number;
}

export interface LlamaRuntimeInfo {
  modelPath: string;
  gpu: string | false;
  threads: number;
  contextSize: number;
  sequences: number;
  loadMs: number;
}

interface Loaded {
  info: LlamaRuntimeInfo;
  model: LlamaModel;
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
}

/** node-llama-cpp's JSON-schema grammar, without its schema-derived static type (ours come from zod). */
type JsonGrammar = LlamaGrammar & { parse(text: string): unknown };

const GRAMMAR_CACHE_SIZE = 32;

export class LlamaRuntime implements JsonGenerator {
  private loading?: Promise<Loaded>;
  /** The resolved file once loaded (a URI's file name says more than the URI). */
  private modelPath?: string;
  /** Candidate-id enums differ per request, so grammars are kept for the most recent schemas only. */
  private readonly grammars = new LRUCache<string, Promise<JsonGrammar>>({ max: GRAMMAR_CACHE_SIZE });

  constructor(private readonly options: LlamaRuntimeOptions) {}

  info(): GeneratorInfo {
    return { kind: "local", location: this.options.model, model: path.basename(this.modelPath ?? this.options.model) };
  }

  /** Loads the model now (otherwise the first request does); throws InputError when it cannot be loaded. */
  async load(): Promise<LlamaRuntimeInfo> {
    return (await this.loaded()).info;
  }

  async generateJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<JsonResult<z.output<S>>> {
    const { pool } = await this.loaded();
    const grammar = await this.grammarFor(request.schema);
    return generateWithRetry(
      request,
      () => this.info().model,
      (settings) => pool.use((seq) => this.attempt(seq, request, grammar, settings), (seq) => seq.clearHistory()),
      { parse: (text) => grammar.parse(text), maxTokens: this.options.maxTokens },
    );
  }

  async dispose(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    const loaded = await loading.catch(() => undefined);
    await loaded?.context.dispose();
    await loaded?.model.dispose();
  }

  private loaded(): Promise<Loaded> {
    if (!this.loading) {
      this.loading = this.loadOnce();
      this.loading.catch(() => (this.loading = undefined)); // let a later call retry after the user fixes it
    }
    return this.loading;
  }

  private async loadOnce(): Promise<Loaded> {
    const start = performance.now();
    const modelPath = await resolveModelSource(this.options.model, this.options);
    this.modelPath = modelPath;
    const llama = await sharedLlama(this.options.gpu ?? "auto");
    takeLlamaErrors();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath });
    } catch (e) {
      // llama.cpp's log lines (the actual reason) arrive through a queued native callback, possibly after the
      // rejection: give them a moment. Error path only.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new InputError(
        `cannot load model ${modelPath}: ${[(e as Error).message, ...takeLlamaErrors()].join("; ")}`,
        "--llm",
        "the file is not a complete GGUF model (truncated download or another format?): download it again or pass another .gguf",
      );
    }
    const threads = this.options.threads ?? llama.cpuMathCores;
    const sequences = this.options.sequences ?? 2;
    const contextSize = Math.min(this.options.contextSize ?? 4096, model.trainContextSize);
    let context: LlamaContext;
    try {
      context = await model.createContext({ sequences, contextSize, threads });
    } catch (e) {
      await model.dispose();
      throw new InputError(
        `cannot create a context of ${sequences} x ${contextSize} tokens: ${(e as Error).message}`,
        "--llm-context",
        "use a smaller context size or fewer parallel sequences",
      );
    }
    const pool = new SequencePool(Array.from({ length: sequences }, () => context.getSequence()));
    const info = { modelPath, gpu: llama.gpu, threads, contextSize: context.contextSize, sequences, loadMs: performance.now() - start };
    return { info, model, context, pool };
  }

  private grammarFor(schema: z.ZodType): Promise<JsonGrammar> {
    const json = toGrammarSchema(schema);
    const key = JSON.stringify(json);
    const cached = this.grammars.get(key);
    if (cached) return cached;
    const grammar = sharedLlama(this.options.gpu ?? "auto").then(
      (llama): Promise<JsonGrammar> => llama.createGrammarForJsonSchema(json as GbnfJsonObjectSchema),
    );
    this.grammars.set(key, grammar);
    return grammar;
  }

  private async attempt<S extends z.ZodType>(
    seq: LlamaContextSequence,
    request: JsonRequest<S>,
    grammar: JsonGrammar,
    settings: AttemptSettings,
  ): Promise<AttemptOutput> {
    // An empty system prompt instead of node-llama-cpp's default one, which would cost tokens on every call.
    const session = new LlamaChatSession({ contextSequence: seq, systemPrompt: request.systemPrompt ?? "", autoDisposeSequence: false });
    try {
      // Evaluating the prompt first gives its exact size (the cleared sequence starts empty); the generation
      // below reuses that state. The token meter alone cannot split prompt from generated tokens reliably.
      await session.preloadPrompt(request.prompt, { signal: request.signal });
      const promptTokens = seq.nextTokenIndex;
      const before = seq.tokenMeter.getState();
      const r = await session.promptWithMeta(request.prompt, { grammar, ...settings, signal: request.signal });
      return {
        text: r.responseText,
        tokens: { prompt: promptTokens, completion: seq.tokenMeter.diff(before).usedOutputTokens },
        hitMaxTokens: r.stopReason === "maxTokens",
      };
    } finally {
      session.dispose();
    }
  }
}
