import { Command, Option } from "commander";
import { existsSync, readFileSync } from "node:fs";
import { loadPack, type Pack } from "../../learner/pack.ts";
import type { Configuration, DatasetFeatures } from "../../learner/features.ts";
import {
  datasetImportance,
  defaultConfiguration,
  parseConfiguration,
  parseGroup,
  renderExplanation,
  DEFAULT_SAMPLE_SIZE,
  DEFAULT_TOP_PLAYERS,
  GAMES,
  type DatasetImportance,
  type ImportanceGame,
  type PlayerGroup,
} from "../../explain/games/index.ts";
import { counted, fmt, signed } from "../../util/format.ts";
import { InputError } from "../../util/errors.ts";
import { writeFileAtomic } from "../../util/atomic.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";
import { datasetFromFlags } from "../dataset-input.ts";
import { checkOutKind } from "../out-file.ts";
import { intOption } from "../options.ts";
import { progress } from "../progress.ts";

interface Flags {
  pack?: string;
  dataset?: string;
  datasetId?: string;
  game: ImportanceGame;
  baseline?: string;
  config?: string;
  candidates?: number;
  /** The old name of --candidates (hidden; --samples is a dataset's size in recommend and study new). */
  samples?: number;
  players: string;
  group?: PlayerGroup[];
  method: "auto" | "exact" | "permutation";
  budget?: number;
  members?: number;
  seed: number;
  top: number;
  json?: boolean;
  plot?: string;
}

export function importanceCommand(): Command {
  return new Command("importance")
    .description("hyperparameter importance for one dataset: HyperSHAP games (ablation, tunability, sensitivity) on the meta-learner")
    .option("--pack <dir>", PACK_HELP)
    .option("--dataset <card>", "the dataset: a card (.json/.yaml), an image folder or a CSV")
    .option("--dataset-id <id>", "a past dataset of the pack (its recorded meta-features)")
    .addOption(new Option("--game <game>", "tunability: which hyperparameters are worth tuning here (the gain from tuning each); ablation: baseline -> --config; sensitivity: variance").choices(GAMES).default("tunability"))
    .option("--baseline <json>", "configuration every coalition starts from, inline or a JSON file (default: the space's defaults / the runs' most common values)")
    .option("--config <json>", "ablation: the configuration to explain, inline or a JSON file (default with --dataset-id: its best recorded run)")
    .option("--candidates <n>", `tunability/sensitivity: configurations sampled from the search space (default ${DEFAULT_SAMPLE_SIZE.toLocaleString("en")})`, intOption("--candidates", 1, 1_000_000))
    .addOption(new Option("--samples <n>").argParser(intOption("--samples", 1, 1_000_000)).hideHelp())
    .option("--players <n|names>", "the n most important players overall, or a comma-separated list of names", String(DEFAULT_TOP_PLAYERS))
    .option("--group <name=a,b,...>", "merge hyperparameters into one player (repeatable)", (v: string, acc: PlayerGroup[] = []) => [...acc, parseGroup(v)])
    .addOption(new Option("--method <m>", "exact (up to 14 players) or permutation sampling; auto picks").choices(["auto", "exact", "permutation"]).default("auto"))
    .option("--budget <n>", "permutation sampling: coalitions evaluated (default 20 n^2)", intOption("--budget", 10, 10_000_000))
    .option("--members <k>", "ensemble members averaged (default: all)", intOption("--members", 1, 100))
    .option("--seed <n>", "seed of the configuration sample", intOption("--seed", 0, 2 ** 31), 0)
    .option("--top <n>", "interactions to show", intOption("--top", 0, 1000), 5)
    .option("--json", "print the result as JSON")
    .option("--plot <out.svg>", "bar chart of the values; the interaction heat map goes next to it (out.interactions.svg)")
    .addHelpText(
      "after",
      "\nExamples:\n  hporec importance --dataset-id BCT --game tunability --candidates 2000\n" +
        "  hporec importance --dataset card.json --game ablation --config cfg.json --plot ablation.svg\n" +
        "  hporec importance --dataset-id FLW --game sensitivity --group augmentation=auto_augment,mixup,cutmix --json",
    )
    .action(
      action(async (o: Flags) => {
        if (o.plot) checkOutKind(o.plot, "--plot", ".svg", [o.dataset, o.config, o.baseline]);
        const pack = loadPack(resolvePackDir(o.pack));
        const { dataset, name, bestRun } = readDataset(pack, o);
        const baseline = o.baseline ? parseConfiguration(readJson(o.baseline, "--baseline"), pack, defaultConfiguration(pack), o.baseline) : defaultConfiguration(pack);
        const config = o.config ? parseConfiguration(readJson(o.config, "--config"), pack, baseline, o.config) : o.game === "ablation" ? bestRun : undefined;
        const players = /^\d+$/.test(o.players.trim()) ? Number(o.players) : o.players.split(",").map((s) => s.trim()).filter(Boolean);
        const samples = candidates(o);
        const bar = o.game === "ablation" || o.json ? undefined : progress(`${o.game} game`, samples);
        let shown = 0;
        const result = datasetImportance(pack, dataset, {
          game: o.game,
          baseline,
          config,
          players,
          groups: o.group,
          samples,
          seed: o.seed,
          method: o.method,
          budget: o.budget,
          members: o.members,
          onProgress: bar && ((done) => done - shown >= 200 && (bar.tick(done - shown), (shown = done))),
        });
        bar?.stop();
        const plots = o.plot ? await writePlots(result, name, o.plot) : undefined;
        if (o.json) return printJson(toJson(result, name, o.top, plots));
        process.stdout.write(renderText(result, name, o.top, plots));
      }),
    );
}

function readDataset(pack: Pack, o: Flags): { dataset: DatasetFeatures; name: string; bestRun?: Configuration } {
  if (o.dataset && o.datasetId) throw new InputError("give the dataset one way, not --dataset and --dataset-id", "dataset");
  if (o.datasetId) {
    const d = pack.datasets.find((x) => x.id === o.datasetId);
    if (!d) throw new InputError(`unknown dataset id ${JSON.stringify(o.datasetId)}`, "--dataset-id", `one of: ${pack.datasets.map((x) => x.id).join(", ")}`);
    const best = d.topRuns[0];
    return { dataset: d, name: d.id, bestRun: best && { model: best.model, hyperparameters: best.hyperparameters } };
  }
  if (!o.dataset) throw new InputError("no dataset given", "dataset", "pass --dataset card.json (or an image folder / CSV) or --dataset-id ID");
  const d = datasetFromFlags({ dataset: o.dataset });
  return { dataset: d, name: d.name ?? o.dataset };
}

/** --candidates, or its old name --samples with a note (elsewhere --samples is the dataset's sample count). */
function candidates(o: Flags): number {
  if (o.samples === undefined) return o.candidates ?? DEFAULT_SAMPLE_SIZE;
  if (o.candidates !== undefined && o.candidates !== o.samples)
    throw new InputError(`two sample sizes given: --candidates ${o.candidates} and --samples ${o.samples}`, "--candidates", "give one, as --candidates <n>");
  process.stderr.write(`hporec: importance --samples is now --candidates (configurations sampled, as in recommend; --samples is a dataset's size elsewhere); the old name still works\n`);
  return o.samples;
}

/** A configuration given inline ({"lr": 0.001}, as `study tell --config` takes it) or as a JSON file. */
function readJson(arg: string, flag: string): unknown {
  const inline = arg.trim().startsWith("{");
  if (!inline && !existsSync(arg)) throw new InputError(`file not found: ${arg}`, flag, `a JSON file, or the configuration itself, e.g. ${flag} '{"lr": 0.001}'`);
  try {
    return JSON.parse(inline ? arg : readFileSync(arg, "utf8"));
  } catch (e) {
    throw new InputError(`not valid JSON (${(e as Error).message})`, inline ? flag : arg);
  }
}

async function writePlots(r: DatasetImportance, name: string, out: string): Promise<{ shapley: string; interactions?: string }> {
  const svg = await renderExplanation(r.explanation, { title: `${r.game} on ${name}: Shapley values`, valueLabel: r.valueLabel });
  writeFileAtomic(out, svg.shapley);
  if (!svg.interactions) return { shapley: out };
  const heat = out.replace(/(\.svg)?$/i, ".interactions.svg");
  writeFileAtomic(heat, svg.interactions);
  return { shapley: out, interactions: heat };
}

/** The k largest pairwise interactions by magnitude (NaN = never sampled, skipped). */
function topPairs(r: DatasetImportance, k: number): { a: string; b: string; value: number }[] {
  const { players, interactions } = r.explanation;
  if (!interactions) return [];
  const n = players.length;
  const pairs = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Number.isFinite(interactions[i * n + j])) pairs.push({ a: players[i], b: players[j], value: interactions[i * n + j] });
  return pairs.sort((x, y) => Math.abs(y.value) - Math.abs(x.value)).slice(0, k);
}

/** Players by value (largest first), with what each one sets. */
function ranking(r: DatasetImportance) {
  const e = r.explanation;
  const values = (c: Configuration | undefined, members: string[]) => c && members.map((m) => `${m}=${fmt((m === "model" ? c.model : c.hyperparameters[m]) ?? null)}`).join(" ");
  return r.players
    .map((p, i) => ({
      player: p.name,
      members: p.members,
      value: e.shapley[i],
      stdErr: e.shapleyStdErr?.[i],
      mainEffect: e.mainEffects?.[i],
      baseline: values(r.baseline, p.members),
      config: values(r.config, p.members),
    }))
    .sort((a, b) => b.value - a.value);
}

function toJson(r: DatasetImportance, name: string, top: number, plots?: object) {
  const e = r.explanation;
  return {
    dataset: name,
    game: r.game,
    method: e.method,
    valueLabel: r.valueLabel,
    empty: e.empty,
    full: e.full,
    ranking: ranking(r),
    interactions: topPairs(r, top),
    held: r.held,
    baseline: r.baseline,
    config: r.config,
    samples: r.samples,
    members: r.members,
    seed: r.seed,
    budget: e.budget,
    seconds: r.seconds,
    plots,
  };
}

const MEANING: Record<ImportanceGame, string> = {
  ablation: "how much each player's change from the baseline to the configuration moves the prediction",
  tunability: "how much tuning each player (from the baseline) can improve the best predicted outcome",
  sensitivity: "how much each player contributes to the variance of the predicted outcome",
};

function renderText(r: DatasetImportance, name: string, top: number, plots?: { shapley: string; interactions?: string }): string {
  const e = r.explanation;
  const rows = ranking(r);
  const max = Math.max(1e-12, ...rows.map((x) => Math.abs(x.value)));
  const how = e.method === "exact" ? "exact" : `permutation sampling, ${e.budget?.evaluations} coalitions, ± = 95% interval`;
  const sampled = r.game === "ablation" ? "" : `, ${r.samples.toLocaleString("en")} sampled configurations`;
  const lines = [
    `${r.game} game on ${name}: ${r.players.length} players${sampled}, ${counted(r.members, "ensemble member")}, ${how}, ${r.seconds.toFixed(1)} s`,
    `Shapley values (${r.valueLabel}): ${MEANING[r.game]}.`,
    `v(baseline) = ${e.empty.toFixed(4)}, v(all players) = ${e.full.toFixed(4)}; the values sum to ${(e.full - e.empty).toFixed(4)}.`,
    "",
    ...rows.map((x, i) => {
      const len = Math.round((20 * Math.abs(x.value)) / max);
      const bar = x.value >= 0 ? "#".repeat(len) : "-".repeat(len);
      const err = x.stdErr !== undefined ? ` ±${(1.96 * x.stdErr).toFixed(4)}` : "";
      const what = r.game === "ablation" ? `${x.baseline} -> ${x.config}` : x.members.length > 1 ? x.members.join(", ") : "";
      return `  ${String(i + 1).padStart(2)}. ${x.player.padEnd(20)} ${signed(x.value, 4)}${err} ${bar.padEnd(20)} ${what}`;
    }),
  ];
  const pairs = topPairs(r, top);
  if (pairs.length) {
    lines.push("", "Top pairwise interactions (Shapley interaction index; + = together worth more than apart):");
    for (const p of pairs) lines.push(`  ${`${p.a} x ${p.b}`.padEnd(40)} ${signed(p.value, 4)}`);
  }
  lines.push("", `Held at the baseline: ${r.held.length ? r.held.join(", ") : "none"}.`);
  if (plots) lines.push(`Plots: ${[plots.shapley, plots.interactions].filter(Boolean).join(", ")}`);
  return lines.join("\n") + "\n";
}
