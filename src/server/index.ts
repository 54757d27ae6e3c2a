/**
 * `hporec/server`: the HTTP API as a library. `createApp` takes its engine, its state store and its logger and
 * returns an express app (listen yourself, or use `startServer`); `openSqliteStore` is the embedded store.
 *
 *   const engine = await loadEngine();
 *   const { app, ready } = createApp({ engine, store: openSqliteStore("./state"), options: { logger: pino() } });
 */
export { createApp, type CreateAppInput, type HporecApp } from "./app.ts";
export { startServer, type RunningServer, type ServerOptions } from "./server.ts";
export type { AppOptions } from "./context.ts";
export { RecommendPool } from "./workers/recommend-pool.ts";
export { openSqliteStore, STATE_FILE } from "../store/sqlite-store.ts";
export { MIGRATIONS, migrate, type Migration } from "../store/migrations.ts";
export type { StateStore, JobStore, ConversationStore, JobRecord, ItemResult } from "../store/store.ts";
