import { Command, Option } from "commander";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { loadEngine } from "../../recommend/engine.ts";
import { createJsonGenerator, type LlmFlags } from "../../llm/llm-config.ts";
import { startServer } from "../../server/server.ts";
import { RecommendPool } from "../../server/workers/recommend-pool.ts";
import { action } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { intOption } from "../options.ts";
import { addLlmChatOptions } from "../llm-options.ts";
import { env } from "../../config.ts";
import { InputError } from "../../util/errors.ts";

type Flags = LlmFlags & {
  port: number;
  host: string;
  pack?: string;
  stateDir: string;
  apiKey?: string;
  cors?: string;
  bodyLimit: string;
  candidates: number;
  conversationTtlH: number;
  llmTimeoutMs: number;
  logLevel?: string;
  workers?: number;
};

export function serveCommand(): Command {
  const cmd = new Command("serve")
    .description("serve recommendations, chat, batch jobs, the judge and an OpenAI-compatible endpoint over HTTP, and the web app at /")
    .option("--port <n>", "port (0 = any free port)", intOption("--port", 0, 65535), 8080)
    .option("--host <addr>", "address to bind (default loopback only; 0.0.0.0 exposes it to the network)", "127.0.0.1")
    .option("--pack <dir>", PACK_HELP)
    .option("--state-dir <dir>", "where conversations, batch jobs and studies persist (SQLite)", ".hporec")
    .option("--api-key <key>", "require Authorization: Bearer <key> on /v1 (env HPOREC_API_KEY); the web app asks for it")
    .option("--cors <origins>", "comma-separated origins allowed by CORS ('*' for any); off by default")
    .option("--body-limit <size>", "maximum JSON body size", "1mb")
    .option("--candidates <n>", "configurations sampled per recommendation", intOption("--candidates", 10, 200000), 2000)
    .option("--conversation-ttl-h <hours>", "conversations expire after this many idle hours", intOption("--conversation-ttl-h", 1, 1e6), 168)
    // Each worker holds its own engine and caches (~200-400 MB): one per core, at most 4 unless asked.
    .option("--workers <n>", "worker threads computing recommendations, each with its own engine; 0 = on the event loop (env HPOREC_WORKERS; default one per core, at most 4)", intOption("--workers", 0, 64))
    .addOption(new Option("--log-level <level>", "pino log level (env HPOREC_LOG_LEVEL, default info)").choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"]));
  addLlmChatOptions(cmd);
  return cmd
    .addHelpText("after", "\nExamples:\n  hporec serve\n  hporec serve --port 9000 --llm ../models/qwen.gguf\n  HPOREC_API_KEY=secret hporec serve --host 0.0.0.0")
    .action(
      action(async (o: Flags) => {
        // Signals are handled from the first moment: a stop during start-up ends the start cleanly.
        const stopped = new Promise<string>((resolve) => {
          process.once("SIGTERM", () => resolve("SIGTERM"));
          process.once("SIGINT", () => resolve("SIGINT"));
        });
        // Everything is checked and loaded before the port is opened: never a half-started server.
        const bodyLimit = checkBodyLimit(o.bodyLimit);
        const config = env();
        const logger = pino({ level: o.logLevel ?? config.logLevel ?? "info", base: { service: "hporec" } }, pino.destination(2));
        const generator = createJsonGenerator(o);
        const packDir = resolvePackDir(o.pack);
        const workers = o.workers ?? config.workers ?? Math.min(os.availableParallelism(), 4);
        const engine = await loadEngine(packDir);
        const pool = workers > 0 ? await RecommendPool.start({ packDir, samples: o.candidates }, workers) : undefined;
        let running;
        try {
          if (!pool) {
            // With workers, they answer /v1/recommend and warm themselves; the main engine only serves chat.
            const t0 = performance.now();
            await engine.recommender.warmUp(o.candidates);
            logger.info({ ms: Math.round(performance.now() - t0) }, "warmed up on the pack's datasets");
          }
          running = await startServer(
            {
              engine,
              pool,
              options: {
                stateDir: path.resolve(o.stateDir),
                apiKey: o.apiKey ?? config.apiKey,
                corsOrigins: o.cors?.split(",").map((s) => s.trim()).filter(Boolean),
                bodyLimit,
                samples: o.candidates,
                conversationTtlMs: o.conversationTtlH * 3600_000,
                llm: generator && { generator, timeoutMs: o.llmTimeoutMs },
                logger,
              },
            },
            { host: o.host, port: o.port },
          ).catch((e: NodeJS.ErrnoException) => {
            if (e.code === "EADDRINUSE") throw new InputError(`port ${o.port} on ${o.host} is already in use`, "--port", "stop what uses it, or pass another --port (0 = any free port)");
            if (e.code === "EACCES" || e.code === "EADDRNOTAVAIL") throw new InputError(`cannot listen on ${o.host}:${o.port} (${e.code})`, "--host / --port", "use a port above 1023 and an address of this machine");
            throw e;
          });
          await running.hporec.ready;
        } catch (e) {
          await pool?.close();
          await generator?.dispose();
          throw e;
        }
        logger.info({ url: running.url, pack: packDir }, "listening; ready");
        process.stdout.write(`hporec serving on ${running.url} (web app: open ${running.url}/ in a browser)\n`);
        const signal = await stopped;
        logger.info({ signal }, "shutting down");
        await running.close().finally(() => generator?.dispose());
        logger.info("stopped");
      }),
    );
}

/** "1mb", "500kb", "2048": what express's body parser accepts; anything else is refused before start-up. */
function checkBodyLimit(v: string): string {
  if (!/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i.test(v)) throw new InputError(`not a size: ${JSON.stringify(v)}`, "--body-limit", "e.g. --body-limit 1mb (units b, kb, mb, gb)");
  return v.trim();
}
