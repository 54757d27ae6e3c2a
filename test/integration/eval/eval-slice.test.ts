import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { EvaluationResult } from "../../../src/eval/types.ts";
import { renderEvaluation } from "../../../src/cli/commands/eval.ts";
import { dataDir } from "../../helpers/env.ts";

const dir = dataDir("quicktune-extended");
const SLICE = ["BCT", "BRD", "CRS"];

describe("hporec eval on a Quick-Tune slice (real CLI)", { skip: !dir && "quicktune-extended data not available", timeout: 120_000 }, () => {
  it("ranks held-out runs better than random search with one evaluation, with every baseline", (t) => {
    const r = spawnSync(
      process.execPath,
      [
        "bin/hporec.js", "eval", "--train", dir!, "--datasets", SLICE.join(","),
        "--seeds", "2", "--rounds", "80", "--tpe-seeds", "1", "--json",
      ],
      { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "0", HPOREC_DATA: path.dirname(dir!) }, timeout: 110_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const raw = JSON.parse(r.stdout) as Record<string, unknown>;
    const { seconds, ...rest } = raw;
    const res = EvaluationResult.parse(rest);
    t.diagnostic(`eval slice took ${seconds as number} s`);

    assert.equal(res.mode, "leave-one-dataset-out");
    assert.deepEqual(res.hporec.datasets.map((d) => d.datasetId).sort(), [...SLICE].sort());
    for (const d of res.hporec.datasets) {
      assert.ok(d.rankedRunIds.length >= 20, `${d.datasetId}: ranked ids kept`);
      assert.equal(new Set(d.rankedRunIds).size, d.rankedRunIds.length);
      assert.ok(d.top1 <= d.top3 && d.top3 <= d.top5 && d.top5 <= 1 + 1e-9);
      assert.ok(d.regret >= 0 && d.regret <= 1);
      assert.equal(d.catastrophic, d.regret > 0.3);
      assert.ok(d.cost.accuracyGivenUp >= 0);
    }
    const names = res.baselines.map((b) => b.name);
    for (const n of ["portfolio", "meta-learner", "random-search-1", "random-search-5", "random-search-10", "random-search-20"]) assert.ok(names.includes(n), n);
    assert.ok(names.some((n) => n.startsWith("optuna-tpe")), "TPE baseline (run or skipped with a reason)");

    const rs1 = res.baselines.find((b) => b.name === "random-search-1");
    assert.ok(rs1 && rs1.kind === "expected");
    const a = res.hporec.aggregate;
    t.diagnostic(`hporec top1 ${a.top1.mean.toFixed(3)} top3 ${a.top3.mean.toFixed(3)}; random N=1 ${rs1.aggregate.score.mean.toFixed(3)}`);
    assert.ok(a.top3.mean >= rs1.aggregate.score.mean, "hporec top-3 beats one random evaluation");
    assert.ok(a.top1.mean > rs1.aggregate.score.mean, "hporec top-1 beats one random evaluation");

    // The text table gives each dataset's pick in random-search evaluations, as the JSON's randomSearchN says.
    const text = renderEvaluation(res, seconds as number).split("\n");
    for (const d of res.hporec.datasets) {
      const row = text.find((l) => l.trimStart().startsWith(`${d.datasetId} `));
      assert.ok(row, `${d.datasetId} row`);
      assert.equal(row.trim().split(/\s+/).at(-1), d.randomSearchN === null ? "-" : String(d.randomSearchN), row);
    }
  });

  it("--draws k reports the mean over k seed draws, and each draw is the evaluation with that first seed", () => {
    const run = (...extra: string[]) => {
      const r = spawnSync(process.execPath, ["bin/hporec.js", "eval", "--train", dir!, "--datasets", "BCT,CRS", "--seeds", "2", "--rounds", "40", "--no-tpe", "--json", ...extra], {
        encoding: "utf8",
        env: { ...process.env, HPOREC_PROGRESS: "0" },
        timeout: 110_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const file = path.join(out, `${extra.join("")}.json`);
      writeFileSync(file, r.stdout);
      const { seconds: _, ...rest } = JSON.parse(r.stdout) as Record<string, unknown>;
      return { ...EvaluationResult.parse(rest), file };
    };
    const out = mkdtempSync(path.join(os.tmpdir(), "hporec-draws-"));
    const both = run("--draws", "2", "--first-seed", "3");
    const second = run("--first-seed", "103");
    const w = both.draws!;
    assert.deepEqual(w.firstSeeds, [3, 103]);
    // The first draw is the result around it; the second is what --first-seed 103 alone gives.
    assert.equal(w.perDraw[0].top1, both.hporec.aggregate.top1.mean);
    assert.equal(w.perDraw[1].top1, second.hporec.aggregate.top1.mean);
    assert.equal(w.perDraw[1].catastrophic, second.hporec.aggregate.catastrophic);
    assert.ok(Math.abs(w.top1.mean - (w.perDraw[0].top1 + w.perDraw[1].top1) / 2) < 1e-12);
    assert.equal(second.draws, undefined);

    // hporec compare reads the draws file per dataset (mean of its two draws) against the second draw alone.
    const cmp = spawnSync(process.execPath, ["bin/hporec.js", "compare", second.file, both.file, "--json"], { encoding: "utf8" });
    assert.equal(cmp.status, 0, cmp.stderr);
    const c = JSON.parse(cmp.stdout);
    const top1 = c.metrics.find((m: { name: string }) => m.name === "top-1");
    const perDataset = both.hporec.datasets.map((d) => (d.top1 + second.hporec.datasets.find((x) => x.datasetId === d.datasetId)!.top1) / 2 - second.hporec.datasets.find((x) => x.datasetId === d.datasetId)!.top1);
    assert.ok(Math.abs(top1.difference - perDataset.reduce((a, b) => a + b, 0) / perDataset.length) < 1e-12, JSON.stringify(top1));
    assert.match(c.basis.candidate, /mean of 2 draws/);
    // The same pair given twice, or a file against itself, is refused: its datasets would count twice.
    const twice = spawnSync(process.execPath, ["bin/hporec.js", "compare", second.file, both.file, second.file, both.file], { encoding: "utf8" });
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /is given twice: its datasets would count twice/);
    const itself = spawnSync(process.execPath, ["bin/hporec.js", "compare", both.file, both.file], { encoding: "utf8" });
    assert.equal(itself.status, 2);
    assert.match(itself.stderr, /is compared with itself/);
    // Two pairs pooled (copies of the same results, e.g. two regimes holding the same datasets): each id is told
    // apart and the difference is the one above.
    const [second2, both2] = [path.join(out, "second2.json"), path.join(out, "both2.json")];
    copyFileSync(second.file, second2);
    copyFileSync(both.file, both2);
    const pooled = spawnSync(process.execPath, ["bin/hporec.js", "compare", second.file, both.file, second2, both2, "--json"], { encoding: "utf8" });
    assert.equal(pooled.status, 0, pooled.stderr);
    const p = JSON.parse(pooled.stdout);
    assert.deepEqual([...p.datasets].sort(), ["BCT (1)", "BCT (2)", "CRS (1)", "CRS (2)"]);
    assert.ok(Math.abs(p.metrics.find((m: { name: string }) => m.name === "top-1").difference - top1.difference) < 1e-12);
    const odd = spawnSync(process.execPath, ["bin/hporec.js", "compare", second.file, both.file, second.file], { encoding: "utf8" });
    assert.equal(odd.status, 2);
    assert.match(odd.stderr, /3 files given: pairs need an even number/);
    const missing = spawnSync(process.execPath, ["bin/hporec.js", "compare", second.file, path.join(out, "nope.json")], { encoding: "utf8" });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.json: evaluation result not found/);
  });

  it("rejects an unknown dataset id with exit code 2", () => {
    const r = spawnSync(process.execPath, ["bin/hporec.js", "eval", "--train", dir!, "--datasets", "NOPE", "--no-tpe"], {
      encoding: "utf8",
      env: { ...process.env, HPOREC_PROGRESS: "0" },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /NOPE/);
  });

  it("rejects --min-epochs beyond the runs' length with exit code 2, naming the datasets left without a pool", () => {
    // Quick-Tune extended's runs last at most 50 epochs.
    const r = spawnSync(process.execPath, ["bin/hporec.js", "eval", "--train", dir!, "--datasets", "BCT,CRS", "--min-epochs", "51", "--no-tpe"], {
      encoding: "utf8",
      env: { ...process.env, HPOREC_PROGRESS: "0" },
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /fewer than 2 runs of at least 51 epochs on dataset\(s\) BCT, CRS/);
    assert.match(r.stderr, /--min-epochs/);
  });
});
