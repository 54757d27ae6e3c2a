import { Command } from "commander";
import { dataCommand } from "./commands/data.ts";
import { trainCommand } from "./commands/train.ts";
import { explainCommand } from "./commands/explain.ts";
import { shapCommand } from "./commands/shap.ts";
import { indexCommand } from "./commands/index-command.ts";
import { recommendCommand } from "./commands/recommend.ts";

const program = new Command()
  .name("hporec")
  .description(
    "Zero-shot hyperparameter-optimisation recommender: which pretrained model and which hyperparameters for a " +
      "new dataset, predicted from past experiments and explained with SHAP evidence, without running a trial.",
  )
  .version("0.1.0")
  .addHelpText(
    "after",
    "\nData: commands that read a meta-dataset take --data <dir>: a folder, or a name inside env HPOREC_DATA\n" +
      "(e.g. HPOREC_DATA=../shared/metadata and --data medquicktune). Default: quicktune-extended.",
  );

// One line per command; each lives in ./commands/<name>.ts.
program.addCommand(dataCommand());
program.addCommand(trainCommand());
program.addCommand(explainCommand());
program.addCommand(shapCommand());
program.addCommand(indexCommand());
program.addCommand(recommendCommand());

/** Usage errors from commander (unknown option, missing argument) are bad input: exit code 2 everywhere. */
function configure(cmd: Command): void {
  cmd.showHelpAfterError("(run with --help for usage)");
  cmd.exitOverride((err) => {
    const ok = ["commander.helpDisplayed", "commander.version", "commander.help", "commander.executeSubCommandAsync"];
    process.exit(ok.includes(err.code) ? 0 : 2);
  });
  cmd.commands.forEach(configure);
}
configure(program);

await program.parseAsync(process.argv);
