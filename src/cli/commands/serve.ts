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
import { addLlmChatOptions } from "./chat.ts";

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
  logLevel: string;
  workers: number;
};

export function serveCommand(): Command {
  const cmd = new Command("serve")
    .description("serve recommendations, chat, batch jobs, the judge and an OpenAI-compatible endpoint over HTTP")
    .option("--port <n>", "port (0 = any free port)", intOption("--port", 0, 65535), 8080)
    .option("--host <addr>", "address to bind (default loopback only; 0.0.0.0 exposes it to the network)", "127.0.0.1")
    .option("--pack <dir>", PACK_HELP)
    .option("--state-dir <dir>", "where conversations and batch jobs persist", ".hporec")
    .option("--api-key <key>", "require Authorization: Bearer <key> on /v1 (env HPOREC_API_KEY)")
    .option("--cors <origins>", "comma-separated origins allowed by CORS ('*' for any); off by default")
    .option("--body-limit <size>", "maximum JSON body size", "1mb")
    .option("--candidates <n>", "configurations sampled per recommendation", intOption("--candidates", 10, 200000), 2000)
    .option("--conversation-ttl-h <hours>", "conversations expire after this many idle hours", intOption("--conversation-ttl-h", 1, 1e6), 168)
    .addOption(
      new Option("--workers <n>", "worker threads computing recommendations, each with its own engine (0 = on the event loop)")
        .env("HPOREC_WORKERS")
        .argParser(intOption("--workers", 0, 64))
        // Each worker holds its own engine and caches (~200-400 MB): one per core, at most 4 unless asked.
        .default(Math.min(os.availableParallelism(), 4), "one per core, at most 4"),
    )
    .option("--log-level <level>", "pino log level (env HPOREC_LOG_LEVEL)", process.env.HPOREC_LOG_LEVEL ?? "info");
  addLlmChatOptions(cmd);
  return cmd
    .addHelpText("after", "\nExamples:\n  hporec serve\n  hporec serve --port 9000 --llm ../models/qwen.gguf\n  HPOREC_API_KEY=secret hporec serve --host 0.0.0.0")
    .action(
      action(async (o: Flags) => {
        const logger = pino({ level: o.logLevel, base: { service: "hporec" } }, pino.destination(2));
        const generator = createJsonGenerator(o);
        const packDir = resolvePackDir(o.pack);
        const pool = o.workers > 0 ? RecommendPool.start({ packDir, samples: o.candidates }, o.workers) : undefined;
        const running = await startServer(
          {
            engine: loadEngine(packDir).then(async (e) => {
              // With workers, they answer /v1/recommend and warm themselves; the main engine only serves chat.
              if (pool) return e;
              const t0 = performance.now();
              await e.recommender.warmUp(o.candidates);
              logger.info({ ms: Math.round(performance.now() - t0) }, "warmed up on the pack's datasets");
              return e;
            }),
            pool,
            options: {
              stateDir: path.resolve(o.stateDir),
              apiKey: o.apiKey ?? (process.env.HPOREC_API_KEY || undefined),
              corsOrigins: o.cors?.split(",").map((s) => s.trim()).filter(Boolean),
              bodyLimit: o.bodyLimit,
              samples: o.candidates,
              conversationTtlMs: o.conversationTtlH * 3600_000,
              llm: generator && { generator, timeoutMs: o.llmTimeoutMs },
              logger,
            },
          },
          { host: o.host, port: o.port },
        );
        logger.info({ url: running.url, pack: packDir }, "listening");
        await running.hporec.ready;
        logger.info("pack loaded; ready");
        process.stdout.write(`hporec serving on ${running.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            logger.info({ signal }, "shutting down");
            void running
              .close()
              .then(() => generator?.dispose())
              .finally(resolve);
          };
          process.once("SIGTERM", () => stop("SIGTERM"));
          process.once("SIGINT", () => stop("SIGINT"));
        });
        logger.info("stopped");
      }),
    );
}

