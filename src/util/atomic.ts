import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

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

/**
 * Builds a directory under a temp name beside `dir`, then swaps it in with renames, so an interrupted build
 * leaves the previous directory intact. `build` receives the temp directory to fill.
 */
export async function replaceDirAtomic(dir: string, build: (tmpDir: string) => Promise<void> | void): Promise<void> {
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
