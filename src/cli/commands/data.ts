import { Command, Option } from "commander";
import { resolveDataDir } from "../data-path.ts";
import { intOption } from "../options.ts";
import { action, printJson } from "../run.ts";
import { writeJsonAtomic } from "../../util/atomic.ts";
import { formats, loadHistory, loadMetaDataset, type LoadOptions } from "../../metadata/load.ts";
import { IMPORT_FORMATS, importHistory } from "../../metadata/import.ts";
import { writeSaved } from "../../metadata/saved.ts";
import { checkAgainst, type CheckReport } from "../../metadata/check.ts";
import { readReference } from "../../metadata/reference.ts";
import { resolvePackDir } from "../pack-path.ts";
import { env } from "../../config.ts";
import { summarize, type MetaDatasetSummary } from "../../metadata/summary.ts";
import { describeDataset, type DatasetDescription } from "../../metadata/describe/index.ts";
import { DEFAULT_MAX_IMAGES_PER_CLASS } from "../../metadata/describe/image-folder.ts";
import type { Hyperparameter } from "../../metadata/schema.ts";

const DIR_HELP = "meta-dataset folder, or a name inside HPOREC_DATA (default: quicktune-extended)";

/** `hporec data …`: inspect meta-datasets, describe new datasets, write search spaces. */
export function dataCommand(): Command {
  const data = new Command("data").description("import run histories (W&B, Optuna, MLflow, CSV), inspect and check meta-datasets, describe new datasets, write search spaces");

  data
    .command("inspect")
    .description("summarise a meta-dataset: datasets, runs, models, hyperparameters, outcome per dataset, missing values")
    .argument("[dir]", DIR_HELP)
    .addOption(formatOption())
    .option("--search-space <file>", "JSON search space replacing the inferred one (validated)")
    .option("--json", "print the full summary as JSON")
    .addHelpText("after", `
Formats (auto-detected from file names):
  saved         a folder written by hporec data import (hporec-meta-dataset.json): runs, failures, import report
  quicktune     configs.csv + curves_perf_top1.json + curves_cost_seconds.json + meta_descriptors.json
  medquicktune  meta.csv + config.csv + curve.csv + cost.csv (aligned on the index column)
  hpob          solutions.json + schemas.json + datasets.json (HPO-B top-5 experience pool)
  generic       your own runs (CSV/TSV/JSONL) + hporec-mapping.yaml|json, e.g.
                  file: trials.csv            # Optuna trials_dataframe() export
                  dataset: dataset
                  model: params_model
                  metaFeatures: [n_samples, n_classes]
                  hyperparameters: {prefix: "params_"}
                  metric: {column: value, name: accuracy, direction: max}
                  cost: duration_seconds
                  status: state

Examples:
  $ hporec data inspect                                   # quicktune-extended in HPOREC_DATA
  $ hporec data inspect medquicktune --json
  $ hporec data inspect ./my-history --format generic
  $ hporec data inspect data/micro                        # an import: runs, failures and skipped rows per reason
  $ hporec data inspect quicktune-extended --search-space space.json`)
    .action(action((dir: string | undefined, o: { format: string; searchSpace?: string; json?: boolean }) => {
      const { metaDataset, ...history } = loadHistory(resolveDataDir(dir), loadOptions(o));
      const s = summarize(metaDataset, history);
      if (o.json) printJson(s);
      else process.stdout.write(renderSummary(s));
    }));

  data
    .command("import")
    .description("import a run history (W&B, Optuna, MLflow, CSV/JSONL, Quick-Tune, ...) into a saved meta-dataset folder")
    .argument("<source...>", "export files or folders: W&B CSV exports, sqlite:///study.db, an mlruns folder, a runs CSV/JSONL, a meta-dataset folder")
    .addOption(new Option("--format <format>", "source format (detected when omitted)").choices(["auto", ...IMPORT_FORMATS]).default("auto"))
    .option("--mapping <file>", "YAML/JSON mapping: which columns are the dataset, metric, hyperparameters, ... (see below)")
    .option("--study <name>", "Optuna: import only this study (default: every study of the storage)")
    .requiredOption("--out <dir>", "folder to write, atomically (an earlier import there is replaced; any other folder is left alone)")
    .option("--json", "print the import report as JSON")
    .addHelpText("after", `
The folder written (hporec-meta-dataset.json, format version 1) is accepted wherever a meta-dataset is:
data inspect/check/space, train --data, eval --train/--test. Its runs are the results only; runs that crashed,
failed, were killed or pruned, logged no metric or stopped before their budget are kept apart as failures,
and skipped rows are counted per reason (hporec data inspect <dir> shows both).

Mapping keys (all optional where the format knows the answer; every key is checked, typos are named):
  dataset: {column: dataset, rename: ['^.*/', '']}    dataset id column, regex rename (or {value: my-data})
  model: model                                         model column (default: "model" if present, else one model)
  metaFeatures: {table: meta.json, columns: [n_samples, n_classes, image_size, channels]}
                                                       side table keyed by dataset id (JSON or CSV), or columns:
                                                       [n_samples, n_classes] / {n_samples: rows} / {prefix: mf_}
  domain: {table: meta-album}                          built-in Meta-Album table, a side table, a column, {value: x}
  modality: {value: image}
  metric: {column: eval_top1, name: top1_accuracy, direction: max, use: last|best, nonFinite: failed|skip|error}
  cost: Runtime                                        seconds per run (W&B Runtime, Optuna duration by default)
  status: State                                        finished/complete -> result; crashed/failed/killed/pruned
                                                       -> failure; running/queued -> skipped
  epochs: {configured: epochs, last: epoch}            a result must reach its budget (last 0-based epoch)
  filter: {test_mode: false}                           keep only rows with these values
  hyperparameters: {like: models/default}              the columns a pack (or space.json, or meta-dataset) knows,
                                                       written in its spelling (true -> 1, "[0,0.99]" -> "[0.0, 0.99]");
                                                       or [lr, batch_size] / {prefix: params_} / {exclude: [...]};
                                                       left out: the columns that vary within a dataset
  values: {clip_grad: {'': -1}}                        value aliases per hyperparameter ('' = empty cell)
  derive: {data_augmentation: {from: [auto_augment, random_augment, trivial_augment], else: None}}
                                                       a categorical from flag columns: the first set one wins
  set: {amp: 0}                                        a hyperparameter with one value for every run

Formats (detected from the files when --format is left out):
  wandb   W&B run-table CSV exports (one or more, columns may differ); Name, State, Runtime, ... known;
          Quick-Tune's micro exports (beside micro_meta_descriptors.json) take metadata/examples/wandb-micro.yaml
          when --mapping is left out, and every command reads their folder in place (eval --test <folder>)
  optuna  an Optuna RDB storage: sqlite:///path/study.db (or the .db file); one dataset per study
  mlflow  an MLflow file store: the mlruns folder (experiments/<run>/{params,metrics,tags,meta.yaml})
  csv, tsv, jsonl   a runs table (needs a mapping)
  ${formats().filter((f) => f !== "generic" && f !== "wandb").join(", ")}   meta-dataset folders as data inspect reads them

Examples:
  $ hporec data import ../shared/metadata/quicktune-micro-wandb --format wandb \\
      --mapping metadata/examples/wandb-micro.yaml --out data/micro
  $ hporec data import sqlite:///study.db --study resnet-cifar --out data/cifar
  $ hporec data import mlruns --mapping mlflow.yaml --out data/mlflow
  $ hporec data inspect data/micro && hporec data check data/micro`)
    .action(action(async (sources: string[], o: { format: string; mapping?: string; study?: string; out: string; json?: boolean }) => {
      const h = importHistory(sources, { format: o.format, mapping: o.mapping, study: o.study });
      await writeSaved(o.out, h);
      const { metaDataset, ...history } = h;
      const s = summarize(metaDataset, history);
      if (o.json) return printJson({ out: o.out, counts: s.counts, import: s.import, report: h.report, notes: s.notes });
      process.stdout.write(`${renderImport(s)}written: ${o.out}\n`);
    }));

  data
    .command("check")
    .description("check a meta-dataset against a pack: unknown or missing hyperparameters, other spellings, unseen categories, meta-features outside its range")
    .argument("[dir]", DIR_HELP)
    .option("--pack <pack>", "what to check against: a pack folder (default: env HPOREC_PACK, else models/default), a search-space JSON or a meta-dataset")
    .option("--strict", "exit with code 1 when a mismatch is found (for scripts)")
    .option("--json", "print the findings as JSON")
    .addHelpText("after", `
Each finding is a mismatch, shown with the mapping line that fixes it (re-import with the line added), or an
explained difference, shown with why it is expected (e.g. datasets smaller than any the pack learned from:
its trees extrapolate flat). "No unexplained mismatch" means the pack reads every run as it was meant.

Examples:
  $ hporec data check data/micro
  $ hporec data check data/micro --pack models/my-pack --json
  $ hporec data check medquicktune --pack quicktune-extended`)
    .action(action((dir: string | undefined, o: { pack?: string; strict?: boolean; json?: boolean }) => {
      const md = loadMetaDataset(resolveDataDir(dir));
      const spec = o.pack ?? env().pack;
      // The built-in pack is named as a mapping would name it (hyperparameters: {like: models/default}).
      const ref = spec ? readReference(spec, [process.cwd(), env().data ?? "."], "--pack") : readReference(resolvePackDir(), [], "--pack");
      if (!spec) ref.spec = "models/default";
      const report = checkAgainst(md, ref);
      if (o.json) printJson(report);
      else process.stdout.write(renderCheck(report));
      if (o.strict && report.mismatches) process.exitCode = 1;
    }));

  data
    .command("describe")
    .description("compute the meta-features of a NEW dataset (image folder, CSV, or dataset card)")
    .argument("<input>", "image folder with one sub-folder per class, a .csv/.tsv with a label column, or a card .json/.yaml")
    .option("--label <column>", 'CSV label column (default: "label", else the last column)')
    .option("--max-images-per-class <n>", "image folders: images per class whose headers are read for sizes", intOption("--max-images-per-class", 1, 1_000_000), DEFAULT_MAX_IMAGES_PER_CLASS)
    .option("--json", "print the description as JSON")
    .addHelpText("after", `
Meta-features (MetaLLMiX): n_samples, n_classes, samples_per_class (+ log10 versions), image_size (mean side
sqrt(width*height) of the sampled images), channels, depth, imbalance_ratio (largest / smallest class),
class_entropy (Shannon entropy / log(classes): 1 = balanced), min/max/mean_class_size, n_features (CSV).
Image sizes come from file headers only; no image is decoded.

Dataset card (YAML or JSON):
  name: skin-lesions
  samples: 5000
  classes: 7
  imageSize: 224
  channels: 3
  domain: medical          # human_actions, large_animals, manufacturing, microscopy, ocr, plant_diseases,
                           # plants, remote_sensing, small_animals, vehicles, medical
  modality: image          # image, mri, ct, xray, ultrasound, tabular, text
  classCounts: [3000, 700, 500, 300, 200, 200, 100]

Examples:
  $ hporec data describe ./my-images
  $ hporec data describe train.csv --label target
  $ hporec data describe card.yaml --json`)
    .action(action((input: string, o: { label?: string; maxImagesPerClass: number; json?: boolean }) => {
      const d = describeDataset(input, { label: o.label, maxImagesPerClass: o.maxImagesPerClass });
      if (o.json) printJson(d);
      else process.stdout.write(renderDescription(d));
    }));

  data
    .command("space")
    .description("write the search space of a meta-dataset (inferred from its runs unless the format defines one)")
    .argument("[dir]", DIR_HELP)
    .addOption(formatOption())
    .option("--out <file>", "write the JSON here (atomically) instead of stdout")
    .addHelpText("after", `
Inference: constant columns are dropped; booleans -> bool; text -> categorical; whole numbers -> int, others
-> float with the observed range; log scale when positive values span >= 2 decades and are spread like
log-uniform draws; "values" lists the grid when a column has at most 16 distinct values; a hyperparameter
present only under some values of a categorical parent (or of the model) gets a "condition".
Edit the file and pass it back with --search-space.

Examples:
  $ hporec data space quicktune-extended --out space.json
  $ hporec data inspect quicktune-extended --search-space space.json`)
    .action(action((dir: string | undefined, o: { format: string; out?: string }) => {
      const md = loadMetaDataset(resolveDataDir(dir), loadOptions(o));
      if (o.out) {
        writeJsonAtomic(o.out, md.searchSpace);
        process.stderr.write(`wrote ${Object.keys(md.searchSpace.hyperparameters).length} hyperparameters to ${o.out}\n`);
      } else printJson(md.searchSpace);
    }));

  return data;
}

function formatOption(): Option {
  return new Option("--format <format>", "meta-dataset format").choices(["auto", ...formats()]).default("auto");
}

function loadOptions(o: { format: string; searchSpace?: string }): LoadOptions {
  return { format: o.format as LoadOptions["format"], searchSpace: o.searchSpace };
}

/** Aligned columns; numbers (and the header above them) right-aligned; columns empty in every row left out. */
function table(headerIn: string[], rowsIn: string[][]): string {
  const keep = headerIn.map((_, i) => rowsIn.some((r) => r[i] !== ""));
  const header = headerIn.filter((_, i) => keep[i]);
  const rows = rowsIn.map((r) => r.filter((_, i) => keep[i]));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+\d.,e%]+$|^$|^NaN$/.test(r[i])));
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}\n`).join("");
}

function num(x: number | undefined, digits = 3): string {
  if (x === undefined) return "";
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) >= 1000) return x.toLocaleString("en-US");
  return Number(x.toPrecision(digits)).toString();
}

function spec(hp: Hyperparameter): string {
  if (hp.type === "categorical") return hp.values.join(" | ");
  if (hp.type === "bool") return "true | false";
  const range = `${num(hp.low)} .. ${num(hp.high)}`;
  return hp.values && hp.values.length <= 8 ? `${range}  {${hp.values.map((v) => num(v)).join(", ")}}` : range;
}

function renderSummary(s: MetaDatasetSummary): string {
  const c = s.counts;
  let out = `${s.name}: format ${s.format} (${s.kind}), metric ${s.metric.name} (${s.metric.direction})\n`;
  out += `${num(c.datasets)} datasets, ${num(c.runs)} runs, ${num(c.models)} models, ${num(c.hyperparameters)} hyperparameters`;
  out += c.searchSpaces ? `, ${c.searchSpaces} search spaces\n` : "\n";
  const mfNames = ["n_samples", "n_classes", "image_size", "depth", "n_features"].filter((k) => s.datasets.some((d) => d.metaFeatures[k] !== undefined));
  out += `\nDatasets (outcome = best ${s.metric.name} of each run)\n`;
  out += table(
    ["id", "domain", "modality", "runs", "best", "median", ...mfNames],
    s.datasets.map((d) => [d.id, d.domain ?? "", d.modality ?? "", num(d.runs), num(d.best), num(d.median), ...mfNames.map((k) => num(d.metaFeatures[k]))]),
  );
  out += `\nModels\n` + table(["model", "runs"], s.models.map((m) => [m.name, num(m.runs)]));
  out += c.searchSpaces ? `\nHyperparameters (union of the search spaces; runs = runs whose space has it)\n` : `\nHyperparameters\n`;
  out += table(
    ["name", "type", "log", "range / values", "condition", ...(c.searchSpaces ? ["runs"] : []), "missing"],
    s.hyperparameters.map((h) => [
      h.name,
      h.spec.type,
      h.spec.type === "float" || h.spec.type === "int" ? (h.spec.log ? "log" : "") : "",
      spec(h.spec),
      h.spec.condition ? `${h.spec.condition.parent} in {${h.spec.condition.values.join(", ")}}` : "",
      ...(c.searchSpaces ? [num(h.applicable)] : []),
      num(h.missing),
    ]),
  );
  out += `\nMissing: cost in ${num(s.missing.cost)} runs, curve in ${num(s.missing.curve)} runs\n`;
  if (s.import) out += `\nImport\n${importLines(s)}`;
  if (s.notes.length) out += `\nNotes\n${s.notes.map((n) => `  - ${n}\n`).join("")}`;
  return out;
}

/** Imported / failures / skipped, each with its count per reason. */
function importLines(s: MetaDatasetSummary): string {
  const i = s.import!;
  const per = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${num(n)}`).join(", ");
  const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return [
    ...(i.rows !== undefined ? [`rows read    ${num(i.rows)}`] : []),
    `imported     ${num(i.imported)} runs (results)`,
    `failures     ${num(total(i.failures))}${total(i.failures) ? ` (${per(i.failures)})` : ""}`,
    `skipped      ${num(total(i.skipped))}${total(i.skipped) ? ` (${per(i.skipped)})` : ""}`,
  ].map((l) => `  ${l}\n`).join("");
}

/** What `data import` prints: the counts, per-reason breakdowns and the import's notes. */
function renderImport(s: MetaDatasetSummary): string {
  const c = s.counts;
  let out = `${s.name}: ${num(c.datasets)} datasets, ${num(c.runs)} runs, ${num(c.models)} models, ${num(c.hyperparameters)} hyperparameters; metric ${s.metric.name} (${s.metric.direction})\n`;
  if (s.import) out += importLines(s);
  const notes = s.notes.slice(1);
  if (notes.length) out += `notes\n${notes.map((n) => `  - ${n}\n`).join("")}`;
  return out;
}

export function renderCheck(r: CheckReport): string {
  const head = `${r.subject} (${num(r.runs)} runs, ${num(r.datasets)} datasets) against ${r.reference}: ${r.mismatches} mismatches, ${r.explained} explained differences\n`;
  const line = (f: CheckReport["findings"][number]) => `  ${f.subject} [${f.kind}, ${num(f.count)} ${f.count === 1 ? f.unit.replace(/s$/, "") : f.unit}]: ${f.message}\n    ${f.explained ? `why: ${f.explained}` : `fix: ${f.fix}`}\n`;
  const mismatches = r.findings.filter((f) => !f.explained);
  const explained = r.findings.filter((f) => f.explained);
  let out = head;
  if (mismatches.length) out += `\nMismatches (add the fix to the mapping and import again)\n${mismatches.map(line).join("")}`;
  if (explained.length) out += `\nExplained differences\n${explained.map(line).join("")}`;
  out += mismatches.length ? "" : "\nNo unexplained mismatch.\n";
  return out;
}

function renderDescription(d: DatasetDescription): string {
  let out = `${d.name} (${d.kind})${d.modality ? `, modality ${d.modality}` : ""}${d.domain ? `, domain ${d.domain}` : ""}\n\nMeta-features\n`;
  out += table(["name", "value"], Object.entries(d.metaFeatures).map(([k, v]) => [k, num(v, 4)]));
  if (d.images) {
    const i = d.images;
    out += `\nImages (headers of ${i.sampled} sampled files${i.unreadable ? `, ${i.unreadable} unreadable` : ""})\n`;
    out += table(["", "mean", "min", "max"], [["width", num(i.width.mean, 4), num(i.width.min), num(i.width.max)], ["height", num(i.height.mean, 4), num(i.height.min), num(i.height.max)]]);
    if (i.channels) out += `  channels: ${i.channels}\n`;
  }
  if (d.classCounts) {
    const entries = Object.entries(d.classCounts).sort((a, b) => b[1] - a[1]);
    const shown = entries.length > 12 ? [...entries.slice(0, 6), ["…", ""], ...entries.slice(-5)] : entries;
    out += `\nClasses (${entries.length})\n` + table(["class", "count"], shown.map(([k, v]) => [String(k), String(v)]));
  }
  return out;
}
