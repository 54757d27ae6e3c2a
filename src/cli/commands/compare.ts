import path from "node:path";
import { Command } from "commander";
import { comparePaired, poolPairs, readComparable, renderComparison } from "../../eval/compare.ts";
import { InputError } from "../../util/errors.ts";
import { action, printJson } from "../run.ts";

export function compareCommand(): Command {
  return new Command("compare")
    .description("compare two `hporec eval --json` results dataset by dataset: is the candidate's gain real or inside the noise?")
    .argument("<baseline>", "JSON of `hporec eval … --json` for the recipe you have (ranking, --nested, --test or --trials)")
    .argument("<candidate>", "JSON of the same evaluation with the setting you consider")
    .argument("[more...]", "further baseline/candidate pairs, pooled with the first into one comparison over all their datasets")
    .option("--json", "print the comparison as JSON")
    .addHelpText(
      "after",
      `
Each figure is compared per held-out dataset (candidate − baseline): the mean difference with a 90% bootstrap
interval over datasets, and on how many datasets the candidate wins, loses or ties. "better"/"worse" means the
whole interval is on one side of zero; anything else is "inside the noise". A file run with --draws k is read as
its mean over the k draws (per dataset); otherwise as its one draw. Both must hold out the same datasets.

More pairs (baseline₂ candidate₂ …) pool their datasets into one comparison: e.g. the 22 datasets' pools of
finished runs and the 6 micro validation datasets, the regime a user who trains the pick to the end meets. Each
pair is checked on its own; a dataset held out in two pairs counts twice, told apart as "BCT (2)".

Examples:
  hporec eval --train quicktune-extended --draws 3 --no-tpe --json > base.json
  hporec eval --train quicktune-extended --draws 3 --no-tpe --model-descriptors --json > md.json
  hporec compare base.json md.json
  hporec compare base.json md.json --json | jq '.metrics[] | select(.name == "top-1")'
  hporec compare fin-base.json fin-md.json micro-base.json micro-md.json     # 22 + 6 datasets pooled`,
    )
    .action(
      action((baselineFile: string, candidateFile: string, more: string[], o: { json?: boolean }) => {
        const files = [baselineFile, candidateFile, ...more];
        if (files.length % 2) {
          throw new InputError(`${files.length} files given: pairs need an even number`, files[files.length - 1], "give the candidate file that goes with the last baseline, or drop it");
        }
        // A file against itself, or a pair pooled twice, would count the same datasets as evidence more than once.
        const seen = new Set<string>();
        for (let k = 0; k < files.length; k += 2) {
          const [b, c] = [path.resolve(files[k]), path.resolve(files[k + 1])];
          if (b === c) throw new InputError(`${files[k]} is compared with itself`, files[k + 1], "give the candidate's result as the second file of the pair");
          if (seen.has(`${b}\n${c}`)) throw new InputError(`the pair ${files[k]} ${files[k + 1]} is given twice: its datasets would count twice`, files[k], "give each pair once");
          seen.add(`${b}\n${c}`);
        }
        const pairs = Array.from({ length: files.length / 2 }, (_, k) => {
          const names = { baseline: files[2 * k], candidate: files[2 * k + 1] };
          return { baseline: readComparable(names.baseline), candidate: readComparable(names.candidate), names };
        });
        // One pair keeps its file names; pooled pairs are named in each side's basis instead.
        const names = pairs.length === 1 ? pairs[0].names : { baseline: "baseline", candidate: "candidate" };
        const pooled = poolPairs(pairs);
        const c = comparePaired(pooled.baseline, pooled.candidate, names);
        if (o.json) printJson(c);
        else process.stdout.write(renderComparison(c, names) + "\n");
      }),
    );
}
