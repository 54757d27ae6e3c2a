/** Starts hporec's HTTP server in-process on an ephemeral loopback port with the real default pack. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { loadEngine, type Engine } from "../../../src/recommend/engine.ts";
import { DEFAULT_PACK } from "../../../src/cli/pack-path.ts";
import { startServer, type RunningServer, type ServerOptions } from "../../../src/server/server.ts";
import type { AppOptions } from "../../../src/server/context.ts";
import type { RecommendPool } from "../../../src/server/workers/recommend-pool.ts";

let engine: Promise<Engine> | undefined;
/** One engine per test file (loading the pack takes a moment). */
export const sharedEngine = () => (engine ??= loadEngine(DEFAULT_PACK));

/** Fewer candidates than the default 2,000 keeps the suite fast; the engine path is the same. */
export const TEST_SAMPLES = 200;

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "hporec-server-"));
}

/** With a pool, /v1/recommend is computed in its worker threads (and the pool is closed on stop). */
export async function start(options: Partial<AppOptions> = {}, pool?: RecommendPool, server: ServerOptions = {}): Promise<RunningServer & { stateDir: string; stop: () => Promise<void> }> {
  const stateDir = options.stateDir ?? tempDir();
  const s = await startServer(
    { engine: sharedEngine(), pool, options: { stateDir, samples: TEST_SAMPLES, logger: pino({ level: "silent" }), ...options } },
    { host: "127.0.0.1", port: 0, ...server },
  );
  await s.hporec.ready;
  return {
    ...s,
    stateDir,
    stop: async () => {
      await s.close();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, json: text.startsWith("{") || text.startsWith("[") ? JSON.parse(text) : text, headers: res.headers };
}

/** Parses an SSE body into events. */
export function parseSse(body: string): Array<{ event: string; data: string }> {
  return body
    .split("\n\n")
    .filter((b) => b.trim())
    .map((block) => {
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      return { event, data: data.join("\n") };
    });
}

export const CARD = { name: "skin", samples: 3000, classes: 7, imageSize: 224, channels: 3, domain: "medical" };
