import { test } from "node:test";
import assert from "node:assert/strict";
import { SKIPPED_NO_OPTUNA, runTpe, tpeBaselines, tpeTable, type TpeDataset, type TpeTable } from "../../../src/eval/optuna-tpe.ts";
import { candidateView, runSeconds } from "../../../src/eval/ranker.ts";
import { fixture } from "../../unit/eval/fixtures.ts";

function datasets(nDatasets: number, runs: number): TpeDataset[] {
  const md = fixture(nDatasets, runs, 5);
  return md.datasets.map((d) => {
    const rs = md.runs.filter((r) => r.datasetId === d.id);
    return {
      datasetId: d.id,
      candidates: rs.map(candidateView),
      outcomes: rs.map((r) => ({ id: r.id, y: r.outcome.best, seconds: runSeconds(r) })),
      searchSpace: md.searchSpace,
    };
  });
}

test("the table: model and varying hyperparameters, log scale from the space or the value span", () => {
  const [d] = datasets(1, 40);
  const t = tpeTable({ ...d, searchSpace: undefined });
  const col = (name: string) => t.columns.find((c) => c.name === name)!;
  const isLog = (name: string, table = t) => {
    const c = table.columns.find((x) => x.name === name)!;
    return c.kind === "numeric" && c.log;
  };
  assert.deepEqual(col("model"), { name: "model", kind: "categorical", choices: ["convnext", "resnet", "vit"] });
  assert.equal(isLog("lr"), true, "lr spans 4 decades: log");
  assert.equal(isLog("batch_size"), false, "8..256 spans 32x (< 100x): linear without the space");
  assert.equal(col("momentum"), undefined, "momentum is 0.9 or missing: no variation among present values");
  assert.deepEqual(col("opt"), { name: "opt", kind: "categorical", choices: ["adam", "sgd"] });
  assert.equal(isLog("batch_size", tpeTable(d)), true, "the search space says log");
  assert.equal(t.rows.length, 40);
  assert.equal(t.rows[0].y, d.outcomes[0].y);
});

test("a missing Python gives a clear skip, not a failure", async () => {
  const [b] = await tpeBaselines(datasets(1, 20), { python: "/nonexistent/python3", seeds: 1 });
  assert.equal(b.kind, "skipped");
  assert.match(b.kind === "skipped" ? b.reason : "", /^skipped: .*apt-get install python3-optuna/);
});

test("Optuna TPE on a small table: runs, and N = 20 is at least as good as N = 10 on average", async (t) => {
  const result = await tpeBaselines(datasets(2, 40), { seeds: 4 });
  if (result[0].kind === "skipped") {
    // CI installs python3-optuna: there a skip would hide a broken baseline.
    if (process.env.CI === "true") assert.fail(`TPE must run in CI: ${result[0].reason}`);
    assert.equal(result[0].reason, SKIPPED_NO_OPTUNA);
    return t.skip(result[0].reason);
  }
  assert.deepEqual(result.map((b) => b.name), ["optuna-tpe-10", "optuna-tpe-20"]);
  const [ten, twenty] = result;
  assert.ok(ten.kind === "expected" && twenty.kind === "expected");
  assert.equal(ten.datasets.length, 2);
  for (const d of [...ten.datasets, ...twenty.datasets]) {
    assert.ok(d.score <= 1 && Number.isFinite(d.score));
    assert.ok(d.regret >= 0 && d.regret <= 1);
  }
  assert.ok(twenty.aggregate.score.mean >= ten.aggregate.score.mean, `${twenty.aggregate.score.mean} < ${ten.aggregate.score.mean}`);

  // Each seed evaluates distinct candidates, min(trials, n) of them, reproducibly.
  const small = datasets(1, 12).map(tpeTable);
  const opts = { trials: 20, seeds: 2, startupTrials: 5, python: "/usr/bin/python3" };
  const a = await runTpe(small, opts);
  const b = await runTpe(small, opts);
  assert.ok(a.ok && b.ok);
  const picks = a.picks.get("d0")!;
  for (const p of picks) {
    assert.equal(p.length, 12);
    assert.equal(new Set(p).size, 12);
  }
  assert.deepEqual(picks, b.picks.get("d0"), "seeded: the same picks twice");
});

test("parallel TPE: a batch is asked before any of it is told, so a batch's outcomes cannot steer its own picks", async (t) => {
  const [table] = datasets(1, 30).map(tpeTable);
  const opts = { trials: 12, seeds: 3, startupTrials: 3, python: "/usr/bin/python3" };
  const run = async (tables: TpeTable[], parallel: number) => {
    const r = await runTpe(tables, { ...opts, parallel });
    if (!r.ok && process.env.CI === "true") assert.fail(`TPE must run in CI: ${r.reason}`);
    return r.ok ? r.picks : undefined;
  };
  // Per seed, the same table except that the run that seed asks for fourth (with k = 3, the first of its second
  // batch) is told a much better outcome: whatever TPE asks after that run is told may differ, nothing before.
  const lifted = (picks: string[][]) =>
    picks.map((p, seed) => ({ ...table, key: `seed${seed}`, rows: table.rows.map((r) => (r.id === p[3] ? { ...r, y: r.y + 1000 } : r)) }));
  const three = (await run([table], 3))?.get(table.key);
  if (!three) return t.skip(SKIPPED_NO_OPTUNA);
  const one = (await run([table], 1))!.get(table.key)!;
  const threeLifted = (await run(lifted(three), 3))!;
  const oneLifted = (await run(lifted(one), 1))!;
  let movedSequential = 0;
  for (let seed = 0; seed < opts.seeds; seed++) {
    const batch = threeLifted.get(`seed${seed}`)![seed];
    assert.deepEqual(batch.slice(0, 6), three[seed].slice(0, 6), `seed ${seed}: the second batch (asks 4–6) is fixed before the fourth run is told`);
    assert.equal(new Set(batch).size, batch.length, "never a run twice");
    const seq = oneLifted.get(`seed${seed}`)![seed];
    assert.deepEqual(seq.slice(0, 4), one[seed].slice(0, 4));
    if (seq[4] !== one[seed][4] || seq[5] !== one[seed][5]) movedSequential++;
  }
  // Control: one worker is told the fourth run at once, and the lift moves its fifth or sixth ask on some seed.
  assert.ok(movedSequential > 0, "with one worker the lifted fourth run changes what TPE asks next");
});
