import { Command } from "commander";
import { dataCommand } from "./commands/data.ts";

const program = new Command()
  .name("hporec")
  .description(
    "Zero-shot hyperparameter-optimisation recommender: which pretrained model and which hyperparameters for a " +
      "new dataset, predicted from past experiments and explained with SHAP evidence, without running a trial.",
  )
  .version("0.1.0")
  .option("--data <dir>", "folder holding the meta-datasets (default: env HPOREC_DATA)")
  .hook("preAction", (cmd) => {
    const data = cmd.opts().data as string | undefined;
    if (data) process.env.HPOREC_DATA = data;
  });

// One line per command; each lives in ./commands/<name>.ts.
program.addCommand(dataCommand());

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
