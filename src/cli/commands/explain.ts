import { Command, Option } from "commander";
import { loadPack } from "../../learner/pack.ts";
import { readExplanations } from "../../explain/pack-explanations.ts";
import { domainRanges } from "../../explain/explain-learner.ts";
import { formatValueRange } from "../../util/format.ts";
import type { GoodRange } from "../../explain/good-ranges.ts";
import { InputError } from "../../util/errors.ts";
import { writeJsonAtomic } from "../../util/atomic.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { intOption } from "../options.ts";
import { checkOutKind } from "../out-file.ts";

export function explainCommand(): Command {
  return new Command("explain")
    .description("what the meta-learner learned: importance, interactions, good value ranges, reduced search space")
    .option("--pack <dir>", PACK_HELP)
    .option("--dataset-id <id>", "focus on one past dataset of the pack: its drivers and its domain's good ranges (as importance --dataset-id)")
    // The name before --dataset-id, kept for scripts: elsewhere --dataset is a new dataset's card.
    .addOption(new Option("--dataset <id>").hideHelp())
    .option("--top <n>", "rows to show per section", intOption("--top", 1, 1000), 12)
    .option("--space-out <file>", "write the reduced search space as JSON (for a follow-up HPO run)")
    .option("--json", "print everything as JSON")
    .addHelpText("after", "\nExamples:\n  hporec explain\n  hporec explain --dataset-id BCT\n  hporec explain --space-out reduced-space.json --json")
    .action(
      action(async (flags: { pack?: string; datasetId?: string; dataset?: string; top: number; spaceOut?: string; json?: boolean }) => {
        const flag = flags.datasetId !== undefined ? "--dataset-id" : "--dataset";
        if (flags.datasetId !== undefined && flags.dataset !== undefined && flags.datasetId !== flags.dataset)
          throw new InputError(`two datasets given: --dataset-id ${flags.datasetId} and --dataset ${flags.dataset}`, "--dataset", "give one, as --dataset-id <id>");
        const o = { ...flags, dataset: flags.datasetId ?? flags.dataset };
        if (o.spaceOut) checkOutKind(o.spaceOut, "--space-out", ".json");
        const pack = loadPack(resolvePackDir(o.pack));
        const ex = readExplanations(pack);
        let domain: string | undefined;
        if (o.dataset) {
          const d = pack.datasets.find((x) => x.id === o.dataset);
          if (!d)
            throw new InputError(`unknown past dataset ${JSON.stringify(o.dataset)}`, flag, `one of the pack's: ${pack.datasets.map((x) => x.id).join(", ")} (for a new dataset: hporec importance --dataset card.yaml, or hporec recommend)`);
          domain = d.domain;
        }
        const ranges = domainRanges(ex, domain) ?? ex.goodRanges.overall;
        if (o.spaceOut) writeJsonAtomic(o.spaceOut, ex.reducedSpace);
        if (o.json) {
          return printJson({
            pack: pack.dir,
            importance: ex.importance,
            interactions: ex.interactions,
            goodRanges: ranges,
            goodRangesScope: domain ?? "overall",
            reducedSpace: ex.reducedSpace,
            trainingLength: ex.trainingLength ?? [],
            dataset: o.dataset ? ex.perDataset[o.dataset] : undefined,
          });
        }
        const unit = pack.manifest.target === "rank" ? "rank points" : pack.manifest.metric.name;
        console.log(`pack ${pack.dir}: trained on ${pack.manifest.metaDataset.name} (${pack.manifest.metaDataset.runs} runs), SHAP over ${ex.rowsExplained} runs, in ${unit}\n`);
        console.log("importance (mean |SHAP|):");
        const max = ex.importance[0]?.meanAbsShap || 1;
        for (const i of ex.importance.slice(0, o.top))
          console.log(`  ${i.name.padEnd(24)} ${i.meanAbsShap.toFixed(4)} ${"#".repeat(Math.round((30 * i.meanAbsShap) / max)).padEnd(30)} ${i.kind}`);
        console.log("\ntop interactions (mean |joint effect|):");
        for (const i of ex.interactions.slice(0, Math.min(o.top, 8))) console.log(`  ${`${i.a} x ${i.b}`.padEnd(40)} ${i.meanAbs.toFixed(4)}`);
        console.log(`\ngood values (${domain ? `domain ${domain}` : "all datasets"}): where a hyperparameter's contribution is positive`);
        for (const r of rankRanges(ranges, ex.importance.map((i) => i.name)).slice(0, o.top)) console.log(`  ${r.name.padEnd(24)} ${describeGood(r)}`);
        if (ex.trainingLength?.length) {
          console.log("\nread with care (effects that are how long past runs trained):");
          for (const c of ex.trainingLength) console.log(`  ${c.name.padEnd(24)} ${c.text}`);
        }
        if (o.dataset) {
          const dd = ex.perDataset[o.dataset];
          console.log(`\ndrivers on ${o.dataset}:`);
          for (const b of dd?.best ?? []) console.log(`  ${b.name.padEnd(24)} best at ${b.value} (+${b.meanShap.toFixed(3)})`);
        }
        const rs = ex.reducedSpace;
        console.log(`\nreduced search space: ${Object.keys(rs.hyperparameters).length} hyperparameters searched, ${Object.keys(rs.fixed).length} fixed, ${rs.models.length} models`);
        // The most important first (the model, then by importance), as the lists above; the rest counted.
        const order = ["model", ...ex.importance.map((i) => i.name)];
        const place = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
        const reasons = Object.entries(rs.rationale).sort(([a], [b]) => place(a) - place(b));
        for (const [k, why] of reasons.slice(0, o.top)) console.log(`  ${k.padEnd(24)} ${why}`);
        if (reasons.length > o.top) console.log(`  … ${reasons.length - o.top} more (--top ${reasons.length} lists them all; --space-out writes the space)`);
        if (o.spaceOut) console.log(`\nwritten: ${o.spaceOut}`);
      }),
    );
}

function rankRanges(ranges: GoodRange[], order: string[]): GoodRange[] {
  return [...ranges].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
}

export function describeGood(r: GoodRange): string {
  if (!r.good.length) return "no value helps consistently";
  return r.good
    .slice(0, 4)
    .map((g) => {
      const what = formatValueRange(g);
      return `${what} (+${g.meanShap.toFixed(3)}, ${(g.positiveShare * 100).toFixed(0)}% positive, n=${g.n})`;
    })
    .join("; ");
}
