/**
 * One node-llama-cpp binding per GPU setting for the whole process (loading it costs ~0.5-1 s), never built
 * from source. llama.cpp's error log lines are kept so a failed model load can say why.
 */
import { getLlama, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { env } from "../config.ts";

const bindings = new Map<string, Promise<Llama>>();
const recentErrors: string[] = [];
const verbose = env().llmLog;

export type GpuSetting = "auto" | false;

export function sharedLlama(gpu: GpuSetting): Promise<Llama> {
  const key = String(gpu);
  let binding = bindings.get(key);
  if (!binding) {
    binding = getLlama({
      gpu,
      build: "never",
      logLevel: verbose ? LlamaLogLevel.debug : LlamaLogLevel.warn,
      logger: (level, message) => {
        if (verbose) console.error(`[llama ${level}] ${message.trimEnd()}`);
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
          recentErrors.push(message.trim());
          if (recentErrors.length > 20) recentErrors.shift();
        }
      },
    });
    binding.catch(() => bindings.delete(key)); // a failed binding must not be cached
    bindings.set(key, binding);
  }
  return binding;
}

/** The llama.cpp errors logged since the last call (and forgets them). */
export function takeLlamaErrors(): string[] {
  return recentErrors.splice(0);
}
