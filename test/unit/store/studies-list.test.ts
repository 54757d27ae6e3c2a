/** The state store's list of studies: most recently changed first, limited, and a corrupt row moved aside, not listed. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { openSqliteStore, STATE_FILE } from "../../../src/store/sqlite-store.ts";
import { newStudy, tell, recordAsked } from "../../../src/study/study.ts";

const study = (id: string) =>
  recordAsked(newStudy(id, { pack: "p", direction: "max" }, { dataset: { name: id, metaFeatures: { n_samples: 1000, n_classes: 5 } } }), [{ candidateId: "c1", model: "m", hyperparameters: {} }]);
const pause = () => new Promise((r) => setTimeout(r, 5));

test("studies are listed most recently changed first, at most `limit`; a corrupt row is quarantined, not listed", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hporec-store-"));
  try {
    let store = openSqliteStore(dir);
    for (const id of ["a", "b", "c"]) {
      await store.studies.create(study(id));
      await pause();
    }
    await store.studies.update("a", (s) => tell(s, { config: "c1", value: 70 }).study);
    const listed = await store.studies.list(10);
    assert.deepEqual(listed.map((x) => x.study.id), ["a", "c", "b"]);
    assert.equal(listed[0].study.trials.length, 1);
    assert.deepEqual((await store.studies.list(2)).map((x) => x.study.id), ["a", "c"]);
    await store.close();

    const db = new Database(path.join(dir, STATE_FILE));
    db.prepare("INSERT INTO studies (id, updated_at, data) VALUES (?, ?, ?)").run("bad", new Date(Date.now() + 60_000).toISOString(), '{"version": 1, "id": "bad"}');
    db.close();
    const quarantined: string[] = [];
    store = openSqliteStore(dir, { onQuarantine: (q) => quarantined.push(`${q.source}/${q.id}`) });
    assert.deepEqual((await store.studies.list(10)).map((x) => x.study.id), ["a", "c", "b"]);
    assert.deepEqual(quarantined, ["studies/bad"]);
    assert.equal(await store.studies.get("bad"), undefined);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
