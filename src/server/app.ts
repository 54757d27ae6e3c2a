/**
 * The express app (no listen): middleware order is request id/log -> metrics -> CORS -> system routes -> web app
 * (static, at /) -> API key on /v1 -> JSON body (size limit) -> readiness -> routes -> 404 -> error handler.
 * The pack may still be loading when the app is created: /health says 503 and /v1 answers 503 until it is.
 */
import express, { type Express, type RequestHandler } from "express";
import { ChatEngine } from "../chat/engine.ts";
import type { Engine } from "../recommend/engine.ts";
import type { AppOptions, Services } from "./context.ts";
import { ApiError, errorHandler, limitBodyDepth, notFound, requireJsonBody, toApiError } from "./errors.ts";
import { JobRunner } from "./jobs/runner.ts";
import { createMetrics } from "./metrics.ts";
import { requireApiKey } from "./middleware/auth.ts";
import { cors } from "./middleware/cors.ts";
import { requestLog } from "./middleware/request-log.ts";
import { openApiDocument } from "./openapi.ts";
import { recommendAndJudge, RecommendCache } from "./recommend-input.ts";
import { batchRoutes } from "./routes/batch.ts";
import { chatRoutes } from "./routes/chat.ts";
import { explainRoutes } from "./routes/explain.ts";
import { judgeRoutes } from "./routes/judge.ts";
import { openaiRoutes } from "./routes/openai.ts";
import { recommendRoutes } from "./routes/recommend.ts";
import { systemRoutes } from "./routes/system.ts";
import { studyRoutes } from "./routes/studies.ts";
import { webRoutes } from "./web.ts";
import { RecommendInput } from "./schemas.ts";
import { Conversations } from "./conversations.ts";
import type { StateStore } from "../store/store.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { InputError } from "../util/errors.ts";
import { VERSION } from "../package-info.ts";
import type { RecommendPool } from "./workers/recommend-pool.ts";

const WEEK_MS = 7 * 24 * 3600 * 1000;

export interface HporecApp {
  app: Express;
  /** Resolves once the packs are loaded and routes serve (rejects if loading failed). */
  ready: Promise<Services>;
  /** Stops the job runner after its item in flight and waits for conversation writes (graceful shutdown). */
  close: () => Promise<void>;
}

export interface CreateAppInput {
  /** The default pack's engine, or its loading promise; more packs by OpenAI model name in `packs`. */
  engine: Engine | Promise<Engine>;
  packs?: Record<string, Engine | Promise<Engine>>;
  /** Workers that compute /v1/recommend and batch recommendations off the event loop (default: the main thread). */
  pool?: RecommendPool | Promise<RecommendPool>;
  /** Batch jobs and conversations; default: the SQLite store in `options.stateDir` (opened now, closed by `close`). */
  store?: StateStore;
  options: AppOptions;
}

/** The store an app uses: the one given, else SQLite in the state folder (InputError when corrupt or in use). */
function stateStore(input: CreateAppInput): StateStore {
  if (input.store) return input.store;
  if (!input.options.stateDir) throw new InputError("no state store: pass a store or options.stateDir", "stateDir");
  const log = input.options.logger.child({ component: "state" });
  return openSqliteStore(input.options.stateDir, {
    onQuarantine: (q) => log.warn(q, "corrupt state record quarantined (moved to the quarantine table)"),
    onLegacyImport: (r) => log.info(r, "state files written before the SQLite store imported (their folders renamed *.imported)"),
  });
}

export function createApp(input: CreateAppInput): HporecApp {
  const { engine, packs = {}, pool: poolInput, options } = input;
  // Opened before anything listens: a corrupt or busy state database stops the start, not the first request.
  const store = stateStore(input);
  const openapi = openApiDocument(VERSION) as { paths: Record<string, unknown> };
  const metrics = createMetrics(Object.keys(openapi.paths));
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestLog(options.logger));
  app.use(metrics.middleware);
  if (options.corsOrigins?.length) app.use(cors(options.corsOrigins));

  let services: Services | undefined;
  app.use(systemRoutes(metrics, () => services !== undefined, () => openapi));
  if (options.webDir !== false) app.use(webRoutes(options.webDir));
  if (options.apiKey) app.use("/v1", requireApiKey(options.apiKey));
  app.use(requireJsonBody);
  app.use(express.json({ limit: options.bodyLimit ?? "1mb", strict: false, type: ["application/json", "application/*+json"] }));
  app.use(limitBodyDepth);
  const requireReady: RequestHandler = (_req, _res, next) => next(services ? undefined : new ApiError(503, "not_ready", "the pack is still loading; retry shortly"));
  app.use("/v1", requireReady);

  // Routes are mounted once the services exist; until then the readiness check above answers.
  const routes = express.Router();
  app.use(routes);
  app.use(notFound);
  app.use(errorHandler);

  const ready = (async () => {
    const main = await engine;
    const pool = await poolInput;
    const engines = new Map<string, Engine>([["hporec", main], [main.recommender.pack.manifest.name, main]]);
    for (const [name, e] of Object.entries(packs)) engines.set(name, await e);
    const llm = options.llm && { ...options.llm, onTokens: (p: number, c: number) => (metrics.llmTokens.inc({ kind: "prompt" }, p), metrics.llmTokens.inc({ kind: "completion" }, c)) };
    const chatOptions = { samples: options.samples, llm };
    const chatByEngine = new Map([...new Set(engines.values())].map((e) => [e, new ChatEngine(e, chatOptions)]));
    const chatFor = (model: string) => {
      const e = engines.get(model);
      return e && chatByEngine.get(e);
    };
    const conversations = new Conversations(store.conversations, options.conversationTtlMs ?? WEEK_MS, { studies: store.studies });
    await conversations.sweep();
    const cache = new RecommendCache();
    const jobs = new JobRunner(
      store.jobs,
      async (input) => {
        try {
          const { outcome } = await recommendAndJudge(RecommendInput.parse(input), main, undefined, options.samples, pool);
          metrics.recommendations.inc({ endpoint: "batch", model: outcome.recommendation.recommendation.model });
          return { ok: true, recommendation: outcome.recommendation, judge: outcome.judge };
        } catch (e) {
          const api = toApiError(e);
          if (!api) throw e;
          return { ok: false, error: { code: api.code, message: api.message, ...(api.path ? { path: api.path } : {}) } };
        }
      },
      options.logger.child({ component: "batch" }),
    );
    const s: Services = { engine: main, pool, engines, chat: chatByEngine.get(main)!, chatFor, conversations, jobs, metrics, cache, options };
    for (const r of [recommendRoutes, chatRoutes, batchRoutes, judgeRoutes, explainRoutes, openaiRoutes]) routes.use(r(s));
    routes.use(studyRoutes(s, store.studies));
    services = s;
    await jobs.resume();
    return s;
  })();

  const sweeper = setInterval(() => void services?.conversations.sweep(), 3600_000);
  sweeper.unref();
  return {
    app,
    ready,
    close: async () => {
      clearInterval(sweeper);
      if (services) {
        await services.jobs.stop();
        await services.conversations.flush();
        await services.pool?.close();
      }
      // A store passed in belongs to the caller.
      if (!input.store) await store.close();
    },
  };
}
