import { Command, Option } from "commander";
import { loadMetaDataset } from "../../metadata/load.ts";
import { mergeMetaDatasets } from "../../metadata/merge.ts";
import { crossValidate, type FoldResult } from "../../learner/cross-validate.ts";
import { trainPack } from "../../learner/train-pack.ts";
import { ACCEPTABLE_REGRET, DEFAULT_BAG, DEFAULT_HEAD, DEFAULT_PARAMS, TOP_WEIGHT, Head } from "../../learner/meta-learner.ts";
import { explanationsExtension } from "../../explain/pack-explanations.ts";
import { CALIBRATION_FOLDS, calibrationExtension } from "../../eval/calibrate.ts";
import { checkSmallerThanPast } from "../../eval/small-data-record.ts";
import { buildPackIndex } from "../../retrieval/pack-index.ts";
import { action, printJson } from "../run.ts";
import { checkPackOut } from "../out-file.ts";
import { InputError } from "../../util/errors.ts";
import { resolveDataDir } from "../data-path.ts";
import { progress } from "../progress.ts";
import { intOption, numberOption } from "../options.ts";

export function trainCommand(): Command {
  return new Command("train")
    .description("train a meta-learner pack (outcome ensemble + cost model + explanations) from a meta-dataset")
    .option("--data <dirs>", "meta-dataset folder(s), or names inside HPOREC_DATA; several, comma-separated, are merged when they reconcile", "quicktune-extended")
    .option("--out <dir>", "pack folder to write (atomically); an existing folder is replaced only if it is a pack (see --force)")
    .option("--force", "replace --out even if it is a folder that is not a pack")
    .addOption(new Option("--target <kind>", "outcome target: per-dataset rank or raw metric").choices(["rank", "raw"]).default("rank"))
    .option("--seeds <n>", "outcome models in the seed ensemble (mean and spread)", intOption("--seeds", 1, 50), 5)
    .option("--top-weight <k>", "times a run in the top fifth of its dataset counts in training (1 = plain)", intOption("--top-weight", 1, 50), TOP_WEIGHT)
    .addOption(new Option("--head <kind>", "what ranks the candidates besides the outcome ensemble: ranking = its trees refitted per dataset (orders the places after the pick), acceptable = classifiers of a run within 30% of its dataset's best (pick and order), full-length = a model that knows how long each past run trained, scoring candidates trained to the end (orders the places after the pick), none").choices(Head.options).default(DEFAULT_HEAD))
    .option("--accept-threshold <r>", "regret up to which a past run counts as acceptable (--head acceptable)", numberOption("--accept-threshold", 0.01, 0.99), ACCEPTABLE_REGRET)
    .option("--bag <f>", "fraction of the past datasets each ensemble member is trained on (< 1: the spread shows how much a prediction depends on the datasets)", numberOption("--bag", 0.1, 1), DEFAULT_BAG)
    .option("--rounds <n>", "boosting rounds per model", intOption("--rounds", 1, 5000), DEFAULT_PARAMS.n_estimators)
    .option("--depth <n>", "maximum tree depth", intOption("--depth", 1, 12), DEFAULT_PARAMS.max_depth)
    .option("--eta <x>", "learning rate of the boosting", numberOption("--eta", 1e-4, 1), DEFAULT_PARAMS.eta)
    .option("--embed-model <gguf>", "embed the knowledge index with a GGUF model (env HPOREC_EMBED_MODEL); default: built-in")
    .option("--no-calibrate", "skip the cross-validation that calibrates the stated ranges and the track record (5 extra trainings)")
    .option("--small-data-record <dir>", "a meta-dataset of datasets smaller than every training dataset (never trained on): the pack ranks their real runs, and answers for a dataset that small state that record instead of the track record, which does not hold there (one extra training)")
    .option("--cv", "also report leave-one-dataset-out RMSE and Spearman per dataset")
    .option("--json", "print the training report as JSON")
    .addHelpText(
      "after",
      "\nSeveral meta-datasets (--data a,b) train one pack when they reconcile: the same metric and hyperparameters\n" +
        "written the same way (else the error gives the mapping line to add; hporec data check <b> --pack <a>). A dataset\n" +
        "in both with the same meta-features pools its runs; one id with other meta-features becomes <id>@<name>.\n" +
        "\nExamples:\n  hporec train --data quicktune-extended --out packs/qt\n  hporec train --data medquicktune --out packs/med --seeds 3 --cv --json\n" +
        "  hporec train --data quicktune-extended,data/my-history --out packs/mine\n" +
        "  hporec train --data quicktune-extended --out packs/qt --small-data-record ../shared/metadata/quicktune-micro-wandb",
    )
    .action(
      action(async (o: { data: string; out?: string; force?: boolean; target: "rank" | "raw"; seeds: number; topWeight: number; head: Head; acceptThreshold: number; bag: number; rounds: number; depth: number; eta: number; cv?: boolean; calibrate: boolean; smallDataRecord?: string; json?: boolean; embedModel?: string }) => {
        if (!o.out) throw new InputError("missing --out <dir>: where to write the pack", "--out", "e.g. --out ./packs/my-pack (then recommend --pack ./packs/my-pack)");
        if (o.smallDataRecord && !o.calibrate) throw new InputError("--small-data-record states its figures beside the calibrated track record, which --no-calibrate skips", "--small-data-record", "drop --no-calibrate");
        const smallData = o.smallDataRecord ? loadMetaDataset(resolveDataDir(o.smallDataRecord, "--small-data-record")) : undefined;
        checkPackOut(o.out, "--out", o.force);
        const out = o.out;
        const dirs = o.data.split(",").map((d) => resolveDataDir(d.trim(), "--data"));
        const { metaDataset: md, warnings } = mergeMetaDatasets(dirs.map((d) => loadMetaDataset(d)));
        for (const w of warnings) process.stderr.write(`hporec: ${w}\n`);
        // Refused before any training, not after the calibration's five folds.
        if (smallData) checkSmallerThanPast(md, smallData);
        const params = { n_estimators: o.rounds, max_depth: o.depth, eta: o.eta };
        const bar = progress("train", (o.head === "none" ? 1 : 2) * o.seeds + 3 + (o.calibrate ? CALIBRATION_FOLDS : 0) + (smallData ? 1 : 0));
        const t0 = performance.now();
        const explain = explanationsExtension();
        const recipe = { target: o.target, seeds: o.seeds, topWeight: o.topWeight, head: o.head, acceptThreshold: o.acceptThreshold, bag: o.bag };
        const report = await trainPack(md, out, { ...recipe, params, onModel: (l) => bar.tick(1, l) }, [
          async (...args) => {
            await explain(...args);
            bar.tick(1, "explanations");
          },
          ...(o.calibrate ? [calibrationExtension({ ...recipe, params }, (step) => bar.tick(1, step), smallData && { md: smallData, warn: (w) => process.stderr.write(`hporec: ${w}\n`) })] : []),
        ]);
        await buildPackIndex(out, { embedModel: o.embedModel });
        bar.tick(1, "knowledge index");
        bar.stop();
        const seconds = (performance.now() - t0) / 1000;
        let cv: FoldResult[] | undefined;
        if (o.cv) {
          const cvBar = progress("leave-one-dataset-out", md.datasets.length);
          cv = crossValidate(md, { target: o.target, seeds: o.seeds, params }, (r) => cvBar.tick(1, r.datasetId));
          cvBar.stop();
        }
        if (o.json) return printJson({ pack: out, seconds, ...report, cv });
        console.log(`pack written: ${out}  (${seconds.toFixed(1)} s)`);
        console.log(`  ${md.datasets.length} datasets, ${md.runs.length} runs, ${report.features} features, ${o.seeds} outcome models (${o.target} target)`);
        console.log(`  in-sample: RMSE ${report.train.rmse.toFixed(4)}, Spearman ${report.train.spearman.toFixed(3)}`);
        if (cv) {
          console.log("\nleave-one-dataset-out:");
          console.log(`  ${"dataset".padEnd(12)} ${"runs".padStart(5)} ${"RMSE".padStart(7)} ${"Spearman".padStart(9)}`);
          for (const r of cv) console.log(`  ${r.datasetId.padEnd(12)} ${String(r.runs).padStart(5)} ${r.rmse.toFixed(4).padStart(7)} ${r.spearman.toFixed(3).padStart(9)}`);
          const mean = (f: (r: FoldResult) => number) => cv!.reduce((s, r) => s + f(r), 0) / cv!.length;
          console.log(`  ${"mean".padEnd(12)} ${"".padStart(5)} ${mean((r) => r.rmse).toFixed(4).padStart(7)} ${mean((r) => r.spearman).toFixed(3).padStart(9)}`);
        }
      }),
    );
}
