/**
 * The recommendation engine, loaded once per pack. `recommend` runs the stages in order, each in its own module:
 *
 *   validate (request.ts) -> neighbours (neighbours.ts) -> candidates (candidate-blocks.ts) -> score (scoring.ts)
 *   -> rank (ranking.ts, budget.ts) -> compose (compose.ts) -> write (writing.ts, with a writer such as llm-writer.ts)
 *
 * The Recommender holds what the stages keep across requests (prepared candidate blocks, SHAP regions, the
 * retrieval prior) and orchestrates them; its other methods expose single stages to the judge and the evaluation.
 */
import type { DatasetFeatures } from "../learner/features.ts";
import type { Pack } from "../learner/pack.ts";
import type { Explanations } from "../explain/explain-learner.ts";
import { RegionShap } from "../explain/region-shap.ts";
import { withDatasetImportance } from "../explain/games/recommendation-importance.ts";
import { checkConstraints, checkRequest, packContext, type RecommendRequest, type RequestContext } from "./request.ts";
import { DEFAULT_NEIGHBOURS, neighbourFinder, type Neighbour, type SimilarityFinder } from "./neighbours.ts";
import { CandidateBlocks, type CandidateBlock } from "./candidate-blocks.ts";
import type { Candidate } from "./candidates.ts";
import { headShare, scoreBlocks, scoreCandidates, type Scored, type ScoringModel } from "./scoring.ts";
import { rank, type Ranking } from "./ranking.ts";
import { composer, type ComposeContext } from "./compose.ts";
import { driversOf, type Drivers } from "./drivers.ts";
import type { EvidenceLookup } from "./evidence.ts";
import { writtenAnswer, type WriteOptions } from "./writing.ts";
import { RetrievalPrior } from "./retrieval-prior.ts";
import { caveatTexts } from "../explain/training-length.ts";
import { extrapolationCheck, ignoredFeatures, leaningOnOrder, type Extrapolation } from "./extrapolation.ts";
import type { EvidenceRef, Recommendation } from "./schema.ts";

export class Recommender {
  private readonly context: RequestContext;
  private readonly findNeighbours: (dataset: RecommendRequest["dataset"], k: number) => Promise<Neighbour[]>;
  private readonly blocks: CandidateBlocks;
  private readonly scoring: ScoringModel;
  private readonly composing: ComposeContext;
  private readonly shap: RegionShap;
  private readonly extrapolation: (dataset: RecommendRequest["dataset"]) => Extrapolation[];
  private readonly ignored: (dataset: RecommendRequest["dataset"]) => string[];

  constructor(
    readonly pack: Pack,
    readonly explanations: Explanations,
    readonly findSimilar: SimilarityFinder,
    evidenceText: EvidenceLookup = () => undefined,
  ) {
    const { learner, manifest } = pack;
    this.context = packContext(pack);
    this.findNeighbours = neighbourFinder(findSimilar, pack.datasets);
    this.blocks = new CandidateBlocks(learner, pack.space);
    this.extrapolation = extrapolationCheck(pack.datasets);
    this.ignored = ignoredFeatures(pack.datasets);
    this.scoring = { learner, target: manifest.target, direction: manifest.metric.direction, prior: RetrievalPrior.of(learner), calibration: pack.calibration, extrapolation: this.extrapolation };
    this.shap = new RegionShap(learner);
    this.composing = { space: pack.space, manifest, calibration: pack.calibration, reducedSpace: explanations.reducedSpace, shap: this.shap, evidenceText, caveats: caveatTexts(explanations.trainingLength) };
  }

  /** With a writer (the LLM), it chooses among the top candidates and writes the justification; else the deterministic writer. */
  async recommend(req: RecommendRequest, options: WriteOptions = {}): Promise<Recommendation> {
    const ranking = await this.rank(req);
    const compose = composer(this.composing, req, ranking, options);
    const answer = compose.answer(ranking.ranked[0]);
    const rec = options.writer ? await writtenAnswer(options.writer, ranking.ranked, answer, compose, options.review) : answer;
    return req.importance ? withDatasetImportance(this.pack, req.dataset, rec, req.importance === true ? {} : req.importance) : rec;
  }

  /** validate -> neighbours -> candidates -> score -> rank: the zero-shot ranking `recommend` answers with the first of (a study's asks start from it). */
  async rank(req: RecommendRequest): Promise<Ranking> {
    checkRequest(req, this.context);
    const outside = this.extrapolation(req.dataset);
    const neighbours = await this.neighbours(req.dataset, req.neighbours ?? DEFAULT_NEIGHBOURS);
    const share = headShare(this.scoring, outside);
    const scored = scoreBlocks(this.scoring, req, this.blocks.for(req, neighbours), neighbours, share);
    return rank(req, scored, neighbours, {
      hasCost: this.pack.manifest.hasCost,
      outside: share > 0 ? leaningOnOrder(outside) : outside,
      headShare: share,
      caveats: this.explanations.trainingLength,
      notes: this.ignored(req.dataset),
    });
  }

  /**
   * One recommendation per past dataset of the pack, so that a server's first requests find the candidate
   * blocks prepared, the trees' regions around known datasets cached and the code compiled.
   */
  async warmUp(samples?: number): Promise<void> {
    for (const d of this.pack.datasets) await this.recommend({ dataset: d, samples });
  }

  /** The neighbours stage: the k past datasets most similar to a dataset. */
  neighbours(dataset: RecommendRequest["dataset"], k: number): Promise<Neighbour[]> {
    return this.findNeighbours(dataset, k);
  }

  /** The candidates stage, in prepared blocks (candidate-blocks.ts); the request's constraints are checked first. */
  candidateBlocks(req: RecommendRequest, neighbours: Neighbour[]): CandidateBlock[] {
    checkConstraints(req.constraints ?? {}, this.context);
    return this.blocks.for(req, neighbours);
  }

  /** The candidates of `candidateBlocks`. */
  candidates(req: RecommendRequest, neighbours: Neighbour[]): Candidate[] {
    return this.candidateBlocks(req, neighbours).flatMap((b) => b.candidates);
  }

  /** The score stage on any candidates; shared by `recommend` and the evaluation (which passes real runs). */
  score(req: RecommendRequest, candidates: Candidate[], neighbours: Neighbour[]): Scored[] {
    return scoreCandidates(this.scoring, req, candidates, neighbours);
  }

  /** Scores every candidate of the blocks on the request's dataset (same result as `score` on `candidates`). */
  scoreBlocks(req: RecommendRequest, blocks: CandidateBlock[], neighbours: Neighbour[]): Scored[] {
    return scoreBlocks(this.scoring, req, blocks, neighbours);
  }

  /** The drivers (SHAP) and evidence references of any candidate of a ranking, as `recommend` states them for its pick. */
  explain(req: RecommendRequest, ranking: Ranking, s: Scored): { drivers: Drivers; evidence: EvidenceRef[] } {
    const compose = composer(this.composing, req, ranking);
    const drivers = compose.drivers(s);
    return { drivers, evidence: compose.evidence(s, drivers) };
  }

  /** SHAP contributions of the chosen configuration's hyperparameters (and model) on this dataset, as `recommend` states them. */
  drivers(dataset: DatasetFeatures, cfg: Candidate): Drivers {
    return driversOf(this.shap, dataset, cfg, this.composing.caveats, headShare(this.scoring, this.extrapolation(dataset)));
  }
}
