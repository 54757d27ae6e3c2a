/** Shared by the CLI integration tests: the real default pack, child processes, temp copies of a pack. */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { tempDir } from "../../unit/metadata/fixtures.ts";
import { dataRoot } from "../../helpers/env.ts";

export { runCli } from "../../unit/metadata/cli-helpers.ts";
export { tempDir, writeFiles } from "../../unit/metadata/fixtures.ts";
export { png, jpeg } from "../../unit/metadata/images.ts";

/** The built-in pack (committed; rebuilt by `npm run build:default-pack`). */
export const DEFAULT_PACK = path.resolve("models/default");

/** Env for commands that read a meta-dataset by name; undefined (skip locally) when the data is missing. */
export function dataEnv(): Record<string, string> | undefined {
  const root = dataRoot();
  return root ? { HPOREC_DATA: root } : undefined;
}

/** A private copy of a pack, for tests that corrupt or rebuild it. */
export function copyPack(src = DEFAULT_PACK): string {
  const dir = path.join(tempDir("hporec-pack-"), "pack");
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** Starts the CLI without waiting; `node` args (e.g. --import a fixture) go before the entry point. */
export function startCli(args: string[], nodeArgs: string[] = []) {
  return spawn(process.execPath, [...nodeArgs, path.resolve("bin/hporec.js"), ...args], {
    env: { ...process.env, HPOREC_PROGRESS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Runs the CLI to the end with extra `node` args (e.g. a fixture preloaded with --import). */
export function runCliWith(nodeArgs: string[], args: string[]) {
  return spawnSync(process.execPath, [...nodeArgs, path.resolve("bin/hporec.js"), ...args], { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "0" } });
}

/** Resolves once `check()` is true (polling), rejects after `ms`. */
export async function waitFor(check: () => boolean, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Parsed lines of a JSONL file (empty when it does not exist). `finishedOnly` drops the text after the last newline:
 * a file another process is writing, or was killed while writing, may end in a line cut off mid-write.
 */
export function jsonLines<T = Record<string, unknown>>(file: string, { finishedOnly = false } = {}): T[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, "utf8").split("\n");
  if (finishedOnly) lines.pop();
  return lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}
