import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { recoverDir, replaceDirAtomic, withFileLock, writeFileAtomic } from "../../../src/util/atomic.ts";
import { InputError } from "../../../src/util/errors.ts";

const tmp = () => mkdtempSync(path.join(tmpdir(), "hporec-atomic-"));
// A pid that cannot be alive: above the kernel's maximum.
const DEAD_PID = 4194305;

test("replaceDirAtomic keeps the old directory when the build throws", async () => {
  const root = tmp();
  const dir = path.join(root, "pack");
  await replaceDirAtomic(dir, (t) => writeFileSync(path.join(t, "a"), "v1"));
  await assert.rejects(
    replaceDirAtomic(dir, (t) => {
      writeFileSync(path.join(t, "a"), "half");
      throw new Error("interrupted");
    }),
    /interrupted/,
  );
  assert.equal(readFileSync(path.join(dir, "a"), "utf8"), "v1");
  assert.deepEqual(readdirSync(root), ["pack"], "no temp folder is left behind");
});

test("recoverDir restores a directory a dead process had moved aside, and removes its temp folder", () => {
  const root = tmp();
  const dir = path.join(root, "index");
  // What a process killed between the two renames leaves: no index/, the old one aside, the new one unfinished.
  mkdirSync(path.join(root, `.index.old.${DEAD_PID}.abcd`));
  writeFileSync(path.join(root, `.index.old.${DEAD_PID}.abcd`, "f"), "previous");
  mkdirSync(path.join(root, `.index.new.${DEAD_PID}.abcd`));
  recoverDir(dir);
  assert.equal(readFileSync(path.join(dir, "f"), "utf8"), "previous");
  assert.deepEqual(readdirSync(root).sort(), ["index"]);
});

test("recoverDir leaves the temp folders of a live process alone", () => {
  const root = tmp();
  const live = path.join(root, `.index.new.${process.pid}.abcd`);
  mkdirSync(live);
  recoverDir(path.join(root, "index"));
  assert.ok(existsSync(live));
});

test("writeFileAtomic replaces a file whole", () => {
  const f = path.join(tmp(), "x.json");
  writeFileAtomic(f, "one");
  writeFileAtomic(f, "two");
  assert.equal(readFileSync(f, "utf8"), "two");
  assert.deepEqual(readdirSync(path.dirname(f)), ["x.json"]);
});

test("withFileLock: holders take turns; a dead process's lock is taken over, a live one's waited for and then refused", async () => {
  const root = tmp();
  const file = path.join(root, "study.json");
  writeFileSync(file, "0");
  // Each change reads, waits, then writes: without turns both would read 0.
  const bump = () =>
    withFileLock(file, async () => {
      const n = Number(readFileSync(file, "utf8"));
      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(file, String(n + 1));
    });
  await Promise.all([bump(), bump(), bump()]);
  assert.equal(readFileSync(file, "utf8"), "3");
  assert.deepEqual(readdirSync(root), ["study.json"]);

  writeFileSync(`${file}.lock`, String(DEAD_PID));
  assert.equal(await withFileLock(file, () => "ran"), "ran");
  assert.equal(existsSync(`${file}.lock`), false);

  writeFileSync(`${file}.lock`, String(process.pid));
  await assert.rejects(withFileLock(file, () => "ran", 100), (e: unknown) => e instanceof InputError && new RegExp(`in use by process ${process.pid}`).test(e.message) && /delete .*study\.json\.lock/.test(e.hint ?? ""));
});
