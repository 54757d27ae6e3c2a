/**
 * The compose stage: the answer for a chosen candidate of a ranking — its configuration as stated, the
 * alternatives, the drivers and evidence, the reduced space for a follow-up search, the pack's track record,
 * the warnings — with the deterministic justification (writer.ts).
 */
import type { RegionShap } from "../explain/region-shap.ts";
import { reducedSpaceFor, type ReducedSpace } from "../explain/reduced-space.ts";
import { checkConfiguration } from "../judge/space-check.ts";
import type { PackManifest } from "../learner/pack.ts";
import type { SearchSpace } from "../metadata/schema.ts";
import { roundTo } from "../util/format.ts";
import { pickAlternatives } from "./alternatives.ts";
import { toConfig } from "./answer-config.ts";
import type { Calibration, TransferRecord } from "./calibration.ts";
import { allowedModels } from "./candidates.ts";
import { describeConstraints } from "./constraints.ts";
import { driversOf, type Drivers } from "./drivers.ts";
import { evidenceFor, type EvidenceLookup } from "./evidence.ts";
import type { Ranking } from "./ranking.ts";
import type { RecommendRequest } from "./request.ts";
import type { EvidenceRef, Recommendation, RecommendedConfig } from "./schema.ts";
import type { Scored } from "./scoring.ts";
import { writeJustification, type JustificationOptions } from "./writer.ts";

/** What composing needs of a pack and its explanations. */
export interface ComposeContext {
  space: { searchSpace: SearchSpace; models: string[] };
  manifest: Pick<PackManifest, "name" | "metric" | "target">;
  calibration?: Calibration;
  /** The pack's reduced space, narrowed for each answer to its pick and constraints. */
  reducedSpace: ReducedSpace;
  shap: RegionShap;
  evidenceText: EvidenceLookup;
  /** Hyperparameter -> why its effect is how long past runs trained, stated beside it as a driver. */
  caveats?: ReadonlyMap<string, string>;
}

/** Answers for the candidates of one request's ranking. */
export interface Composer {
  /** The answer for a chosen candidate, with the deterministic justification. */
  answer(best: Scored, drivers?: Drivers): Recommendation;
  /** The deterministic justification of an answer (written with the composer's options). */
  justify(rec: Recommendation): string;
  drivers(s: Scored): Drivers;
  evidence(s: Scored, drivers: Drivers): EvidenceRef[];
  config(s: Scored): RecommendedConfig;
}

export function composer(ctx: ComposeContext, req: RecommendRequest, ranking: Ranking, writing: JustificationOptions = {}): Composer {
  const space = ctx.space.searchSpace;
  const c = req.constraints ?? {};
  const drivers = (s: Scored) => driversOf(ctx.shap, req.dataset, s.candidate, ctx.caveats, ranking.headShare);
  const evidence = (s: Scored, d: Drivers) => evidenceFor(ctx.evidenceText, ranking.neighbours, s, d);
  const config = (s: Scored) => toConfig(s, space);
  const answer = (best: Scored, d = drivers(best)): Recommendation => {
    const rec: Recommendation = {
      dataset: { name: req.dataset.name, metaFeatures: req.dataset.metaFeatures, domain: req.dataset.domain, modality: req.dataset.modality },
      recommendation: config(best),
      alternatives: pickAlternatives(ranking.ranked, ranking.pool, best, space),
      metric: ctx.manifest.metric,
      similarDatasets: ranking.neighbours.map((n) => ({ id: n.summary.id, similarity: roundTo(n.similarity, 4) })),
      drivers: d,
      reducedSpace: reducedSpaceFor(ctx.reducedSpace, space, allowedModels(ctx.space.models, c), config(best), c.fixed),
      constraints: c,
      constraintsStated: describeConstraints(c),
      ...(ranking.budgetMet ? {} : { budgetMet: false as const }),
      evidence: evidence(best, d),
      justification: "",
      source: "deterministic",
      objective: req.objective ?? "accuracy",
      candidatesEvaluated: ranking.scoredCount,
      pack: { name: ctx.manifest.name, target: ctx.manifest.target },
      ...(ctx.calibration ? { trackRecord: trackRecord(ctx.calibration, ranking.smallerThanPast) } : {}),
      warnings: [...ranking.warnings],
      extrapolation: [...ranking.extrapolation],
    };
    const problems = checkConfiguration(space, ctx.space.models, rec.recommendation.model, rec.recommendation.hyperparameters).problems.filter((p) => p.startsWith("missing"));
    if (problems.length) throw new Error(`internal: recommendation lacks hyperparameters of the space: ${problems.join("; ")}`);
    rec.justification = writeJustification(rec, writing);
    return rec;
  };
  return { answer, justify: (rec) => writeJustification(rec, writing), drivers, evidence, config };
}

const rounded = (t: TransferRecord): TransferRecord => ({
  ...t,
  meanScore: roundTo(t.meanScore, 3),
  top3Score: roundTo(t.top3Score, 3),
  ...(t.study ? { study: { ...t.study, score: roundTo(t.study.score, 3) } } : {}),
});

/** The pack's record, and for a dataset smaller than every past one the record measured on such datasets (when the pack has one). */
const trackRecord = (c: Calibration, small: boolean) => ({
  level: c.level,
  datasets: c.datasets,
  acceptable: c.acceptable,
  meanScore: roundTo(c.meanScore, 3),
  ...(small && c.smallerThanPast ? { smallerThanPast: rounded(c.smallerThanPast) } : {}),
});
