/** HyperSHAP-style hyperparameter-importance games on the meta-learner: build a game, explain it, plot it. */
export { aggregateGames, functionGame, tabulate, MAX_EXACT_PLAYERS, MAX_TABLE_PLAYERS, type Aggregate, type Game } from "./game.ts";
export {
  ablationGame,
  mistunabilityGame,
  sampleGame,
  sensitivityGame,
  subspaceMaxGame,
  tunabilityGame,
  DEFAULT_SAMPLE_SIZE,
  type Player,
  type Predictor,
  type RowGameInput,
  type SampleGameInput,
  type SampleStatistic,
  type SubsetValues,
} from "./hpo-games.ts";
export { columnPlayers, groupPlayers, parseGroup, screeningScores, topPlayers, DEFAULT_TOP_PLAYERS, type ColumnInfo, type PlayerGroup } from "./players.ts";
export { explain, explainTable, type ExplainOptions, type Explanation } from "./explain.ts";
export { mainEffects, moebiusTransform, shapleyInteractions, shapleyValues } from "./shapley.ts";
export { permutationSampling, type PermutationEstimate, type PermutationOptions } from "./approx.ts";
export { interactionHeatmapSpec, renderExplanation, shapleyBarSpec, type PlotOptions } from "./plot.ts";
export { specialisedPredictor, specialiseTrees } from "./specialise.ts";
export { treeSubsetValues } from "./tree-subsets.ts";
export { defaultConfiguration, parseConfiguration } from "./configurations.ts";
export { datasetImportance, GAMES, type DatasetImportance, type DatasetImportanceOptions, type ImportanceGame } from "./dataset-importance.ts";
export { ImportanceForDataset } from "./importance-section.ts";
export { importanceForDataset, refineReducedSpace, withDatasetImportance, MIN_TUNABILITY_SHARE, type ImportanceRequest } from "./recommendation-importance.ts";
