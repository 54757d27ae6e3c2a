import { Command } from "commander";
import { reportError } from "./run.ts";
import { VERSION } from "../package-info.ts";

// A reader that has gone (`hporec explain | head -1`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });

/**
 * The commands, loaded on demand: each pulls in heavy modules (FAISS, node-llama-cpp, express, vega), so a
 * call imports only the one it runs (a cold `recommend` would otherwise pay ~3 s of imports for all of them).
 * Each lives in ./commands/<file>.ts; the summary here is what `hporec --help` lists.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  recommend: { summary: "recommend a pretrained model and every hyperparameter for a new dataset, with evidence", load: async () => (await import("./commands/recommend.ts")).recommendCommand() },
  batch: { summary: "recommend for many new datasets (CSV/JSONL of dataset cards), resumable", load: async () => (await import("./commands/batch.ts")).batchCommand() },
  explain: { summary: "importance, interactions, good value ranges and a reduced search space of a pack", load: async () => (await import("./commands/explain.ts")).explainCommand() },
  importance: { summary: "hyperparameter importance for one dataset: HyperSHAP ablation, tunability, sensitivity", load: async () => (await import("./commands/importance.ts")).importanceCommand() },
  judge: { summary: "judge a file of recommendations: pass rates, score distributions, failures", load: async () => (await import("./commands/judge.ts")).judgeCommand() },
  eval: { summary: "leave-one-dataset-out (or train/test) evaluation against HPO baselines", load: async () => (await import("./commands/eval.ts")).evalCommand() },
  compare: { summary: "compare two evaluation results dataset by dataset: a real gain, or inside the noise", load: async () => (await import("./commands/compare.ts")).compareCommand() },
  train: { summary: "train a pack (outcome ensemble, cost model, explanations, knowledge index)", load: async () => (await import("./commands/train.ts")).trainCommand() },
  index: { summary: "rebuild a pack's knowledge index (FAISS) atomically", load: async () => (await import("./commands/index-command.ts")).indexCommand() },
  shap: { summary: "raw SHAP values of the pack's models for given feature rows", load: async () => (await import("./commands/shap.ts")).shapCommand() },
  data: { summary: "import run histories (W&B, Optuna, MLflow, CSV), inspect and check meta-datasets, describe new datasets, write search spaces", load: async () => (await import("./commands/data.ts")).dataCommand() },
  serve: { summary: "HTTP API: recommend, chat (SSE), batch jobs, judge, OpenAI-compatible endpoint", load: async () => (await import("./commands/serve.ts")).serveCommand() },
  study: { summary: "ask/tell: learn from your own results (ask for configurations, tell how they went, ask again)", load: async () => (await import("./commands/study.ts")).studyCommand() },
  chat: { summary: "talk to hporec in the terminal (the same chat engine as the server)", load: async () => (await import("./commands/chat.ts")).chatCommand() },
};

const program = new Command()
  .name("hporec")
  .description(
    "Zero-shot hyperparameter-optimisation recommender: which pretrained model and which hyperparameters for a " +
      "new dataset, predicted from past experiments and explained with SHAP evidence, without running a trial.",
  )
  .version(VERSION)
  .addHelpText(
    "after",
    "\nData: a meta-dataset (train --data, eval --train/--test, data inspect|check|space [dir]) is a folder, or a name\n" +
      "inside env HPOREC_DATA (e.g. HPOREC_DATA=../shared/metadata and train --data medquicktune). Default: quicktune-extended.\n" +
      "Run hporec <command> --help for a command's options and examples.",
  );

// `hporec <cmd> …` and `hporec help <cmd>` load that command; anything else lists summaries only.
const args = process.argv.slice(2);
const wanted = args[0] === "help" ? args[1] : args[0];
// commander answers `hporec card --help` with the general help and exit 0, as if `card` existed.
if (wanted && !wanted.startsWith("-") && !Object.hasOwn(COMMANDS, wanted)) {
  process.stderr.write(`hporec: unknown command '${wanted}'\n  fix: one of ${Object.keys(COMMANDS).join(", ")} (hporec --help lists them)\n`);
  process.exit(2);
}
for (const [name, c] of Object.entries(COMMANDS)) {
  program.addCommand(name === wanted ? await c.load() : new Command(name).description(c.summary));
}

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

// Flag parsers may throw InputError (e.g. --group): same message and exit code as inside an action.
await program.parseAsync(process.argv).catch(reportError);
