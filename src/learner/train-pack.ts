/** Trains a meta-learner on a meta-dataset and writes it, with what explains it, as a pack. */
import type { MetaDataset } from "../metadata/schema.ts";
import { MetaLearner, ACCEPTABLE_REGRET, DEFAULT_BAG, DEFAULT_PARAMS, TOP_WEIGHT, type TrainOptions } from "./meta-learner.ts";
import { savePack, type PackContent } from "./pack.ts";
import { summariseDatasets } from "./summaries.ts";
import { outcomeTargets } from "./targets.ts";
import { spearman } from "../util/stats.ts";

export interface TrainReport {
  features: number;
  train: { rmse: number; spearman: number };
}

/** Hooks for later stages to add files to the pack (explanations, knowledge index) before it is written. */
export type PackExtension = (learner: MetaLearner, md: MetaDataset, content: PackContent) => Promise<void> | void;

export async function trainPack(
  md: MetaDataset,
  out: string,
  opts: TrainOptions,
  extensions: PackExtension[] = [],
): Promise<TrainReport> {
  const models = MetaLearner.train(md, opts);
  const learner = MetaLearner.from(models, opts.target);

  const datasets = new Map(md.datasets.map((d) => [d.id, d]));
  const rows = learner.encoder.encode(md.runs.map((r) => ({ dataset: datasets.get(r.datasetId)!, config: r })));
  const pred = learner.predictRows(rows, md.runs.length).mean;
  const y = outcomeTargets(md, opts.target);
  const rmse = Math.sqrt(y.reduce((s, v, i) => s + (pred[i] - v) ** 2, 0) / y.length);
  const report: TrainReport = { features: models.featureMap.columns.length, train: { rmse, spearman: spearman(Array.from(pred), y) } };

  const content: PackContent = {
    name: md.name,
    metaDataset: { name: md.name, format: md.format, kind: md.kind, runs: md.runs.length, datasets: md.datasets.length },
    metric: md.metric,
    target: opts.target,
    params: { ...DEFAULT_PARAMS, ...opts.params, top_weight: opts.topWeight ?? TOP_WEIGHT, head: models.head?.kind ?? "none", accept_threshold: opts.acceptThreshold ?? ACCEPTABLE_REGRET, bag: opts.bag ?? DEFAULT_BAG },
    models,
    space: { searchSpace: md.searchSpace, models: md.models },
    datasets: summariseDatasets(md),
    metrics: report,
    extraFiles: {},
  };
  for (const ext of extensions) await ext(learner, md, content);
  await savePack(out, content);
  return report;
}
