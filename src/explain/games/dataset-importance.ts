/**
 * Hyperparameter importance for one dataset: a HyperSHAP game on the pack's meta-learner with the dataset's
 * meta-features fixed. Players are the hyperparameters (and the model choice) the pack finds most important
 * overall, optionally grouped; every other hyperparameter stays at the baseline. One seeded sample of
 * configurations is drawn and encoded once and serves every coalition. The full table of an exact game comes
 * from the trees directly (tree-subsets.ts), so all ensemble members are used by default.
 */
import type { Configuration, DatasetFeatures } from "../../learner/features.ts";
import type { Pack } from "../../learner/pack.ts";
import { sampleConfigurations } from "../../recommend/candidates.ts";
import { InputError } from "../../util/errors.ts";
import { createRng } from "../../util/random.ts";
import { readExplanations } from "../pack-explanations.ts";
import { defaultConfiguration } from "./configurations.ts";
import { explain, type Explanation } from "./explain.ts";
import { MAX_EXACT_PLAYERS, type Game } from "./game.ts";
import { ablationGame, sensitivityGame, subspaceMaxGame, tunabilityGame, DEFAULT_SAMPLE_SIZE, type Player, type RowGameInput } from "./hpo-games.ts";
import { columnPlayers, groupPlayers, topPlayers, DEFAULT_TOP_PLAYERS, type PlayerGroup } from "./players.ts";
import { specialisedPredictor } from "./specialise.ts";
import { treeSubsetValues } from "./tree-subsets.ts";

export const GAMES = ["ablation", "tunability", "sensitivity"] as const;
export type ImportanceGame = (typeof GAMES)[number];

export interface DatasetImportanceOptions {
  game: ImportanceGame;
  /** Where every coalition starts (default: `defaultConfiguration(pack)`). */
  baseline?: Configuration;
  /** Ablation only: the configuration whose difference from the baseline is explained. */
  config?: Configuration;
  /** The k most important players overall (default 10), or players by name (hyperparameters, "model", group names). */
  players?: number | string[];
  groups?: PlayerGroup[];
  /** Tunability/sensitivity: configurations sampled from the search space (default 10,000). */
  samples?: number;
  seed?: number;
  method?: "auto" | "exact" | "permutation";
  /** Permutation sampling: coalitions evaluated. */
  budget?: number;
  /** Ensemble members averaged (default: all). */
  members?: number;
  /** Exact games: called with (samples done, total) while the table is filled. */
  onProgress?: (done: number, total: number) => void;
}

export interface DatasetImportance {
  game: ImportanceGame;
  explanation: Explanation;
  /** Each player's hyperparameters (one, or a group's members). */
  players: { name: string; members: string[] }[];
  baseline: Configuration;
  config?: Configuration;
  /** Hyperparameters that do not play (held at the baseline). */
  held: string[];
  samples: number;
  members: number;
  seed: number;
  /** What a game value is, e.g. "predicted rank (0-1)". */
  valueLabel: string;
  seconds: number;
}

export function datasetImportance(pack: Pack, dataset: DatasetFeatures, opts: DatasetImportanceOptions): DatasetImportance {
  const t0 = performance.now();
  const { learner, featureMap } = pack;
  const nCols = learner.encoder.nCols;
  const seed = opts.seed ?? 0;
  const baseline = opts.baseline ?? defaultConfiguration(pack);
  if (opts.game === "ablation" && !opts.config) throw new InputError("the ablation game needs a configuration to explain", "--config", "pass --config config.json (or --dataset-id, whose best run is the default)");

  const all = groupPlayers(columnPlayers(featureMap.columns), opts.groups ?? []);
  const players = choosePlayers(pack, all, opts.players ?? DEFAULT_TOP_PLAYERS, opts.groups ?? []);
  const method = opts.method ?? "auto";
  if (method === "exact" && players.length > MAX_EXACT_PLAYERS)
    throw new InputError(`${players.length} players are too many for the exact method (max ${MAX_EXACT_PLAYERS})`, "--players", "use fewer players, group some with --group, or --method permutation");

  if (opts.members !== undefined && !(opts.members >= 1 && opts.members <= learner.outcome.length))
    throw new InputError(`--members ${opts.members}: the pack has ${learner.outcome.length} ensemble members`, "--members", `a number from 1 to ${learner.outcome.length}, or leave it out for all`);
  const models = learner.outcome.slice(0, opts.members ?? learner.outcome.length);
  const base = learner.encoder.encodeForDataset(dataset, [baseline]);
  const free = new Set(players.flatMap((p) => p.columns));
  const input: RowGameInput = { predict: specialisedPredictor(models, base, free), nCols, players, baseline: base };

  let game: Game;
  let samples = 1;
  if (opts.game === "ablation") {
    const target = learner.encoder.encodeForDataset(dataset, [opts.config!]);
    game = ablationGame({ ...input, target, subsetValues: treeSubsetValues(models, players, base, target, nCols) });
  } else {
    samples = opts.samples ?? DEFAULT_SAMPLE_SIZE;
    const cfgs = sampleConfigurations(pack.space.searchSpace, pack.space.models, samples, createRng(seed));
    const rows = learner.encoder.encodeForDataset(dataset, cfgs);
    const fast = treeSubsetValues(models, players, base, rows, nCols);
    let done = 0;
    const subsetValues = fast && opts.onProgress ? (z: number, D: number, out: Float64Array) => (fast(z, D, out), opts.onProgress!(++done, samples)) : fast;
    const sampleInput = { ...input, samples: rows, includeBaseline: true, subsetValues };
    game = opts.game === "sensitivity" ? sensitivityGame(sampleInput) : tunabilityGame(sampleInput);
    // The monotone estimate needs the full table, which exact games compute anyway.
    if (opts.game === "tunability" && players.length <= MAX_EXACT_PLAYERS) game = subspaceMaxGame(game);
  }
  const explanation = explain(game, { method, budget: opts.budget, seed });
  const memberOf = new Map<string, string[]>(all.map((p) => [p.name, [p.name]]));
  for (const g of opts.groups ?? []) memberOf.set(g.name, g.members);
  const playing = new Set(players.flatMap((p) => memberOf.get(p.name) ?? [p.name]));
  return {
    game: opts.game,
    explanation,
    players: players.map((p) => ({ name: p.name, members: memberOf.get(p.name) ?? [p.name] })),
    baseline,
    config: opts.config,
    held: ["model", ...Object.keys(pack.space.searchSpace.hyperparameters)].filter((h) => !playing.has(h)),
    samples,
    members: models.length,
    seed,
    valueLabel: valueLabel(opts.game, pack.manifest.target === "rank", pack.manifest.metric.name),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** What a game's values measure: the prediction itself (for a rank target, what its scale means), or (sensitivity) its variance over the space. */
function valueLabel(game: string, rankTarget: boolean, metric: string): string {
  const predicted = rankTarget ? "predicted rank" : metric;
  if (game === "sensitivity") return `variance of the ${predicted} over the space`;
  return rankTarget ? `${predicted}, from 0 = a past dataset's worst run to 1 = its best; a prediction may pass 1` : predicted;
}

/** Named players, or the top k by the pack's global importance (a group scores its members' sum); named groups always play. */
function choosePlayers(pack: Pack, all: Player[], which: number | string[], groups: PlayerGroup[]): Player[] {
  const byName = new Map(all.map((p) => [p.name, p]));
  if (Array.isArray(which)) {
    const unknown = which.filter((w) => !byName.has(w));
    if (unknown.length) throw new InputError(`unknown player${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`, "--players", `choose from: ${[...byName.keys()].join(", ")}`);
    return which.map((w) => byName.get(w)!);
  }
  if (!Number.isInteger(which) || which < 1) throw new InputError(`--players must be a positive integer or a list of names, got ${which}`, "--players");
  const imp = new Map(readExplanations(pack).importance.map((i) => [i.name, i.meanAbsShap]));
  const members = new Map(groups.map((g) => [g.name, g.members]));
  const score = (p: Player) => (members.get(p.name) ?? [p.name]).reduce((s, m) => s + (imp.get(m) ?? 0), 0);
  const forced = all.filter((p) => members.has(p.name));
  const rest = all.filter((p) => !members.has(p.name));
  const picked = [...forced, ...topPlayers(rest, rest.map(score), Math.max(0, which - forced.length))];
  return picked.sort((a, b) => score(b) - score(a));
}
