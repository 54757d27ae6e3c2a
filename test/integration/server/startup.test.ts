/**
 * `hporec serve` checks everything before it listens: a bad flag, a missing pack, a busy port, a corrupt or
 * shared state database end the start with exit 2 naming the culprit, never a half-started server.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import { after, describe, test } from "node:test";
import Database from "better-sqlite3";
import { pino } from "pino";
import { openSqliteStore } from "../../../src/store/sqlite-store.ts";
import { CARD, get, start, tempDir } from "./helpers.ts";

const BIN = path.resolve("bin/hporec.js");
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

/** Runs `hporec serve ...` until it exits, or until it says it serves (then resolves with the running child). */
function serve(args: string[]): Promise<{ code: number | null; out: string; err: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--workers", "0", "--candidates", "50", "--log-level", "info", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  return new Promise((resolve) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      if (/serving on/.test(out)) resolve({ code: null, out, err, child });
    });
    child.stderr!.on("data", (d: Buffer) => (err += d));
    child.once("exit", (code) => resolve({ code, out, err, child }));
  });
}

function refused(r: { code: number | null; out: string; err: string }, names: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}\n${r.err}`);
  assert.match(r.err, names);
  assert.doesNotMatch(r.out + r.err, /serving on|"listening/, "it never listened");
  assert.doesNotMatch(r.err, /\n\s+at .*:\d+:\d+\)?\n/, `no stack trace:\n${r.err}`);
}

describe("serve refuses to start, naming why", () => {
  test("a busy port", async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      refused(await serve(["--port", String(port), "--state-dir", tempDir()]), new RegExp(`--port: port ${port} .*already in use`));
    } finally {
      busy.close();
    }
  });

  test("a bad --body-limit", async () => refused(await serve(["--body-limit", "lots", "--state-dir", tempDir()]), /--body-limit: not a size/));

  test("a pack that does not exist", async () => refused(await serve(["--pack", "/nonexistent", "--state-dir", tempDir()]), /pack folder not found: \/nonexistent/));

  test("a corrupt state database", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "state.sqlite"), "this is not a database, it is a text file of some length ".repeat(200));
    refused(await serve(["--state-dir", dir]), new RegExp(`state database .*${path.join(dir, "state.sqlite")}.*\\n.*fix: move`, "s"));
  });

  test("two servers on the same state: the second refuses, the first keeps serving", { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const first = await serve(["--state-dir", dir]);
    assert.equal(first.code, null, first.err);
    const url = /serving on (\S+)/.exec(first.out)![1];
    refused(await serve(["--state-dir", dir]), /in use by another hporec process/);
    assert.equal((await get(`${url}/health`)).status, 200);
    first.child.kill("SIGTERM");
  });
});

test("a corrupt state record is quarantined and logged; the other jobs resume", { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const store = openSqliteStore(dir);
  const good = await store.jobs.create([{ card: CARD }]);
  await store.close();
  const db = new Database(path.join(dir, "state.sqlite"));
  db.prepare("INSERT INTO jobs (id, status, created_at, updated_at, items) VALUES ('bad-job', 'queued', '2020-01-01', '2020-01-01', '{not json')").run();
  db.close();

  const lines: string[] = [];
  const logger = pino({ level: "warn" }, new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) }));
  const s = await start({ stateDir: dir, logger });
  try {
    for (let i = 0; i < 200 && (await get(`${s.url}/v1/batch/${good.id}`)).json.status !== "done"; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await get(`${s.url}/v1/batch/${good.id}`)).json.status, "done");
    assert.equal((await get(`${s.url}/v1/batch/bad-job`)).status, 404);
    assert.ok(lines.some((l) => /quarantined/.test(l) && /bad-job/.test(l)), lines.join(""));
  } finally {
    await s.stop();
  }
  const check = new Database(path.join(dir, "state.sqlite"), { readonly: true });
  assert.deepEqual(check.prepare("SELECT source, id FROM quarantine").all(), [{ source: "jobs", id: "bad-job" }]);
  check.close();
});
