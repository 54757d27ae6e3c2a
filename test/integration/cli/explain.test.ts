import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPack } from "../../../src/learner/pack.ts";
import { ReducedSpace } from "../../../src/explain/reduced-space.ts";
import { DEFAULT_PACK, runCli } from "./helpers.ts";

test("explain --json: importance by hyperparameter name, good ranges, reduced space; --dataset-id scopes them", () => {
  const pack = loadPack(DEFAULT_PACK);
  const hps = Object.keys(pack.space.searchSpace.hyperparameters);
  const r = runCli(["explain", "--json"]);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const names: string[] = j.importance.map((i: { name: string }) => i.name);
  assert.ok(names.includes("model") && names.includes("lr"));
  assert.ok(names.every((n) => !n.includes("=")), "one-hot columns are grouped back to their hyperparameter");
  assert.ok(j.importance.every((i: { meanAbsShap: number }, k: number) => k === 0 || i.meanAbsShap <= j.importance[k - 1].meanAbsShap));
  assert.equal(j.goodRangesScope, "overall");
  assert.ok(j.goodRanges.length > 0 && j.goodRanges.every((g: { name: string }) => g.name === "model" || hps.includes(g.name)));
  const rs = ReducedSpace.parse(j.reducedSpace);
  assert.ok(Object.keys(rs.hyperparameters).length + Object.keys(rs.fixed).length <= hps.length);
  assert.ok(rs.models.every((m) => pack.space.models.includes(m)));

  const bct = JSON.parse(runCli(["explain", "--dataset", "BCT", "--json"]).stdout);
  assert.equal(bct.goodRangesScope, pack.datasets.find((d) => d.id === "BCT")!.domain);
  assert.ok(Array.isArray(bct.dataset.best));

  // In text, a good value that is one number reads as that number (linear_probing's is 0, not "0..0").
  const text = runCli(["explain"]).stdout;
  const lp = j.goodRanges.find((g: { name: string }) => g.name === "linear_probing").good[0];
  assert.equal(lp.low, lp.high);
  assert.match(text, new RegExp(`\\n  linear_probing +${lp.low} \\(\\+`));

  // The reduced space's reasons come most important first (the model, then by importance), the rest counted.
  const reasons = text.slice(text.indexOf("\nreduced search space:")).split("\n").slice(2).filter((l) => /^ {2}\w/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
  const important = j.importance.map((i: { name: string }) => i.name).filter((n: string) => n !== "model" && n in rs.rationale);
  assert.deepEqual(reasons, ["model", ...important.slice(0, reasons.length - 1)]);
  assert.match(text, new RegExp(`… ${Object.keys(rs.rationale).length - reasons.length} more \\(--top ${Object.keys(rs.rationale).length} lists them all`));

  const bad = runCli(["explain", "--dataset", "NOPE"]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--dataset: unknown past dataset "NOPE"\n  fix: one of the pack's: .*BCT/);
});

test("explain takes a past dataset as --dataset-id, as importance does (--dataset elsewhere is a new dataset's card)", () => {
  const byId = runCli(["explain", "--dataset-id", "BCT", "--json"]);
  assert.equal(byId.status, 0, byId.stderr);
  assert.deepEqual(JSON.parse(byId.stdout).dataset, JSON.parse(runCli(["explain", "--dataset", "BCT", "--json"]).stdout).dataset, "--dataset is kept as its old name");
  assert.match(runCli(["explain", "--help"]).stdout, /--dataset-id <id>/);
  const card = runCli(["explain", "--dataset-id", "card.yaml"]);
  assert.equal(card.status, 2);
  assert.match(card.stderr, /--dataset-id: unknown past dataset "card\.yaml"\n  fix: .*for a new dataset: hporec importance --dataset card\.yaml/);
  assert.equal(runCli(["explain", "--dataset-id", "BCT", "--dataset", "FLW"]).status, 2);
});
