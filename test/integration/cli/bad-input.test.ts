/**
 * Bad command lines found by trying the CLI as a new user would: each must exit 2 with one clear message that
 * names the flag or file, never a stack trace, never exit 0 or 1.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { copyPack, runCli, tempDir } from "./helpers.ts";

function badInput(args: string[], names: RegExp): void {
  const r = runCli(args);
  assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  assert.match(r.stderr, names, args.join(" "));
  assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, `${args.join(" ")}: stack trace\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, args.join(" "));
}

const CARD = ["--samples", "3000", "--classes", "7", "--candidates", "50"];

describe("option parsing: exit 2 naming the flag", () => {
  test("--seed abc", () => badInput(["recommend", ...CARD, "--seed", "abc"], /--seed/));
  test("--top abc, 0, -3", () => {
    for (const v of ["abc", "0", "-3"]) badInput(["explain", "--top", v], /--top/);
  });
  test('--models ""', () => badInput(["recommend", ...CARD, "--models", ""], /--models/));
  // chat and serve take the local model's flags as recommend does (they were missing there: "unknown option").
  test("chat --llm-context 0, serve --llm-threads 0", () => {
    badInput(["chat", "--llm", "model.gguf", "--llm-context", "0"], /--llm-context: not a positive integer: 0/);
    badInput(["serve", "--port", "0", "--state-dir", tempDir("hporec-serve-"), "--llm", "model.gguf", "--llm-threads", "0"], /--llm-threads: not a positive integer: 0/);
  });
  test("--group =a,b", () => badInput(["importance", "--dataset-id", "BCT", "--game", "sensitivity", "--group", "=a,b"], /--group/));
  test("--space-out <a folder>", () => {
    const dir = tempDir("hporec-bad-");
    badInput(["recommend", ...CARD, "--space-out", dir], /--space-out/);
    badInput(["explain", "--space-out", dir], /--space-out/);
  });
  test("--space-out / --plot onto the card read, or onto a file of another kind: refused, the file kept", () => {
    const dir = tempDir("hporec-bad-");
    const card = path.join(dir, "card.yaml");
    const text = "samples: 3000\nclasses: 7\nimageSize: 224\nchannels: 3\n";
    writeFileSync(card, text);
    badInput(["recommend", "--dataset", card, "--space-out", card], /--space-out: .*card\.yaml is also an input of this command: writing it would replace it\s+fix: name another file, e\.g\. --space-out .*card-out\.json/);
    badInput(["importance", "--dataset", card, "--game", "ablation", "--config", '{"lr": 0.001}', "--plot", card], /--plot: .*card\.yaml is also an input/);
    const notes = path.join(dir, "notes.txt");
    writeFileSync(notes, "mine");
    badInput(["explain", "--space-out", notes], /--space-out: .*notes\.txt exists and is not a \.json file/);
    assert.equal(readFileSync(card, "utf8"), text);
    assert.equal(readFileSync(notes, "utf8"), "mine");
  });
  test("batch <a header alone> or <an empty file>: no card, exit 2", () => {
    const dir = tempDir("hporec-bad-");
    writeFileSync(path.join(dir, "h.csv"), "name,samples,classes\n");
    writeFileSync(path.join(dir, "e.jsonl"), "");
    badInput(["batch", path.join(dir, "h.csv")], /h\.csv: no dataset card in it\s+fix: a CSV needs a header and one line per dataset/);
    badInput(["batch", path.join(dir, "e.jsonl")], /e\.jsonl: no dataset card in it/);
  });
  test("batch <a folder>", () => badInput(["batch", tempDir("hporec-bad-")], /is a folder|not a file/));
  test("index --embed-model <not a GGUF>", () => {
    const file = path.join(tempDir("hporec-bad-"), "model.gguf");
    writeFileSync(file, "this is not a GGUF file");
    badInput(["index", "--pack", copyPack(), "--embed-model", file], /--embed-model/);
  });
  test("--fix lr=100: outside the space, naming the range", () => badInput(["recommend", ...CARD, "--fix", "lr=100"], /lr = 100 is outside the space/));
  test("--fix given twice for one hyperparameter, --members beyond the pack's ensemble", () => {
    badInput(["recommend", ...CARD, "--fix", "batch_size=8", "--fix", "batch_size=16"], /--fix: batch_size is fixed twice \(8 and 16\)/);
    badInput(["importance", "--dataset-id", "BCT", "--game", "ablation", "--members", "9"], /--members 9: the pack has 5 ensemble members\s+fix: a number from 1 to 5/);
  });
  test("eval flags of one mode given without it (--parallel without --trials, --jobs without --nested): refused, not ignored", () => {
    // Refused before any data is read (a missing --test folder would be the error otherwise, never a long run).
    const noData = ["--test", path.join(tempDir("hporec-bad-"), "none")];
    badInput(["eval", ...noData, "--parallel", "3"], /--parallel: --parallel only acts with --trials[\s\S]*fix: add --trials/);
    badInput(["eval", ...noData, "--learn", "local=0.5", "--study-experts", "cards"], /--learn: --learn, --study-experts only act with --trials/);
    badInput(["eval", ...noData, "--jobs", "1", "--grid", "acceptable"], /--grid: --grid, --jobs only act with --nested[\s\S]*fix: add --nested/);
    badInput(["eval", ...noData, "--head-weight", "0.5"], /--head-weight: --head-weight only acts with --head acceptable \(or --nested\)[\s\S]*fix: add --head acceptable/);
    // In their mode they pass the check: the error is then the missing --test folder.
    badInput(["eval", ...noData, "--head", "acceptable", "--head-weight", "0.5", "--accept-threshold", "0.2"], /--test: meta-dataset folder not found/);
    badInput(["eval", ...noData, "--nested", "--head-weight", "0.5"], /--test: meta-dataset folder not found/);
  });
  test("--models no_such_model", () => badInput(["recommend", ...CARD, "--exclude-models", "no_such_model"], /no_such_model/));
});

describe("judge input", () => {
  test("a file of {} lines: exit 2, nothing to judge", () => {
    const file = path.join(tempDir("hporec-judge-"), "empty.jsonl");
    writeFileSync(file, "{}\n{}\n");
    badInput(["judge", file], /no recommendation to judge/);
  });

  test("a file that is not there: exit 2, naming it and what to pass", () => {
    const file = path.join(tempDir("hporec-judge-"), "answers.jsonl");
    badInput(["judge", file], /answers\.jsonl: cannot read the file[\s\S]*fix: pass hporec batch output/);
  });

  test("a saved POST /v1/recommend response is judged", () => {
    const dir = tempDir("hporec-judge-");
    const rec = runCli(["recommend", ...CARD, "--json"]);
    assert.equal(rec.status, 0, rec.stderr);
    const response = { recommendation: JSON.parse(rec.stdout), judge: {}, assumptions: [] };
    const file = path.join(dir, "response.jsonl");
    writeFileSync(file, JSON.stringify(response) + "\n");
    const r = runCli(["judge", file, "--json"]);
    assert.equal(r.status, 0, r.stderr);
    const ev = JSON.parse(r.stdout);
    assert.equal(ev.judged, 1);
    assert.equal(ev.passed, 1, JSON.stringify(ev.failures));
  });
});

test("explain | head -1 (a reader that has gone): no EPIPE trace, a quiet exit", () => {
  // `true` closes the pipe before hporec writes, so every write meets EPIPE, as after `head -1` has its line.
  for (const args of ["explain", "explain --json"]) {
    const r = spawnSync("bash", ["-c", `node ${path.resolve("bin/hporec.js")} ${args} | true; exit \${PIPESTATUS[0]}`], { encoding: "utf8", env: { ...process.env, HPOREC_PROGRESS: "0" } });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/, r.stderr);
  }
});

describe("train --out", () => {
  test("an existing folder that is not a pack is never replaced (exit 2 naming it), unless --force", () => {
    const dir = tempDir("hporec-train-out-");
    const mine = path.join(dir, "my-project");
    mkdirSync(mine);
    writeFileSync(path.join(mine, "notes.txt"), "precious");
    badInput(["train", "--data", "medquicktune", "--out", mine], new RegExp(`${mine}.*not a pack|not a pack.*${mine}`, "s"));
    assert.equal(runCli(["train", "--out", path.join(mine, "notes.txt")]).status, 2, "an existing file is not replaced by a folder");
  });

  test("without --out: exit 2 asking for it (never a folder inside the checkout)", () => badInput(["train", "--data", "medquicktune"], /--out/));
});

describe("a meta-dataset folder that is not there", () => {
  test("exit 2 naming the flag it came from and the names inside HPOREC_DATA", () => {
    const root = tempDir("hporec-data-root-");
    mkdirSync(path.join(root, "my-history"));
    const cases: [string[], string][] = [
      [["eval", "--test", "nope"], "--test"],
      [["eval", "--train", "nope"], "--train"],
      [["train", "--data", "nope", "--out", path.join(tempDir("hporec-train-"), "pack")], "--data"],
      [["data", "check", "nope"], "argument <dir>"],
    ];
    for (const [args, flag] of cases) {
      const r = runCli(args, { HPOREC_DATA: root });
      assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${flag.replace(/[<>]/g, ".")}: meta-dataset folder not found: "nope"`), args.join(" "));
      assert.match(r.stderr, /fix: .*inside HPOREC_DATA=.* \(my-history\)/, args.join(" "));
    }
    // Without HPOREC_DATA the fix names the variable alone: no command takes the data root as a flag.
    const r = runCli(["eval", "--test", "nope"], { HPOREC_DATA: "" });
    assert.match(r.stderr, /fix: pass a folder path, or set HPOREC_DATA to the folder holding the meta-datasets/);
    assert.doesNotMatch(r.stderr, /or --data\)/);
  });
});
