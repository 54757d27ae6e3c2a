import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Recommendation } from "../../../src/recommend/schema.ts";
import { copyPack, runCli, runCliWith } from "./helpers.ts";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "die-during-index.ts");

/** The pack still recommends from a complete index, and no temp folder of the dead rebuild is left. */
function assertUsable(pack: string, docstoreBefore: string) {
  const r = runCli(["recommend", "--pack", pack, "--samples", "3000", "--classes", "7", "--candidates", "100", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Recommendation.parse(JSON.parse(r.stdout)).similarDatasets.length > 0);
  assert.equal(readFileSync(path.join(pack, "index", "docstore.json"), "utf8"), docstoreBefore);
  assert.deepEqual(readdirSync(pack).filter((f) => f.startsWith(".")), []);
}

for (const moment of ["save", "swap"] as const) {
  test(`index: a rebuild killed at the ${moment} leaves the previous index usable`, () => {
    const pack = copyPack();
    const before = readFileSync(path.join(pack, "index", "docstore.json"), "utf8");
    process.env.HPOREC_TEST_DIE = moment;
    const r = runCliWith(["--import", "tsx", "--import", FIXTURE], ["index", "--pack", pack]);
    delete process.env.HPOREC_TEST_DIE;
    assert.equal(r.signal, "SIGKILL", `the rebuild was not interrupted: ${r.stderr}`);
    const leftovers = readdirSync(pack).filter((f) => f.startsWith(".index."));
    assert.ok(leftovers.length > 0, "the kill left the rebuild's temp folder behind");
    if (moment === "swap") assert.equal(existsSync(path.join(pack, "index")), false); // moved aside, restored on load
    assertUsable(pack, before);
  });
}

test("index: an uninterrupted rebuild of the same pack gives the same documents", () => {
  const pack = copyPack();
  const before = readFileSync(path.join(pack, "index", "docstore.json"), "utf8");
  const r = runCli(["index", "--pack", pack, "--json"]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).documents > 0);
  assertUsable(pack, before);
});
