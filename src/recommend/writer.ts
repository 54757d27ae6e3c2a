/**
 * The deterministic writer: readable sentences from the same evidence the LLM sees — which hyperparameters
 * drive the choice and in which direction (SHAP), which past datasets it rests on, what it costs — citing
 * evidence ids in square brackets.
 */
import { formatSeconds } from "./constraints.ts";
import { CHEAPEST_REASON, type Recommendation } from "./schema.ts";
import { modelFamily } from "../retrieval/evidence-from-pack.ts";
import { fmt, formatDriver } from "../util/format.ts";

/** What random search needs for the same expected best, when the record says. */
const asRandom = (n?: number) => (n ? ` (what about ${n} random trial${n > 1 ? "s" : ""} reach${n > 1 ? "" : "es"} on the same runs)` : "");

/** What to do where single picks are unreliable (the CLI's and the API's wording). */
export const STUDY_PLAN = "run the alternatives too, or start a study (hporec study new) and tell it your results.";

export interface JustificationOptions {
  /** What the justification advises where single picks are unreliable; default STUDY_PLAN (the chat, where results are told in the conversation, says it its own way). */
  studyPlan?: string;
}

export function writeJustification(r: Recommendation, opts: JustificationOptions = {}): string {
  const rec = r.recommendation;
  const p = rec.predicted;
  const cite = (id: string) => (r.evidence.some((e) => e.id === id) ? ` [${id}]` : "");
  const s: string[] = [];

  // A negative cosine similarity means unlike, not close: such datasets are not offered as the closest.
  const similar = r.similarDatasets.filter((d) => d.similarity > 0).slice(0, 3);
  if (similar.length) {
    const names = similar.map((d) => `${d.id} (similarity ${d.similarity.toFixed(2)})${cite(`ds:${d.id}`)}`).join(", ");
    s.push(`The closest past datasets are ${names}.`);
  } else if (r.similarDatasets.length) s.push("No past dataset is similar to this one: the prediction extrapolates from all of them.");
  const t = r.trackRecord;
  const range = t ? `${Math.round(100 * t.level)}% range` : "range, not calibrated";
  const metric = Number.isFinite(p.metric)
    ? `a predicted ${r.metric.name} of about ${fmt(p.metric, 3)} (${range} ${fmt(p.interval[0], 3)}-${fmt(p.interval[1], 3)})`
    : `a predicted score of ${p.score.toFixed(3)} ± ${p.spread.toFixed(3)}`;
  s.push(`${rec.model} with this configuration has ${metric}${cite(`model:${modelFamily(rec.model)}`)}.`);
  // What the data supports: how picks made this way did on past datasets they were not trained on.
  if (t)
    s.push(
      `On ${t.datasets} past datasets held out of training, picks made this way were acceptable (at most 30% of the way from the best run there to the worst) on ${t.acceptable} and scored ${t.meanScore.toFixed(2)} on average (1 = the best run there, 0 = the median run); ${Math.round(100 * t.level)}% of their outcomes fall in a range like the one above.`,
    );
  // Measured (docs/eval-experiments.md): outside the past range single picks transfer far worse than inside it.
  const small = t?.smallerThanPast;
  const plan = opts.studyPlan ?? STUDY_PLAN;
  if (small)
    s.push(
      `But your dataset is smaller than every past one (see the warnings), and there this record does not hold: on ${small.datasets} datasets that small (${small.source}, never trained on), picks made this way were acceptable on ${small.acceptable} and further off on ${small.catastrophic}, and scored ${small.meanScore.toFixed(2)} on average${asRandom(small.randomTrials)}; the best of the three highest-ranked configurations scored ${small.top3Score.toFixed(2)}${asRandom(small.randomTrialsTop3)}, and the stated range held the real outcome on ${small.covered} of ${small.datasets}. So ${plan}${small.study ? ` There, ${small.study.trials} told results of a study reached ${small.study.score.toFixed(2)}${asRandom(small.study.randomTrials)}.` : ""}`,
    );
  else if (r.extrapolation.length)
    s.push(`Your dataset lies outside the range of the past datasets (see the warnings), where single picks have been much less reliable${t ? " than this record says" : ""}: ${plan}`);

  if (p.prior !== undefined && Math.abs(p.prior) >= 0.05) {
    const where = Math.round(100 * (p.prior + 0.5));
    s.push(
      p.prior > 0
        ? `On those datasets, the runs nearest to it did better than about ${where}% of the runs there, which counts in its favour.`
        : `On those datasets, the runs nearest to it did better than only about ${where}% of the runs there, which counts against it.`,
    );
  }
  const up = r.drivers.filter((d) => d.contribution > 0).slice(0, 3);
  const down = r.drivers.filter((d) => d.contribution < 0).slice(0, 2);
  if (up.length)
    s.push(`It is driven by ${up.map((d) => `${formatDriver(d)}${cite(`hp:${d.name}`)}`).join(", ")}.`);
  if (down.length)
    s.push(
      `Working against it: ${down.map((d) => `${formatDriver(d)}${cite(`hp:${d.name}`)}`).join(", ")}, accepted because ${r.objective === "accuracy" ? "the alternatives score lower overall" : `on the ${r.objective} objective (predicted metric against training time) it beats the alternatives`}.`,
    );
  // Said without numbers: the evidence document gives them (a caveat's counts are no claim about this answer).
  const caveated = [...up, ...down].filter((d) => d.caveat).map((d) => d.name);
  if (caveated.length)
    s.push(`Read ${caveated.join(" and ")} with care: in the past runs ${caveated.length > 1 ? "their effect is" : "its effect is"} mostly how long runs trained before they were stopped, not what ${caveated.length > 1 ? "these values do" : "this value does"} when trained to the end.`);
  if (p.seconds !== null && Number.isFinite(p.seconds)) s.push(`Training is predicted to take about ${formatSeconds(p.seconds)}.`);
  else s.push("Its training time is unknown: this pack has no training-time data.");
  const cheap = r.alternatives.find((a) => a.reason === CHEAPEST_REASON);
  if (cheap) s.push(`If time matters more, ${cheap.model} (${cheap.candidateId}) is predicted within 1 point at about ${formatSeconds(cheap.predicted.seconds)}.`);
  else s.push("No candidate within 1 point of it is predicted to train faster.");
  const unchecked = p.seconds === null && r.constraints.budgetSeconds !== undefined;
  const stated = unchecked ? "Constraints (the budget could not be applied)" : r.budgetMet === false ? "Constraints (the budget is not met: see the warning)" : "Constraints respected";
  if (r.constraintsStated.length) s.push(`${stated}: ${r.constraintsStated.join("; ")}.`);
  if (r.objective !== "accuracy") s.push(`Objective: ${r.objective}.`);
  for (const w of r.warnings) s.push(`Warning: ${w}.`);
  return s.join(" ");
}
