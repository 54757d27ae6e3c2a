/**
 * `hporec study new|ask|tell|show` end to end through the real CLI and the built-in pack: the first ask is the
 * recommendation itself, told results are never suggested again, an out-of-memory run rules out its model at
 * that batch size and larger, a trial id told twice counts once, and bad input exits 2 naming the field.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runCli, startCli, tempDir } from "../cli/helpers.ts";

const CARD = ["--samples", "3000", "--classes", "30", "--image-size", "224", "--candidates", "200"];

function ok(args: string[]) {
  const r = runCli(args);
  assert.equal(r.status, 0, `${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

test("a study asks the zero-shot pick first, learns from told results and failures, and keeps them on disk", () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  // --json: the study as POST /v1/studies and study show --json give it, before any ask.
  const created = JSON.parse(ok(["study", "new", ...CARD, "--out", file, "--json"]));
  assert.deepEqual(created, JSON.parse(ok(["study", "show", file, "--json"])));
  assert.deepEqual([created.study.id, created.belief.trials, created.running], [JSON.parse(readFileSync(file, "utf8")).id, 0, []]);
  const first = JSON.parse(ok(["study", "ask", file, "--json"]));
  const rec = JSON.parse(ok(["recommend", ...CARD, "--json"]));
  assert.equal(first.suggestions[0].candidateId, rec.recommendation.candidateId);
  assert.deepEqual(first.suggestions[0].hyperparameters, rec.recommendation.hyperparameters);
  // The first suggestion states the recommendation's own drivers and evidence; the others their own.
  assert.deepEqual(first.suggestions[0].drivers, rec.drivers);
  assert.deepEqual(first.suggestions[0].evidence, rec.evidence);
  // The fields of POST /v1/studies/{id}/ask: each suggestion's Optuna params too.
  assert.deepEqual(first.suggestions[0].optuna, { model: first.suggestions[0].model, ...first.suggestions[0].hyperparameters });

  // The first suggestion is running (asked, not told): left out, unless asked for again with --include-running.
  const running = JSON.parse(ok(["study", "ask", file, "--json"]));
  assert.notEqual(running.suggestions[0].candidateId, first.suggestions[0].candidateId);
  assert.match(running.warnings.join("\n"), new RegExp(`1 running configuration \\(asked, no result told yet\\) left out: ${first.suggestions[0].candidateId}; .*--include-running`));
  const three = JSON.parse(ok(["study", "ask", file, "--n", "3", "--include-running", "--json"])).suggestions;
  const [a, b, c] = three;
  // In text, a driver whose effect in the past runs is training length is marked (*), and the mark explained once.
  const text = ok(["study", "ask", file, "--n", "3", "--include-running"]);
  const marked = three.flatMap((s: { drivers: { name: string; value: string; caveat?: string }[] }) => s.drivers.slice(0, 3).filter((d) => d.caveat));
  assert.ok(marked.length > 0, "the built-in pack's suggestions are driven by linear_probing or batch_size");
  for (const d of marked) assert.match(text, new RegExp(`${d.name} = ${d.value} \\([-+][\\d.]+\\) \\(\\*\\)`));
  assert.equal(text.split("\n").filter((l) => l.startsWith("(*) ")).length, 1, text);
  // The next command as it is typed, on this study file (as tell's and forget's "Next:").
  assert.ok(text.endsWith(`\ntell a result: hporec study tell ${file} --config ${a.candidateId} --value <metric>\n`), text.slice(-200));
  assert.ok(b.drivers.length > 0 && b.evidence.some((e: { id: string }) => e.id.startsWith("model:")), JSON.stringify(b.evidence));
  assert.notDeepEqual(b.drivers, a.drivers, "each suggestion is explained on its own");
  assert.equal(a.candidateId, first.suggestions[0].candidateId);
  const csv = path.join(dir, "results.csv");
  writeFileSync(csv, `config,value,seconds,trial_id\n${a.candidateId},71.2,3600,run-1\n${a.candidateId},71.2,3600,run-1\n`);
  assert.match(ok(["study", "tell", file, "--csv", csv]), /1 result told, 1 already in the study/);
  ok(["study", "tell", file, "--config", b.candidateId, "--failed", "oom", "--reason", "CUDA out of memory"]);

  const next = JSON.parse(ok(["study", "ask", file, "--n", "5", "--json"]));
  const ids = next.suggestions.map((s: { candidateId: string }) => s.candidateId);
  assert.ok(!ids.includes(a.candidateId) && !ids.includes(b.candidateId), ids.join(","));
  // c is still running: not suggested again, and listed by show.
  assert.ok(!ids.includes(c.candidateId), ids.join(","));
  assert.match(ok(["study", "show", file]), new RegExp(`\n {2}running \\(asked, no result told yet; not suggested again\\): .*${c.candidateId} \\(`));
  for (const s of next.suggestions)
    if (s.model === b.model) assert.ok(s.hyperparameters.batch_size < b.hyperparameters.batch_size, `${s.candidateId} repeats the out-of-memory batch size`);
  assert.equal(next.belief.trials, 2);
  assert.equal(next.belief.failures, 1);
  assert.match(next.belief.explanation, /Best so far: 71\.2/);

  const shown = JSON.parse(ok(["study", "show", file, "--json"]));
  assert.deepEqual(shown.study.trials.map((t: { id: string }) => t.id), ["run-1", "t2"]);
  assert.equal(JSON.parse(readFileSync(file, "utf8")).trials.length, 2);

  // Bad input: exit 2 with the field named, the file untouched.
  const before = readFileSync(file, "utf8");
  const secs = path.join(dir, "secs.csv");
  writeFileSync(secs, `config,value,secs\n${a.candidateId},70,3600\n`);
  for (const [args, field] of [
    [["study", "tell", file, "--csv", secs], /--csv: .*secs\.csv: unknown column secs\n {2}fix: beside config, the columns are value, seconds/],
    // A result told by flags is located by its flag, not by the field behind it (flags.config).
    [["study", "tell", file, "--config", "no-such-id", "--value", "3"], /^hporec: --config: no suggestion with id "no-such-id"/m],
    [["study", "tell", file, "--config", '{"model":5}', "--value", "3"], /^hporec: invalid result:\n--config: give a suggested id .*; got \{"model":5\}/m],
    [["study", "tell", file, "--config", a.candidateId, "--value", "60", "--failed", "oom"], /^hporec: --value: a failed run has no value \(got 60\)/m],
    // A result's flag beside --csv would be ignored.
    [["study", "tell", file, "--csv", csv, "--trial-id", "run-9", "--seconds", "60"], /--seconds, --trial-id are not read with --csv: every result comes from the file\n {2}fix: put it in the CSV as a column/],
    [["study", "tell", file, "--config", a.candidateId], /value/],
    [["study", "tell", file, "--config", "{bad json", "--value", "3"], /--config/],
    // An unset shell variable (--value "$ACC") is not a result of 0.
    [["study", "tell", file, "--config", a.candidateId, "--value", ""], /--value must be a number .*got ""/],
    [["study", "tell", file, "--config", a.candidateId, "--value", "71", "--seconds", " "], /--seconds must be a number/],
    // A configuration written out is checked against the pack's space, as `recommend --fix` is.
    [["study", "tell", file, "--config", '{"model":"nope","hyperparameters":{}}', "--value", "60"], /--config \(model\): unknown model "nope"/],
    [["study", "tell", file, "--config", '{"model":"volo_d1_384","hyperparameters":{"lr":"fast"}}', "--value", "60"], /--config \(hyperparameters\.lr\): lr = "fast" is not a number/],
    [["study", "ask", path.join(dir, "missing.json")], /no study file/],
    [["eval", "--trials", "0,3"], /--trials must be comma-separated whole numbers/],
  ] as [string[], RegExp][]) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, field);
  }
  assert.equal(readFileSync(file, "utf8"), before);

  // An oom told without its batch size rules nothing out: the tell says so, and the belief does not count it as ruling.
  const bare = runCli(["study", "tell", file, "--config", `{"model":"${b.model}","hyperparameters":{"lr":0.001}}`, "--failed", "oom"]);
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stderr, /warning: t3: failed oom told without its batch size: it rules out no other configuration/);
  const explained = JSON.parse(ok(["study", "show", file, "--json"])).belief.explanation;
  // A running suggestion told back as its Optuna params (an Optuna trial's params): it is that suggestion, no longer running.
  const told = JSON.parse(ok(["study", "tell", file, "--config", JSON.stringify(c.optuna), "--value", "69.5", "--json"])).told[0];
  assert.equal(told.candidateId, c.candidateId);
  assert.ok(!JSON.parse(ok(["study", "show", file, "--json"])).running.some((r: { candidateId: string }) => r.candidateId === c.candidateId));
  assert.match(explained, / 1 failed run rules out similar configurations \(out of memory: the same model, or a larger one \(more parameters, at least its input resolution\), at that batch size or larger\)\. 1 other failed run counts as the worst result, ruling out no other configuration\./);
});

test("results that come out as predicted keep the zero-shot order; one that falls short lets the past datasets lead", () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  ok(["study", "new", ...CARD, "--out", file]);
  type Suggestion = { candidateId: string; zeroShotRank: number; predicted: { metric: number } };
  const asked: Suggestion[] = JSON.parse(ok(["study", "ask", file, "--n", "4", "--json"])).suggestions;
  // Each result above its own prediction, and better the lower the zero-shot model placed it: the zero-shot model
  // orders every pair wrongly, so past datasets outweigh it.
  let value = 0;
  for (const s of [...asked].sort((a, b) => a.zeroShotRank - b.zeroShotRank)) {
    value = Math.max(value, s.predicted.metric) + 0.5;
    ok(["study", "tell", file, "--config", s.candidateId, "--value", value.toFixed(2)]);
  }
  const kept = JSON.parse(ok(["study", "ask", file, "--json"]));
  assert.ok(kept.belief.similarDatasets[0].weight > kept.belief.zeroShotWeight, JSON.stringify(kept.belief));
  assert.match(kept.belief.explanation, /none fell short of what hporec predicted/);
  const told = new Set(asked.map((s) => s.zeroShotRank));
  let next = 0;
  while (told.has(next)) next++;
  assert.equal(kept.suggestions[0].zeroShotRank, next, "the next suggestion is the zero-shot ranking's next");

  // A result far below its prediction: the zero-shot model is wrong about this dataset, the past datasets lead.
  ok(["study", "tell", file, "--config", kept.suggestions[0].candidateId, "--value", "1"]);
  const led = JSON.parse(ok(["study", "ask", file, "--json"]));
  // The answer says which result made the difference, against its prediction.
  const predicted = kept.suggestions[0].predicted.metric;
  assert.ok(predicted > 1, String(predicted));
  const said = /these past datasets now look most like yours: .*, now that t5 came out at 1 where hporec predicted ([\d.]+)\./.exec(led.belief.explanation);
  assert.ok(said && Math.abs(Number(said[1]) - predicted) < 0.05, led.belief.explanation);
});

test("a value told on another scale is warned about, and `study forget` takes it back", () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  ok(["study", "new", ...CARD, "--out", file]);
  const [a, b] = JSON.parse(ok(["study", "ask", file, "--n", "2", "--json"])).suggestions;
  const right = runCli(["study", "tell", file, "--config", a.candidateId, "--value", "71.2"]);
  assert.equal(right.stderr, "", "71.2 is on the past runs' scale");
  const wrong = runCli(["study", "tell", file, "--config", b.candidateId, "--value", "0.712", "--json"]);
  assert.equal(wrong.status, 0, wrong.stderr);
  const hint = `if it is wrong: hporec study forget ${file} t2`;
  assert.match(wrong.stderr, /^warning: t2: 0\.712 looks like a fraction: top1_accuracy in the past runs goes from [\d.]+ to 100, so 71\.2 % is told as 71\.2/);
  assert.ok(wrong.stderr.trimEnd().endsWith(hint), wrong.stderr);
  assert.equal(JSON.parse(wrong.stdout).warnings.length, 1);
  assert.equal(JSON.parse(wrong.stdout).trials, 2, "the study's count, as the HTTP tell answers it");

  assert.match(ok(["study", "forget", file, "t2"]), new RegExp(`^forgot t2 \\(0\\.712, ${b.model}\\); 1 in the study`));
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")).trials.map((t: { value: number }) => t.value), [71.2]);
  const again = runCli(["study", "forget", file, "t2"]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /no trial "t2" in this study/);
  assert.match(again.stderr, /one of: t1/);
  ok(["study", "tell", file, "--config", b.candidateId, "--value", "71.9"]);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")).trials.map((t: { id: string }) => t.id), ["t1", "t2"]);

  // The progress plot: the forgotten value is not in it, the two told values are.
  const svg = path.join(dir, "progress.svg");
  assert.match(ok(["study", "show", file, "--plot", svg]), new RegExp(`plot: ${svg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\n$`));
  const drawn = readFileSync(svg, "utf8");
  assert.match(drawn, /^<svg/);
  assert.match(drawn, /aria-label="trial: 2; best so far: 71\.9"/);
  assert.doesNotMatch(drawn, /0\.712/);
  assert.equal(runCli(["study", "show", file, "--plot", dir]).status, 2, "a folder is not a plot file");
});

/** Runs the CLI without waiting for it; resolves with its exit code and output once it ends. */
function started(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const p = startCli(args);
  let stdout = "";
  let stderr = "";
  p.stdout.on("data", (d) => (stdout += d));
  p.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve) => p.on("close", (status) => resolve({ status, stdout, stderr })));
}

test("parallel workers asking and telling through one study file at once: each gets its own configuration, every result is kept", async () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  ok(["study", "new", ...CARD, "--out", file]);
  const asks = await Promise.all([1, 2, 3].map(() => started(["study", "ask", file, "--json"])));
  for (const r of asks) assert.equal(r.status, 0, r.stderr);
  const ids = asks.map((r) => JSON.parse(r.stdout).suggestions[0].candidateId);
  assert.equal(new Set(ids).size, 3, `two workers got the same configuration: ${ids.join(", ")}`);
  // A configuration written out reads the pack between reading and writing the study: the widest window.
  const tells = await Promise.all(
    ["0.001", "0.005", "0.0001"].map((lr) => started(["study", "tell", file, "--config", `{"model":"volo_d1_384","hyperparameters":{"lr":${lr}}}`, "--value", "70"])),
  );
  for (const r of tells) assert.equal(r.status, 0, r.stderr);
  const study = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(study.trials.length, 3, "a result told at the same time as another was lost");
  assert.equal(study.asked.length, 3);
  assert.deepEqual(readdirSync(dir).sort(), ["study.json"], "no lock or temp file left behind");
});

test("results CSVs as spreadsheets write them: a BOM, headers spelled otherwise, blank rows, semicolons with decimal commas, quoted JSON", () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  ok(["study", "new", ...CARD, "--out", file]);
  const [a, b] = JSON.parse(ok(["study", "ask", file, "--n", "2", "--json"])).suggestions;
  const excel = path.join(dir, "excel.csv");
  writeFileSync(excel, `\uFEFFConfig,Value,Seconds,Trial ID\r\n${a.candidateId},71.2,3600,run-1\r\n,,,\r\n\r\n${b.candidateId},68.5,1800,run-2\r\n`);
  assert.match(ok(["study", "tell", file, "--csv", excel]), /^2 results told; 2 in the study/);
  const semi = path.join(dir, "semi.csv");
  writeFileSync(semi, `config;value;seconds;trialId\n"{""model"": ""volo_d1_384"", ""hyperparameters"": {""lr"": 0.001, ""batch_size"": 32}}";70,4;900,5;run-3\n`);
  ok(["study", "tell", file, "--csv", semi]);
  // pandas' to_csv writes its row index as a first column without a name.
  const pandas = path.join(dir, "pandas.csv");
  writeFileSync(pandas, `,config,value\n0,${b.candidateId},70\n`);
  ok(["study", "tell", file, "--csv", pandas]);
  // A failure as a spreadsheet user types it (OOM, Diverged).
  const [c] = JSON.parse(ok(["study", "ask", file, "--json"])).suggestions;
  const failed = path.join(dir, "failed.csv");
  writeFileSync(failed, `config,failed,reason\n${c.candidateId},OOM,CUDA out of memory\n`);
  ok(["study", "tell", file, "--csv", failed]);
  const trials = JSON.parse(readFileSync(file, "utf8")).trials;
  assert.deepEqual(
    trials.map((t: { id: string; value: number; seconds: number; failed?: string }) => [t.id, t.value, t.seconds, t.failed ?? null]),
    [["run-1", 71.2, 3600, null], ["run-2", 68.5, 1800, null], ["run-3", 70.4, 900.5, null], ["t4", 70, null, null], ["t5", null, null, "oom"]],
  );
  assert.deepEqual(trials[2].config, { model: "volo_d1_384", hyperparameters: { lr: 0.001, batch_size: 32 } });

  // A CSV that cannot be read is bad input naming its line (it was an internal error), and a line is the file's own.
  const before = readFileSync(file, "utf8");
  const open = path.join(dir, "open.csv");
  writeFileSync(open, `config,value\n"${a.candidateId},70\n`);
  const gaps = path.join(dir, "gaps.csv");
  writeFileSync(gaps, `config,value\n\n${a.candidateId},70\n\n${b.candidateId},x\n`);
  // A cell that is not what its column takes is quoted in the message.
  const pct = path.join(dir, "pct.csv");
  writeFileSync(pct, `config,value,failed\n${a.candidateId},71.2%,\n${b.candidateId},,OOM\n`);
  for (const [csv, said] of [
    [open, /open\.csv:2: unterminated quoted field/],
    [gaps, /gaps\.csv line 5: invalid result:\nvalue: the metric must be a number, e\.g\. 71\.2 .*; got "x"/],
    [pct, /pct\.csv line 2: invalid result:\nvalue: .*; got "71\.2%"/],
  ] as const) {
    const r = runCli(["study", "tell", file, "--csv", csv]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, said);
  }
  assert.equal(readFileSync(file, "utf8"), before);
});

test("a results CSV told again as it grows adds only its new rows, trial ids or not; repeated runs in it still count", () => {
  const dir = tempDir("hporec-study-");
  const file = path.join(dir, "study.json");
  ok(["study", "new", ...CARD, "--out", file]);
  const [a, b] = JSON.parse(ok(["study", "ask", file, "--n", "2", "--json"])).suggestions;
  const csv = path.join(dir, "results.csv");
  // Two seeds of one configuration with the same outcome are two results.
  writeFileSync(csv, `config,value,seconds\n${a.candidateId},71.2,3600\n${a.candidateId},71.2,3600\n`);
  assert.match(ok(["study", "tell", file, "--csv", csv]), /^2 results told; 2 in the study/);
  writeFileSync(csv, `config,value,seconds,failed\n${a.candidateId},71.2,3600,\n${a.candidateId},71.2,3600,\n${b.candidateId},,,oom\n`);
  assert.match(ok(["study", "tell", file, "--csv", csv]), /^1 result told, 2 already in the study \(.*\); 3 in the study/);
  assert.match(ok(["study", "tell", file, "--csv", csv]), /^0 results told, 3 already in the study/);
  assert.deepEqual(JSON.parse(readFileSync(file, "utf8")).trials.map((t: { value: number | null; failed?: string }) => t.value ?? t.failed), [71.2, 71.2, "oom"]);
});
