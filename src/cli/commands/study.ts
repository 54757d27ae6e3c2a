import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { loadEngine } from "../../recommend/engine.ts";
import { checkRequest, packContext, type RequestContext } from "../../recommend/request.ts";
import { loadPack, type Pack } from "../../learner/pack.ts";
import { readCsv, readText } from "../../metadata/io.ts";
import type { Recommender } from "../../recommend/recommender.ts";
import { answerJson, askStudy, optunaParams, studyView, type StudyAnswer, type StudyBelief } from "../../study/session.ts";
import { FAILURES, Study, TellInput, forget, newStudy, runningConfigs, studyPack, studyRequest, tellMany, type Trial } from "../../study/study.ts";
import { withFileLock, writeFileAtomic, writeJsonAtomic } from "../../util/atomic.ts";
import { renderSvg } from "../../plot/render.ts";
import { bestSoFar, progressSpec } from "../../study/progress.ts";
import { ConflictError, InputError } from "../../util/errors.ts";
import { anyMarkedDriver, counted, fmt, formatDriver, shownDrivers, TRAINING_LENGTH_MARK } from "../../util/format.ts";
import { formatZodError } from "../../util/zod-format.ts";
import { addConstraintOptions, constraintsFromFlags, type ConstraintFlags } from "../constraint-options.ts";
import { addDatasetOptions, datasetFromFlags, type DatasetFlags } from "../dataset-input.ts";
import { intOption, numberOption } from "../options.ts";
import { checkOutFile, checkOutKind } from "../out-file.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { action, printJson } from "../run.ts";
import { defined } from "../../util/object.ts";

export function studyCommand(): Command {
  return new Command("study")
    .description("learn from your own results: ask for configurations, tell how they went, ask again (a study file per dataset)")
    .addCommand(newCommand())
    .addCommand(askCommand())
    .addCommand(tellCommand())
    .addCommand(showCommand())
    .addCommand(forgetCommand())
    .addHelpText(
      "after",
      "\nA study starts from the zero-shot recommendation; every result you tell re-weights the past datasets by how well\n" +
        "each one ranks your results, so the next suggestions follow the datasets yours really resembles.\n\n" +
        "A configuration asked and not told yet is running: the next ask leaves it out (parallel workers never get the\n" +
        "same one); tell its result or failure, or ask with --include-running to get a lost worker's run back.\n\n" +
        "Example:\n  hporec study new --dataset card.yaml --out study.json\n  hporec study ask study.json --n 3\n" +
        "  hporec study tell study.json --config s123 --value 71.2 --seconds 3600\n  hporec study tell study.json --config s77 --failed oom\n" +
        "  hporec study tell study.json --csv results.csv\n  hporec study show study.json --plot progress.svg\n  hporec study forget study.json t3          # take back a result told wrong",
    );
}

function newCommand(): Command {
  const cmd = new Command("new").description("start a study for a new dataset").requiredOption("--out <file>", "the study file to write (JSON)").option("--pack <dir>", PACK_HELP).option("--force", "replace an existing study file")
    .option("--candidates <n>", "configurations sampled from the search space (plus winners of similar datasets)", intOption("--candidates", 10, 200000), 2000);
  addDatasetOptions(cmd);
  addConstraintOptions(cmd);
  return cmd.option("--json", "print the study as JSON, as POST /v1/studies and study show --json give it ({study, belief, running})").action(
    action(async (o: DatasetFlags & ConstraintFlags & { out: string; pack?: string; force?: boolean; json?: boolean; candidates: number }) => {
      checkOutFile(o.out, "--out");
      if (existsSync(o.out) && !o.force) throw new InputError(`${o.out} exists`, "--out", "name a new file, or add --force to start over");
      const { recommender } = await loadEngine(resolvePackDir(o.pack));
      const dataset = datasetFromFlags(o);
      const request = { dataset, constraints: constraintsFromFlags(o, recommender.pack.space.models), objective: o.objective, riskAversion: o.risk, prior: o.prior, seed: o.seed, samples: o.candidates };
      const study = newStudy(randomUUID(), studyPack(recommender.pack), studyRequest(checkRequest(request, packContext(recommender.pack))));
      writeJsonAtomic(o.out, study);
      if (o.json) return printJson(await studyView(recommender, study));
      process.stdout.write(`study ${study.id} written to ${o.out} (pack ${study.pack}); next: hporec study ask ${o.out}\n`);
    }),
  );
}

function askCommand(): Command {
  return new Command("ask")
    .description("the next configuration(s) to run, learned from the results told so far (recorded in the study file)")
    .argument("<study>", "study file")
    .option("--n <k>", "configurations at once (for parallel workers; diverse, not near-copies)", intOption("--n", 1, 100), 1)
    .option("--include-running", "offer again configurations asked and not told yet (a lost worker's run); by default they are running and left out")
    .option("--pack <dir>", PACK_HELP)
    .option("--json", "print the answer as JSON (the fields of POST /v1/studies/{id}/ask)")
    .option("--optuna", "print the suggestions as Optuna enqueue_trial parameter dicts (one JSON object per line)")
    .action(
      action(async (file: string, o: { n: number; includeRunning?: boolean; pack?: string; json?: boolean; optuna?: boolean }) => {
        const recommender = await studyRecommender(readStudy(file), o.pack);
        // Workers asking at once take turns, so each sees the others' suggestions as running.
        const r = await changeStudy(file, (study) => askStudy(recommender, study, o.n, o.includeRunning ? { running: [] } : {}));
        if (o.optuna) return void process.stdout.write(r.answer.suggestions.map((s) => JSON.stringify(optunaParams(s))).join("\n") + "\n");
        if (o.json) return printJson(answerJson(r.answer));
        process.stdout.write(renderAnswer(r.answer, file));
      }),
    );
}

interface TellFlags {
  config?: string;
  value?: number;
  seconds?: number;
  failed?: (typeof FAILURES)[number];
  reason?: string;
  trialId?: string;
  csv?: string;
  pack?: string;
  json?: boolean;
}

function tellCommand(): Command {
  return new Command("tell")
    .description("record a result (or a failure) of a configuration; told again with the same --trial-id and result, it counts once (with another result: refused)")
    .argument("<study>", "study file")
    .option("--config <id|json>", 'a suggested candidate id, or the configuration as JSON {"model": ..., "hyperparameters": {...}}, or as the Optuna params ask --optuna prints {"model": ..., "lr": ...}; one given in part is the running suggestion that agrees on every value given, when exactly one does')
    .option("--value <x>", "the metric you measured, in the pack's units (e.g. 71.2 for top-1 accuracy in %)", numberOption("--value", -1e12, 1e12))
    .option("--seconds <s>", "training time in seconds", numberOption("--seconds", 0, 1e10))
    .addOption(new Option("--failed <kind>", "the run failed: oom rules out the model (and larger models: more parameters, at least its input resolution) at that batch size and larger, diverged that learning rate and larger (told by id, or with them in the JSON); other counts as the worst result").choices([...FAILURES]))
    .option("--reason <text>", "what happened (kept with the trial)")
    .option("--trial-id <id>", "your id for this run: telling it again changes nothing")
    .option("--csv <file>", "tell many results, one per line (the file's form below); told again as it grows, rows already in the study count once")
    .option("--pack <dir>", `${PACK_HELP}; read to check a configuration given as JSON or by columns`)
    .option("--json", "print the told trials as JSON")
    .addHelpText(
      "after",
      "\nA results CSV for --csv: a header, then one result per line; separated by commas, semicolons (then 71,2 is\n" +
        "71.2) or tabs; header names in any case (Trial ID = trial_id). config is a suggested id, or the configuration\n" +
        "as JSON in double quotes with its quotes doubled:\n" +
        "  config,value,seconds,failed,reason,trial_id\n  BCT-39,71.2,3600,,,run-1\n  ACT_410-4,,,oom,CUDA out of memory,run-2\n" +
        '  "{""model"": ""volo_d1_384"", ""hyperparameters"": {""lr"": 0.001, ""batch_size"": 32}}",68.4,900,,,run-3\n' +
        "or, instead of config, model and a column per hyperparameter:\n  model,lr,batch_size,value\n  volo_d1_384,0.001,32,68.4",
    )
    .action(
      action(async (file: string, o: TellFlags) => {
        if (o.csv) refuseResultFlags(o);
        const inputs = o.csv ? csvInputs(o.csv) : [{ where: "flags", input: flagInput(o) }];
        // Suggested ids are the pack's own configurations; a configuration written out is checked against its space.
        const ctx = inputs.some(({ input }) => typeof input.config !== "string") ? studyPackContext(readStudy(file), o.pack) : undefined;
        // Workers telling at once take turns, so each one's result is kept.
        const { study, told, duplicates, warnings } = await changeStudy(file, (read) => {
          // A results CSV is told again as it grows: a row without a trial id that is already in the study (the same
          // configuration and result) counts once, as a row with one does. Counted, so repeated runs in it still add.
          const known = new Map<string, number>();
          for (const t of read.trials) known.set(resultKey(t), (known.get(resultKey(t)) ?? 0) + 1);
          const toldAgain = ({ trial, input }: { trial: Trial; input: TellInput }) => {
            const k = resultKey(trial);
            if (!o.csv || input.trialId !== undefined || !known.get(k)) return false;
            known.set(k, known.get(k)! - 1);
            return true;
          };
          const r = byFlag(() => tellMany(read, inputs, ctx, toldAgain), !o.csv);
          const warnings = r.warnings.map((w) => `${w.trial.id}${o.csv ? ` (${w.where})` : ""}: ${w.text}; if it is wrong: hporec study forget ${file} ${w.trial.id}`);
          return { ...r, warnings };
        });
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        // trials: the study's count, as POST /v1/studies/{id}/tell and study forget --json give it.
        if (o.json) return printJson({ told, duplicates, trials: study.trials.length, warnings });
        process.stdout.write(`${counted(told.length, "result")} told${duplicates ? `, ${duplicates} already in the study (same trial id, or the same configuration and result; ignored)` : ""}; ${study.trials.length} in the study. Next: hporec study ask ${file}\n`);
      }),
    );
}

function showCommand(): Command {
  return new Command("show")
    .description("the trials, the best so far, and what hporec now believes about the dataset and why")
    .argument("<study>", "study file")
    .option("--pack <dir>", PACK_HELP)
    .option("--plot <out.svg>", "write the best value so far after each trial (and each trial's value) as an SVG plot")
    .option("--json", "print as JSON")
    .action(
      action(async (file: string, o: { pack?: string; plot?: string; json?: boolean }) => {
        if (o.plot) checkOutKind(o.plot, "--plot", ".svg", [file]);
        const study = readStudy(file);
        const view = await studyView(await studyRecommender(study, o.pack), study);
        if (o.plot) writeFileAtomic(o.plot, await renderSvg(progressSpec(bestSoFar(study.trials, study.direction), study.direction, 560)));
        if (o.json) return printJson({ ...view, ...(o.plot ? { plot: o.plot } : {}) });
        process.stdout.write(renderShow(study, view.belief) + (o.plot ? `\nplot: ${o.plot}\n` : ""));
      }),
    );
}

function forgetCommand(): Command {
  return new Command("forget")
    .description("take back a told result (a value typed wrong, a run told to the wrong study): the study learns as if it was never told")
    .argument("<study>", "study file")
    .argument("<trial>", "the trial's id, as hporec study show lists it (t1, t2, … or your --trial-id)")
    .option("--json", "print the forgotten trial as JSON")
    .action(
      action(async (file: string, trialId: string, o: { json?: boolean }) => {
        const r = await changeStudy(file, (study) => forget(study, trialId, "<trial>"));
        if (o.json) return printJson({ forgotten: r.trial, trials: r.study.trials.length });
        const what = r.trial.value === null ? `failed ${r.trial.failed}` : fmt(r.trial.value);
        process.stdout.write(`forgot ${r.trial.id} (${what}, ${r.trial.config.model}); ${r.study.trials.length} in the study. Next: hporec study ask ${file}\n`);
      }),
    );
}

function readStudy(file: string): Study {
  if (!existsSync(file)) throw new InputError(`no study file ${file}`, "<study>", "create one with hporec study new --out <file>");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new InputError(`${file} is not JSON (${(e as Error).message})`, "<study>", "give a file written by hporec study new");
  }
  const parsed = Study.safeParse(raw);
  if (!parsed.success) throw new InputError(`${file} is not a study file:\n${formatZodError(parsed.error)}`, "<study>", "give a file written by hporec study new");
  return parsed.data;
}

/**
 * Reads the study, changes it and writes it back holding its lock: two commands changing one study file at once
 * (parallel workers) would otherwise both read the same version, and the later write would drop the other's change.
 */
async function changeStudy<R extends { study: Study }>(file: string, change: (study: Study) => R | Promise<R>): Promise<R> {
  readStudy(file); // a missing or broken file is refused before a lock is left beside it
  return withFileLock(file, async () => {
    const r = await change(readStudy(file));
    writeJsonAtomic(file, r.study);
    return r;
  });
}

async function studyRecommender(study: Study, pack?: string): Promise<Recommender> {
  const { recommender } = await loadEngine(resolvePackDir(pack));
  checkStudyPack(study, recommender.pack);
  return recommender;
}

/** The space and models of the study's pack (loaded without its index and LLM: enough to check a configuration). */
function studyPackContext(study: Study, pack?: string): RequestContext {
  const p = loadPack(resolvePackDir(pack));
  checkStudyPack(study, p);
  return packContext(p);
}

function checkStudyPack(study: Study, pack: Pack): void {
  if (pack.manifest.name !== study.pack)
    throw new InputError(`the study was created with pack ${study.pack}, not ${pack.manifest.name}`, "--pack", `pass the pack folder of ${study.pack}`);
  checkRequest(study.request, packContext(pack));
}

const RESULT_FLAGS: [keyof TellFlags, string][] = [["config", "--config"], ["value", "--value"], ["seconds", "--seconds"], ["failed", "--failed"], ["reason", "--reason"], ["trialId", "--trial-id"]];

/** With --csv every result is the file's: a flag of one result would be ignored while the user thinks it counted. */
function refuseResultFlags(o: TellFlags): void {
  const idle = RESULT_FLAGS.filter(([key]) => o[key] !== undefined).map(([, flag]) => flag);
  if (idle.length)
    throw new InputError(`${idle.join(", ")} ${idle.length > 1 ? "are" : "is"} not read with --csv: every result comes from the file`, idle[0], "put it in the CSV as a column (config, value, seconds, failed, reason, trial_id), or tell that result on its own without --csv");
}

function flagInput(o: TellFlags): TellInput {
  const config = o.config;
  if (!config) throw new InputError("which configuration?", "--config", "give a suggested id (hporec study ask prints them) or the configuration as JSON, or --csv <file>");
  return parseTell({ trialId: o.trialId, config: configArg(config, "--config"), value: o.value, seconds: o.seconds, failed: o.failed, reason: o.reason }, undefined, flagPath);
}

const FLAG_OF: Record<string, string> = Object.fromEntries(RESULT_FLAGS);

/** A result's field as the flag it was told by: "config.model" is "--config (model)". */
function flagPath(path: string): string {
  const [field, ...rest] = path.split(".");
  return `${FLAG_OF[field] ?? field}${rest.length ? ` (${rest.join(".")})` : ""}`;
}

/** Runs `f` (with `on`), locating an error at a result told by flags ("flags.config.model") by its flag. */
function byFlag<T>(f: () => T, on = true): T {
  try {
    return f();
  } catch (e) {
    if (!on || !(e instanceof InputError) || !e.where?.startsWith("flags.")) throw e;
    const where = flagPath(e.where.slice("flags.".length));
    throw e instanceof ConflictError ? new ConflictError(e.code, e.message, where, e.hint) : new InputError(e.message, where, e.hint);
  }
}

function configArg(v: string, where: string): TellInput["config"] {
  if (!v.trim().startsWith("{")) return v.trim();
  try {
    return JSON.parse(v);
  } catch (e) {
    throw new InputError(`the configuration is not valid JSON (${(e as Error).message})`, where, '{"model": "...", "hyperparameters": {"lr": 0.001}}');
  }
}

function parseTell(raw: Record<string, unknown>, where?: string, pathName?: (path: string) => string): TellInput {
  const input = defined(raw);
  const r = TellInput.safeParse(input);
  if (!r.success) throw new InputError(`invalid result:\n${formatZodError(r.error, undefined, input, pathName)}`, where);
  return r.data;
}

/** A told result without its id and time: what a CSV row told again has in common with the trial it made. */
const resultKey = (t: Trial) =>
  JSON.stringify([t.config.model, Object.entries(t.config.hyperparameters).sort(([a], [b]) => (a < b ? -1 : 1)), t.value, t.seconds, t.failed ?? null, t.reason ?? null]);

const RESULT_COLUMNS = new Set(["config", "model", "value", "seconds", "failed", "reason", "trial_id"]);

/** A result column's name as a spreadsheet may spell it (Config, Trial ID, trialId, trial-id); other names as written. */
function resultColumn(name: string): string {
  const bare = name.trim().toLowerCase().replace(/[\s_-]+/g, "");
  return [...RESULT_COLUMNS].find((c) => c.replace("_", "") === bare) ?? name.trim();
}

/**
 * The CSV's field separator: by extension for .tsv, else a header with no comma but semicolons (a spreadsheet saved
 * where the decimal separator is a comma) or tabs is read that way.
 */
function csvDelimiter(file: string): string {
  if (/\.tsv$/i.test(file)) return "\t";
  const header = readText(file, "results CSV").replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
  if (header.includes(",")) return ",";
  return header.includes(";") ? ";" : header.includes("\t") ? "\t" : ",";
}

/** One TellInput per CSV row; numbers in hyperparameter columns become numbers, empty cells are left out. */
function csvInputs(file: string): { where: string; input: TellInput }[] {
  if (!existsSync(file)) throw new InputError(`no file ${file}`, "--csv");
  const delimiter = csvDelimiter(file);
  const t = readCsv(file, "results CSV", delimiter);
  // A column without a name is pandas' row index (to_csv without index=False; "Unnamed: 0" once read back): not read.
  const read = t.header.flatMap((h, j) => (/^(unnamed: ?\d+)?$/i.test(h.trim()) ? [] : [j]));
  const cols = read.map((j) => resultColumn(t.header[j]));
  // Rows of empty cells (",,,": a spreadsheet's blank rows) are no result.
  const rows = t.rows.map((cells, i) => ({ line: t.lines[i], row: Object.fromEntries(cols.map((c, k) => [c, cells[read[k]].trim()])) })).filter(({ row }) => Object.values(row).some((v) => v !== ""));
  if (!rows.length) throw new InputError(`${file} has no rows`, "--csv", "a header line and one line per result");
  if (!cols.includes("config") && !cols.includes("model")) throw new InputError(`${file} has neither a config nor a model column (its columns: ${cols.join(", ")})`, "--csv", "columns: config (suggested id or JSON) or model + hyperparameter columns, then value, seconds, failed, reason, trial_id");
  // Beside a config column every other column is a result's: one it does not know would be dropped unread ("secs").
  const unknown = cols.includes("config") ? cols.filter((c) => c !== "config" && !RESULT_COLUMNS.has(c)) : [];
  if (unknown.length) throw new InputError(`${file}: unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`, "--csv", `beside config, the columns are ${[...RESULT_COLUMNS].filter((c) => c !== "model" && c !== "config").join(", ")}`);
  // Where commas do not separate the fields (semicolons, tabs), a comma is the decimal separator (71,2).
  const decimal = (v: string) => (delimiter !== "," && /^-?\d+,\d+$/.test(v) ? v.replace(",", ".") : v);
  const num = (v: string | undefined) => (v === undefined || v === "" ? undefined : Number.isFinite(Number(decimal(v))) ? Number(decimal(v)) : v);
  const cell = (v: string) => (v === "true" ? true : v === "false" ? false : (num(v) ?? v));
  return rows.map(({ line, row }) => {
    const where = `${file} line ${line}`;
    const hps = Object.fromEntries(cols.filter((c) => !RESULT_COLUMNS.has(c) && row[c] !== "").map((c) => [c, cell(row[c])]));
    const config = row.config ? configArg(row.config, `${where}: config`) : { model: row.model, hyperparameters: hps };
    return { where, input: parseTell({ trialId: row.trial_id || undefined, config, value: num(row.value), seconds: num(row.seconds), failed: row.failed?.toLowerCase() || undefined, reason: row.reason || undefined }, where) };
  });
}

function renderAnswer(a: StudyAnswer, file: string): string {
  const lines = [a.belief.explanation, ""];
  for (const [i, s] of a.suggestions.entries()) {
    const gain = s.expectedGain === null ? "" : `, expected gain ${fmt(s.expectedGain)}`;
    lines.push(`${i + 1}. ${s.candidateId}: ${s.model}  (predicted ${fmt(s.predicted.metric)} [${fmt(s.predicted.interval[0])}, ${fmt(s.predicted.interval[1])}]${gain}; zero-shot rank ${s.zeroShotRank + 1})`);
    lines.push(`   ${Object.entries(s.hyperparameters).map(([k, v]) => `${k}=${fmt(v as number)}`).join(" ")}`);
    const drivers = shownDrivers(s.drivers).map((d) => formatDriver(d, { mark: true }));
    if (drivers.length) lines.push(`   driven by ${drivers.join(", ")}; evidence ${s.evidence.map((e) => e.id).join(", ")}`);
  }
  if (anyMarkedDriver(a.suggestions)) lines.push(TRAINING_LENGTH_MARK);
  for (const w of a.warnings) lines.push(`warning: ${w}`);
  lines.push("", `tell a result: hporec study tell ${file} --config ${a.suggestions[0]?.candidateId ?? "<id>"} --value <metric>`);
  return lines.join("\n") + "\n";
}

function renderShow(study: Study, b: StudyBelief): string {
  const lines = [`study ${study.id} (pack ${study.pack}); ${study.trials.length} trial(s), ${study.asked.length} suggestion(s) made`, ""];
  for (const t of study.trials)
    lines.push(`  ${t.id.padEnd(10)} ${(t.value === null ? `failed ${t.failed}${t.reason ? ` (${t.reason})` : ""}` : fmt(t.value)).padEnd(24)} ${t.config.model}${t.candidateId ? ` [${t.candidateId}]` : ""}${t.seconds !== null ? `, ${Math.round(t.seconds)} s` : ""}`);
  const running = runningConfigs(study);
  if (running.length) lines.push("", `  running (asked, no result told yet; not suggested again): ${running.map((a) => `${a.candidateId} (${a.model})`).join(", ")}`);
  lines.push("", b.explanation);
  if (b.pairs > 0) lines.push("", `  weights: zero-shot ${fmt(b.zeroShotWeight)}; ${b.similarDatasets.map((d) => `${d.id} ${fmt(d.weight)} (${counted(d.concordant, "pair")} right, ${d.discordant} wrong)`).join("; ")}`);
  return lines.join("\n") + "\n";
}
