/**
 * `--llm` / HPOREC_LLM: a local GGUF path or a model URI (hf:owner/repo:quant, https://…/x.gguf) that
 * node-llama-cpp's own resolver maps to a cached file, downloading it where there is internet.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { resolveModelFile } from "node-llama-cpp";
import { InputError } from "../util/errors.ts";

export interface ModelSourceOptions {
  /** Where URIs are cached/downloaded (default: node-llama-cpp's ~/.node-llama-cpp/models). */
  modelsDirectory?: string;
  /** false: only use an already downloaded file (offline machines). */
  download?: "auto" | false;
  /** Give up when a download makes no progress for this long (default 60 s). */
  stallMs?: number;
}

const URI = /^(hf|huggingface|https?):/i;

function isModelUri(spec: string): boolean {
  return URI.test(spec);
}

/** The absolute path of a loadable file, or an InputError naming what is wrong. */
export async function resolveModelSource(spec: string, options: ModelSourceOptions = {}): Promise<string> {
  const where = "--llm";
  if (!spec.trim()) throw new InputError("no model given", where, "pass a .gguf path or a model URI (hf:owner/repo:Q4_K_M)");
  if (!isModelUri(spec)) {
    const file = path.resolve(spec);
    if (!existsSync(file)) {
      throw new InputError(`model file not found: ${file}`, where, "pass an existing .gguf file or a model URI (hf:owner/repo:Q4_K_M)");
    }
    if (!statSync(file).isFile()) throw new InputError(`not a file: ${file}`, where, "pass the .gguf file itself, not its folder");
    return file;
  }
  try {
    return await withStallTimeout(options.stallMs ?? 60_000, (onProgress, signal) =>
      resolveModelFile(spec, {
        directory: options.modelsDirectory,
        download: options.download ?? "auto",
        cli: false,
        onProgress,
        signal,
      }),
    );
  } catch (e) {
    const offline = options.download === false;
    throw new InputError(
      `cannot resolve model URI ${spec}: ${(e as Error).message}`,
      where,
      offline
        ? "downloads are disabled: download the model on a machine with internet, or pass a local .gguf path"
        : "check the URI and the network (no internet? pass a local .gguf path instead)",
    );
  }
}

/**
 * node-llama-cpp does not pass its abort signal to the downloader's first request, which can retry for minutes
 * when offline; so a watchdog rejects once nothing has happened for `stallMs` (progress resets it).
 */
function withStallTimeout<T>(
  stallMs: number,
  run: (onProgress: () => void, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        abort.abort();
        reject(new Error(`no download progress for ${Math.round(stallMs / 1000)} s`));
      }, stallMs);
      timer.unref();
    };
    arm();
    run(arm, abort.signal).then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
