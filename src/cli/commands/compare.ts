import { Command } from "commander";
import { comparePaired, readComparable, renderComparison } from "../../eval/compare.ts";
import { action, printJson } from "../run.ts";

export function compareCommand(): Command {
  return new Command("compare")
    .description("compare two `hporec eval --json` results dataset by dataset: is the candidate's gain real or inside the noise?")
    .argument("<baseline>", "JSON of `hporec eval … --json` for the recipe you have (ranking, --nested, --test or --trials)")
    .argument("<candidate>", "JSON of the same evaluation with the setting you consider")
    .option("--json", "print the comparison as JSON")
    .addHelpText(
      "after",
      `
Each figure is compared per held-out dataset (candidate − baseline): the mean difference with a 90% bootstrap
interval over datasets, and on how many datasets the candidate wins, loses or ties. "better"/"worse" means the
whole interval is on one side of zero; anything else is "inside the noise". A file run with --draws k is read as
its mean over the k draws (per dataset); otherwise as its one draw. Both must hold out the same datasets.

Examples:
  hporec eval --train quicktune-extended --draws 3 --no-tpe --json > base.json
  hporec eval --train quicktune-extended --draws 3 --no-tpe --model-descriptors --json > md.json
  hporec compare base.json md.json
  hporec compare base.json md.json --json | jq '.metrics[] | select(.name == "top-1")'`,
    )
    .action(
      action((baselineFile: string, candidateFile: string, o: { json?: boolean }) => {
        const names = { baseline: baselineFile, candidate: candidateFile };
        const c = comparePaired(readComparable(baselineFile), readComparable(candidateFile), names);
        if (o.json) printJson(c);
        else process.stdout.write(renderComparison(c, names) + "\n");
      }),
    );
}
