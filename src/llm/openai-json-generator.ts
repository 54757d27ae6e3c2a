/**
 * The same JSON contract against an OpenAI-compatible server (llama.cpp server, vLLM, Ollama, OpenAI), with
 * JSON-schema structured output: the server constrains generation, zod validates the result here.
 */
import OpenAI from "openai";
import type { z } from "zod";
import { apiBase } from "./api-base.ts";
import { toGrammarSchema } from "./grammar-schema.ts";
import { generateWithRetry, type AttemptOutput, type AttemptSettings } from "./json-attempts.ts";
import type { GeneratorInfo, JsonGenerator, JsonRequest, JsonResult } from "./json-generator.ts";

export interface OpenAiJsonGeneratorOptions {
  /** Base URL of the API, e.g. http://127.0.0.1:8080/v1 (a URL without a path gets /v1). */
  url: string;
  /** Model name; default the first one the server lists (llama.cpp server and vLLM serve one). */
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Default generation limit when a request sets none. */
  maxTokens?: number;
}

export class OpenAiJsonGenerator implements JsonGenerator {
  private readonly client: OpenAI;
  private readonly baseURL: string;
  private model?: Promise<string>;
  private resolvedModel?: string;

  constructor(private readonly options: OpenAiJsonGeneratorOptions) {
    this.baseURL = apiBase(options.url);
    this.client = new OpenAI({
      baseURL: this.baseURL,
      // Local servers ignore the key, but the client refuses to start without one.
      apiKey: options.apiKey ?? "not-needed",
      timeout: options.timeoutMs ?? 120_000,
      maxRetries: 0, // generateWithRetry retries once; the client's own backoff would multiply that
    });
    if (options.model) this.model = Promise.resolve(options.model);
  }

  info(): GeneratorInfo {
    return { kind: "remote", location: this.baseURL, model: this.resolvedModel ?? this.options.model ?? "(server default)" };
  }

  async generateJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<JsonResult<z.output<S>>> {
    const schema = toGrammarSchema(request.schema);
    return generateWithRetry(request, () => this.info().model, (settings) => this.attempt(schema, request, settings), {
      maxTokens: this.options.maxTokens,
    });
  }

  async dispose(): Promise<void> {}

  private modelName(): Promise<string> {
    if (!this.model) {
      this.model = this.client.models.list().then((page) => {
        const first = page.data[0]?.id;
        if (!first) throw new Error("the server lists no model; pass --llm-model");
        this.resolvedModel = first;
        return first;
      });
      this.model.catch(() => (this.model = undefined)); // the server may come up later
    }
    return this.model;
  }

  private async attempt<S extends z.ZodType>(
    schema: Record<string, unknown>,
    request: JsonRequest<S>,
    settings: AttemptSettings,
  ): Promise<AttemptOutput> {
    const messages: OpenAI.ChatCompletionMessageParam[] = [];
    if (request.systemPrompt) messages.push({ role: "system", content: request.systemPrompt });
    messages.push({ role: "user", content: request.prompt });
    let r: OpenAI.ChatCompletion;
    try {
      r = await this.client.chat.completions.create(
        {
          model: await this.modelName(),
          messages,
          // max_tokens, not max_completion_tokens: llama.cpp server, vLLM and Ollama all read this one.
          max_tokens: settings.maxTokens,
          temperature: settings.temperature,
          seed: settings.seed,
          response_format: {
            type: "json_schema",
            json_schema: { name: request.schemaName ?? "answer", strict: true, schema },
          },
        },
        { signal: request.signal },
      );
    } catch (e) {
      // The client says only "Connection error."; name the server and the root cause (ECONNREFUSED, ...).
      const why = rootCause(e);
      throw new Error(`${this.baseURL}: ${(e as Error).message}${why ? ` (${why})` : ""}`);
    }
    const choice = r.choices[0];
    return {
      text: choice?.message?.content ?? "",
      tokens: { prompt: r.usage?.prompt_tokens ?? 0, completion: r.usage?.completion_tokens ?? 0 },
      hitMaxTokens: choice?.finish_reason === "length",
    };
  }
}

function rootCause(e: unknown): string | undefined {
  let cause = (e as { cause?: unknown }).cause as { cause?: unknown; code?: string; message?: string } | undefined;
  let why: string | undefined;
  for (let depth = 0; cause && depth < 5; depth++, cause = cause.cause as typeof cause) why = cause.code ?? cause.message ?? why;
  return why;
}
