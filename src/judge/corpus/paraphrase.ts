/**
 * An answer's facts worded the way LLMs word them ("I'd go with X: ~85% top-1 (likely 67–99%), about an hour of
 * training, with a learning rate of 1e-3 and batch size 32; it resembles APL (0.62)..."), for the judge's
 * corpus: a judge that only reads the deterministic writer's sentences would miss what a real LLM writes. The
 * phrasings are chosen by a seeded generator, so a corpus is reproducible. Only the answer's own numbers are
 * used, rounded as people round them; what the judge must catch is put there by perturbing the facts first.
 */
import type { Recommendation, RecommendedConfig } from "../../recommend/schema.ts";
import { CHEAPEST_REASON } from "../../recommend/schema.ts";
import type { HpValue } from "../../metadata/schema.ts";
import { signed } from "../../util/format.ts";
import type { Rng } from "../../util/random.ts";
import { known } from "../prediction-check.ts";

/** With `full`, every fact is stated (a perturbed fact must show); otherwise a random selection, as LLMs do. */
export function paraphrase(r: Recommendation, rng: Rng, full = false): string {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const sometimes = (p: number) => full || rng.next() < p;
  const rec = r.recommendation;
  const p = rec.predicted;
  const cite = (id: string) => (r.evidence.some((e) => e.id === id) ? ` [${id}]` : "");
  const modelCite = r.evidence.find((e) => e.kind === "model")?.id;
  const parts: string[] = [];

  const size = r.dataset.metaFeatures.n_samples;
  const classes = r.dataset.metaFeatures.n_classes;
  if (size !== undefined && classes !== undefined && sometimes(0.4)) parts.push(`For your ${thousands(size)} samples in ${classes} classes, here is my pick.`);

  const metric = Number.isFinite(p.metric) ? metricPhrase(r, rec, rng, full) : `a predicted score of ${p.score.toFixed(2)}`;
  const opener = pick([
    `I recommend ${rec.model}${modelCite ? ` [${modelCite}]` : ""}: it should reach ${metric}.`,
    `Go with ${rec.model}${modelCite ? ` [${modelCite}]` : ""}, which the meta-learner expects to score ${metric}.`,
    `The best choice here is ${rec.model}${modelCite ? ` [${modelCite}]` : ""} with ${metric}.`,
    `My recommendation: ${rec.model}${modelCite ? ` [${modelCite}]` : ""} (${metric}).`,
  ]);
  parts.push(opener);

  if (known(p.seconds))
    parts.push(pick([`Training should take ${duration(p.seconds, rng)}.`, `Expect roughly ${duration(p.seconds, rng)} of training.`, `It trains in ${duration(p.seconds, rng)}.`]));

  const hps = r.drivers.filter((d) => d.name !== "model" && rec.hyperparameters[d.name] !== null && rec.hyperparameters[d.name] !== undefined).slice(0, 1 + rng.int(3));
  if (hps.length) {
    const settings = hps.map((d) => `${hpName(d.name, rng)} ${pick(["of ", "= ", ""])}${value(rec.hyperparameters[d.name], rng)}${cite(`hp:${d.name}`)}`);
    parts.push(pick([`Key settings: ${settings.join(", ")}.`, `Use ${settings.join(" and ")}.`, `It relies on ${settings.join(", ")}.`]));
  }
  const top = r.drivers.find((d) => d.name !== "model");
  if (top && sometimes(0.4)) parts.push(`${top.name} contributes ${signed(top.contribution, 2)} to the predicted score.`);

  const similar = r.similarDatasets.slice(0, full ? 3 : 1 + rng.int(3));
  if (similar.length) {
    const named = similar.map((d) => (sometimes(0.5) ? `${d.id} (similarity ${d.similarity.toFixed(2)})${cite(`ds:${d.id}`)}` : `${d.id}${cite(`ds:${d.id}`)}`));
    parts.push(pick([`It is most similar to ${list(named)}.`, `The closest past datasets are ${list(named)}.`, `Your data resembles ${list(named)}.`]));
  }
  if (r.pack.target === "rank" && p.score >= 0 && p.score < 0.995 && sometimes(0.4))
    parts.push(`That should beat about ${Math.round(100 * p.score)}% of the configurations tried on similar datasets.`);

  const cheap = r.alternatives.find((a) => a.reason === CHEAPEST_REASON);
  if (cheap && known(cheap.predicted.seconds) && sometimes(0.6))
    parts.push(`If time matters, ${cheap.model} (${cheap.candidateId}) is within 1 point and trains in ${duration(cheap.predicted.seconds, rng)}.`);
  else if (!cheap && known(p.seconds) && sometimes(0.3)) parts.push("No other candidate within 1 point trains faster.");
  if (r.constraints.budgetSeconds !== undefined) parts.push(`It fits your budget of ${duration(r.constraints.budgetSeconds, rng, true)}.`);
  for (const [name, v] of Object.entries(r.constraints.fixed ?? {})) parts.push(`As you asked, ${name} fixed at ${String(v)}.`);
  return parts.join(" ");
}

function metricPhrase(r: Recommendation, c: RecommendedConfig, rng: Rng, full: boolean): string {
  const p = c.predicted;
  const fraction = Math.abs(p.interval[1]) <= 1.5;
  const asPercent = fraction && rng.next() < 0.5;
  const show = (v: number, digits: number) => (asPercent ? `${(100 * v).toFixed(Math.max(0, digits - 2))}%` : fraction ? v.toFixed(digits) : v.toFixed(digits - 2));
  const digits = fraction ? 2 + rng.int(2) : 2 + rng.int(2);
  const name = r.metric.name.replace(/_/g, " ");
  const hedge = ["about ", "~", "roughly ", "around ", ""][rng.int(5)];
  const value = `${hedge}${show(p.metric, digits)} ${name}`;
  if (!Number.isFinite(p.interval[0]) || (!full && rng.next() < 0.3)) return value;
  return rng.next() < 0.5 ? `${value} (likely between ${show(p.interval[0], digits)} and ${show(p.interval[1], digits)})` : `${value} (range ${show(p.interval[0], digits)}–${show(p.interval[1], digits)})`;
}

/** "57 minutes", "about 1 hour", "~3420 seconds", "1.5 h". */
function duration(s: number, rng: Rng, exact = false): string {
  const hedge = exact ? "" : ["about ", "~", "roughly ", ""][rng.int(4)];
  if (s < 120 || (!exact && rng.next() < 0.15)) return `${hedge}${Math.round(s)} seconds`;
  if (s < 7200 || rng.next() < 0.3) return `${hedge}${Math.round(s / 60)} ${rng.next() < 0.5 ? "minutes" : "min"}`;
  return `${hedge}${(s / 3600).toFixed(1)} ${rng.next() < 0.5 ? "hours" : "h"}`;
}

const SPOKEN: Record<string, string[]> = {
  lr: ["learning rate", "lr"],
  learning_rate: ["learning rate"],
  batch_size: ["batch size"],
  weight_decay: ["weight decay"],
  drop: ["dropout"],
  dropout_prob: ["dropout"],
};

function hpName(name: string, rng: Rng): string {
  const spoken = SPOKEN[name];
  return spoken && rng.next() < 0.7 ? spoken[rng.int(spoken.length)] : name;
}

function value(v: HpValue | undefined, rng: Rng): string {
  if (typeof v !== "number") return String(v);
  if (Number.isInteger(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 1e-2) return rng.next() < 0.5 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
  return String(Number(v.toPrecision(3)));
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");
const list = (xs: string[]) => (xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
