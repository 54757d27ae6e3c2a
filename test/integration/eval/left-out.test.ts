/**
 * A test set whose datasets cannot all be scored (real W&B micro exports, edited in a temporary copy): a dataset
 * whose runs all crashed is named as left out (--json and the text), and the others are evaluated; before, it
 * vanished without a word. (A dataset with a single run: test/unit/eval/protocol.test.ts.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { parse as parseCsv } from "csv-parse/sync";
import os from "node:os";
import path from "node:path";
import { it } from "node:test";
import { dataDir } from "../../helpers/env.ts";
import { renderEvaluation } from "../../../src/cli/commands/eval.ts";

const micro = dataDir("quicktune-micro-wandb");
const train = dataDir("quicktune-extended");

it("names the test datasets no figure includes, and evaluates the rest", { skip: !(micro && train) && "data not available", timeout: 300_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hporec-left-out-"));
  copyFileSync(path.join(micro!, "micro_meta_descriptors.json"), path.join(dir, "micro_meta_descriptors.json"));
  // The exports as records (W&B quotes fields), written back with every field quoted.
  const records: Record<string, string>[] = parseCsv(readFileSync(path.join(micro!, "AFT-MC-00.csv"), "utf8"), { columns: true });
  const of = (ds: string) => records.filter((r) => r.dataset.endsWith(`/${ds}`));
  // BCT: every run crashed; SPT and FLW as exported.
  const crashed: Record<string, string>[] = of("BCT").map((r) => ({ ...r, State: "crashed" }));
  const kept = [...crashed, ...of("SPT"), ...of("FLW")];
  const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
  const columns = Object.keys(records[0]);
  writeFileSync(path.join(dir, "AFT-MC-00.csv"), [columns, ...kept.map((r) => columns.map((c) => r[c]))].map((row) => row.map(quote).join(",")).join("\n") + "\n");
  const env = { ...process.env, HPOREC_PROGRESS: "0", HPOREC_DATA: path.dirname(train!) };
  const args = ["bin/hporec.js", "eval", "--train", train!, "--test", dir, "--seeds", "1", "--rounds", "40", "--no-tpe"];
  const r = spawnSync(process.execPath, [...args, "--json"], { encoding: "utf8", env, timeout: 280_000 });
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.deepEqual(res.hporec.datasets.map((d: { datasetId: string }) => d.datasetId).sort(), ["FLW", "SPT"]);
  assert.equal(res.leftOut.length, 1);
  assert.equal(res.leftOut[0].datasetId, "BCT");
  assert.match(res.leftOut[0].reason, new RegExp(`^no usable run: ${crashed.length} crashed$`));
  assert.match(renderEvaluation(res, res.seconds), /\n {2}left out of every figure: BCT \(no usable run: \d+ crashed\)\n/);
});
