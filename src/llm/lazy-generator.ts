/**
 * A JsonGenerator whose backend module is imported on first use: node-llama-cpp and the OpenAI client cost
 * ~1.5 s of imports, which a command without a configured model (or one that never generates) should not pay.
 */
import type { z } from "zod";
import type { GeneratorInfo, JsonGenerator, JsonRequest, JsonResult } from "./json-generator.ts";

export class LazyJsonGenerator implements JsonGenerator {
  private backend?: Promise<JsonGenerator>;
  private loaded?: JsonGenerator;

  constructor(
    private readonly load: () => Promise<JsonGenerator>,
    /** What to report before the backend is loaded. */
    private readonly placeholder: GeneratorInfo,
  ) {}

  private get(): Promise<JsonGenerator> {
    this.backend ??= this.load().then((g) => (this.loaded = g));
    return this.backend;
  }

  info(): GeneratorInfo {
    return this.loaded?.info() ?? this.placeholder;
  }

  async generateJson<S extends z.ZodType>(request: JsonRequest<S>): Promise<JsonResult<z.output<S>>> {
    return (await this.get()).generateJson(request);
  }

  async dispose(): Promise<void> {
    if (this.backend) await (await this.backend).dispose();
  }
}
