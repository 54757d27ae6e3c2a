import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { InputError } from "./errors.ts";

/** Writes a file through a temp file in the same folder and a rename, so readers never see half a file. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Runs `fn` holding `<file>.lock` (created exclusively, holding the pid), so processes that read, change and write
 * `file` take turns: an atomic write alone lets two of them read the same version and the later rename drops the
 * other's change. A lock whose process is gone (killed) is taken over; one held longer than `waitMs` is refused.
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, waitMs = 120_000): Promise<T> {
  const lock = `${file}.lock`;
  const t0 = Date.now();
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    // An empty or unreadable lock is one being written: its holder is alive.
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(lock, "utf8"), 10);
    } catch {
      continue; // released meanwhile
    }
    if (Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() - t0 > waitMs)
      throw new InputError(`${file} is in use by process ${Number.isNaN(holder) ? "(unknown)" : holder} (another command changing it) for more than ${Math.round(waitMs / 1000)} s`, file, `wait for it to end; if no such process runs, delete ${lock}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Repairs what an interrupted `replaceDirAtomic` left beside `dir`: if the process died between its two
 * renames, `dir` is missing and its previous version sits in `.<name>.old.<pid>.*` — put it back. Temp
 * folders of dead processes are removed. Loaders call this before reading.
 */
export function recoverDir(dir: string): void {
  const parent = path.dirname(path.resolve(dir));
  const base = path.basename(dir);
  if (!existsSync(parent)) return;
  for (const e of readdirSync(parent)) {
    const m = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(new|old)\\.(\\d+)\\.`).exec(e);
    if (!m || pidAlive(Number(m[2]))) continue;
    const p = path.join(parent, e);
    if (m[1] === "old" && !existsSync(dir)) renameSync(p, dir);
    else rmSync(p, { recursive: true, force: true });
  }
}

/**
 * Builds a directory under a temp name beside `dir`, then swaps it in with renames, so an interrupted build
 * leaves the previous directory intact (see `recoverDir` for the moment between the two renames).
 * `build` receives the temp directory to fill.
 */
export async function replaceDirAtomic(dir: string, build: (tmpDir: string) => Promise<void> | void): Promise<void> {
  recoverDir(dir);
  const parent = path.dirname(path.resolve(dir));
  mkdirSync(parent, { recursive: true });
  const suffix = `${process.pid}.${randomBytes(4).toString("hex")}`;
  const tmp = path.join(parent, `.${path.basename(dir)}.new.${suffix}`);
  const old = path.join(parent, `.${path.basename(dir)}.old.${suffix}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await build(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  let hadOld = false;
  try {
    renameSync(dir, old);
    hadOld = true;
  } catch {
    /* no previous directory */
  }
  renameSync(tmp, dir);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
