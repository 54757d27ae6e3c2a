import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { evaluate } from "../../../src/eval/protocol.ts";
import { portfolioRanker } from "../../../src/eval/portfolio.ts";
import { REPORT_FILES, writeReport } from "../../../src/eval/report.ts";
import { summariseDraws } from "../../../src/eval/draws.ts";
import { EvaluationResult } from "../../../src/eval/types.ts";
import { fixture } from "./fixtures.ts";

test("the report renders: files, SVG plots, one table row per dataset", async () => {
  const md = fixture(4, 25);
  const result = await evaluate({ train: md, makeRanker: portfolioRanker((c) => String(c.hyperparameters.opt)), tpe: false });
  result.baselines.push({ name: "optuna-tpe", kind: "skipped", reason: "skipped: python3-optuna not installed (apt-get install python3-optuna)" });
  const dir = mkdtempSync(path.join(tmpdir(), "hporec-report-"));
  try {
    writeFileSync(path.join(dir, "keep.txt"), "a file of the user's");
    await writeReport(dir, result);
    for (const f of Object.values(REPORT_FILES)) assert.ok(existsSync(path.join(dir, f)), f);
    assert.ok(existsSync(path.join(dir, "keep.txt")), "other files in the folder survive");
    for (const f of [REPORT_FILES.scores, REPORT_FILES.randomSearch, REPORT_FILES.cost]) {
      const svg = readFileSync(path.join(dir, f), "utf8");
      assert.match(svg, /<svg[\s>]/);
      assert.match(svg, /<\/svg>\s*$/);
    }
    assert.match(readFileSync(path.join(dir, REPORT_FILES.scores), "utf8"), /hporec/, "the legend names the methods");
    const md_ = readFileSync(path.join(dir, REPORT_FILES.markdown), "utf8");
    const perDataset = md_.split("## Per dataset")[1].split("## Plots")[0];
    const rows = perDataset.split("\n").filter((l) => /^\| d\d /.test(l));
    assert.deepEqual(rows.map((l) => l.split("|")[1].trim()), ["d0", "d1", "d2", "d3"]);
    const summary = md_.split("## Summary")[1].split("## Per dataset")[0];
    for (const name of ["hporec", "portfolio", "random-search-1", "random-search-20"]) assert.match(summary, new RegExp(`\\| ${name} \\|`));
    assert.match(md_, /optuna-tpe: skipped: python3-optuna not installed/);
    for (const f of [REPORT_FILES.scores, REPORT_FILES.randomSearch, REPORT_FILES.cost]) assert.ok(md_.includes(`](${f})`));
    assert.deepEqual(EvaluationResult.parse(JSON.parse(readFileSync(path.join(dir, REPORT_FILES.json), "utf8"))), result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("with --draws the report gives each draw's figures and their mean", async () => {
  const md = fixture(4, 25);
  const one = await evaluate({ train: md, makeRanker: portfolioRanker((c) => String(c.hyperparameters.opt)), tpe: false });
  const other = await evaluate({ train: md, makeRanker: portfolioRanker((c) => c.model), tpe: false });
  const result: EvaluationResult = { ...one, draws: summariseDraws([0, 100], [one.hporec.datasets, other.hporec.datasets]) };
  const dir = mkdtempSync(path.join(tmpdir(), "hporec-report-draws-"));
  try {
    await writeReport(dir, result);
    const text = readFileSync(path.join(dir, REPORT_FILES.markdown), "utf8");
    const section = text.split("## Over 2 seed draws")[1].split("## Per dataset")[0];
    const f3 = (x: number) => x.toFixed(3);
    assert.match(section, new RegExp(`\\| 0 \\| ${f3(one.hporec.aggregate.top1.mean)} \\|`));
    assert.match(section, new RegExp(`\\| 100 \\| ${f3(other.hporec.aggregate.top1.mean)} \\|`));
    assert.match(section, new RegExp(`\\| \\*\\*mean\\*\\* \\| ${f3((one.hporec.aggregate.top1.mean + other.hporec.aggregate.top1.mean) / 2)} \\[`));
    assert.deepEqual(EvaluationResult.parse(JSON.parse(readFileSync(path.join(dir, REPORT_FILES.json), "utf8"))).draws, result.draws);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
