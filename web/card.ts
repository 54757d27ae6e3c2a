/**
 * The recommendation card: the pick and the evidence behind it — every hyperparameter, the predicted metric with
 * its range, training time, alternatives, the judge's verdict, warnings, similar past datasets, SHAP drivers,
 * importance for this dataset (on demand), good ranges, and the pick to copy as JSON, YAML or Optuna.
 */
import { html } from "htm/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { caveatMark, fmt, formatSeconds } from "../src/util/format.ts";
import { api, type ApiError } from "./api.ts";
import { Chart, driversSpec, goodRangeSpec, importanceSpec } from "./charts.ts";
import type { GoodRange } from "../src/explain/good-ranges.ts";
import { exportText, type ExportFormat } from "./exports.ts";
import type { JudgeVerdict, Recommendation, RecommendOutcome, StudyState } from "./types.ts";

const metricText = (rec: Recommendation, p: Recommendation["recommendation"]["predicted"]) => `${rec.metric.name} ≈ ${fmt(p.metric, 3)} (range ${fmt(p.interval[0], 3)}–${fmt(p.interval[1], 3)})`;

export function RecommendationCard({ rec, verdict, assumptions = [] }: { rec: Recommendation; verdict?: JudgeVerdict; assumptions?: string[] }) {
  const pick = rec.recommendation;
  return html`<article class="card" aria-label=${`recommendation: ${pick.model}`}>
    <header class="card-head">
      <p class="eyebrow">Recommended model</p>
      <h3 class="model" data-testid="model">${pick.model}</h3>
      <p class="predicted"><strong>${metricText(rec, pick.predicted)}</strong> · training ≈ ${formatSeconds(pick.predicted.seconds)}</p>
      <p class="muted">objective ${rec.objective} · pack ${rec.pack.name} · ${rec.candidatesEvaluated} candidates · ${rec.source} answer${
        rec.trackRecord ? ` · on held-out past datasets ${rec.trackRecord.acceptable}/${rec.trackRecord.datasets} picks acceptable` : ""
      }</p>
    </header>
    <${Understood} rec=${rec} assumptions=${assumptions} />
    <${Verdict} rec=${rec} given=${verdict} />
    ${rec.warnings.length > 0 &&
    html`<section class="warnings" aria-label="warnings"><h4>Warnings</h4><ul>${rec.warnings.map((w) => html`<li>${w}</li>`)}</ul></section>`}
    <section><h4>Hyperparameters</h4><${HyperparameterTable} rec=${rec} /></section>
    <section>
      <h4>Why this pick</h4>
      <${Chart} spec=${useMemo(() => driversSpec(rec.drivers), [rec])} label="SHAP drivers: what raises or lowers the pick's predicted score" />
      ${rec.drivers.some((d) => d.caveat) &&
      html`<ul class="muted" data-testid="driver-caveats">${rec.drivers.filter((d) => d.caveat).map((d) => html`<li>Read ${d.name}${caveatMark(d)} with care: ${d.caveat}.</li>`)}</ul>`}
      <${Importance} rec=${rec} />
    </section>
    <section><h4>Alternatives</h4><${Alternatives} rec=${rec} /></section>
    <section><h4>Similar past datasets</h4><${Similar} rec=${rec} /></section>
    <section><h4>Good ranges</h4><${GoodRanges} rec=${rec} /></section>
    <${Copy} rec=${rec} />
    <${StartStudy} rec=${rec} />
  </article>`;
}

function Understood({ rec, assumptions }: { rec: Recommendation; assumptions: string[] }) {
  const mf = rec.dataset.metaFeatures;
  const facts = [
    rec.dataset.name,
    mf.n_samples !== undefined && `${fmt(mf.n_samples)} samples`,
    mf.n_classes !== undefined && `${fmt(mf.n_classes)} classes`,
    mf.image_size !== undefined && `${fmt(mf.image_size)} px`,
    mf.channels !== undefined && `${fmt(mf.channels)} channel${mf.channels === 1 ? "" : "s"}`,
    rec.dataset.domain,
    rec.dataset.modality,
  ].filter(Boolean);
  return html`<section class="understood" aria-label="what was understood">
    <p><strong>Understood:</strong> ${facts.join(" · ")}${rec.constraintsStated.length ? html`; <strong>constraints:</strong> ${rec.constraintsStated.join("; ")}` : ""}</p>
    ${assumptions.length > 0 && html`<p><strong>Assumed:</strong> ${assumptions.join("; ")}</p>`}
  </section>`;
}

function Verdict({ rec, given }: { rec: Recommendation; given?: JudgeVerdict }) {
  const [verdict, setVerdict] = useState(given ?? rec.verdict);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (verdict) return;
    // Chat answers come without the judge's verdict: ask the judge (rules, plus the LLM judge when configured).
    api<{ verdict: JudgeVerdict }>("POST", "/v1/judge", { recommendation: rec })
      .then((r) => setVerdict(r.verdict))
      .catch((e: ApiError) => setError(e.message));
  }, [rec]);
  if (error) return html`<section class="verdict"><p class="error">judge: ${error}</p></section>`;
  if (!verdict) return html`<section class="verdict" aria-busy="true"><p class="muted">The judge is checking this answer…</p></section>`;
  const problems = verdict.problems ?? [];
  return html`<section class=${`verdict ${verdict.pass ? "pass" : "fail"}`} aria-label="judge verdict" data-testid="verdict">
    <p><span class="badge">${verdict.pass ? "Judge: pass" : "Judge: fail"}</span> ${Object.entries(verdict.scores)
      .map(([k, v]) => `${k} ${fmt(v, 2)}`)
      .join(" · ")} <span class="muted">(${verdict.judge})</span></p>
    ${problems.length > 0 && html`<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul>`}
    ${(verdict.flags ?? []).length > 0 && html`<ul class="muted">${verdict.flags!.map((f) => html`<li>${f}</li>`)}</ul>`}
  </section>`;
}

function HyperparameterTable({ rec }: { rec: Recommendation }) {
  const entries = Object.entries(rec.recommendation.hyperparameters);
  return html`<dl class="hps">${entries.map(
    ([k, v]) => html`<div><dt>${k}</dt><dd>${v === null ? html`<span class="muted">inactive</span>` : fmt(v)}</dd></div>`,
  )}</dl>`;
}

function Alternatives({ rec }: { rec: Recommendation }) {
  return html`<ul class="alts">${rec.alternatives.map(
    (a) => html`<li>
      <p><strong>${a.model}</strong> <span class="muted">— ${a.reason}</span></p>
      <p>${metricText(rec, a.predicted)} · training ≈ ${formatSeconds(a.predicted.seconds)}</p>
      <details><summary>its hyperparameters</summary><p class="mono">${Object.entries(a.hyperparameters)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${fmt(v!)}`)
        .join(", ")}</p></details>
    </li>`,
  )}</ul>`;
}

function Similar({ rec }: { rec: Recommendation }) {
  return html`<ul class="similar">${rec.similarDatasets.map(
    (d) => html`<li><span class="mono">${d.id}</span><span class="bar" aria-hidden="true"><span style=${{ width: `${Math.max(0, Math.min(1, d.similarity)) * 100}%` }}></span></span><span>similarity ${fmt(d.similarity, 2)}</span></li>`,
  )}</ul>`;
}

/** The request that gave this recommendation, as /v1/recommend and /v1/studies take it. */
function requestOf(rec: Recommendation) {
  const { name, metaFeatures, domain, modality } = rec.dataset;
  return { dataset: { ...(name ? { name } : {}), metaFeatures, ...(domain ? { domain } : {}), ...(modality ? { modality } : {}) }, constraints: rec.constraints, objective: rec.objective };
}

/** Starts an ask/tell study for this dataset and opens it in the Study view (its id in the URL). */
function StartStudy({ rec }: { rec: Recommendation }) {
  const [state, setState] = useState<{ busy?: boolean; error?: string }>({});
  const start = async () => {
    setState({ busy: true });
    try {
      const { study } = await api<StudyState>("POST", "/v1/studies", requestOf(rec));
      location.hash = `#/study/${study.id}`;
    } catch (e) {
      setState({ error: (e as ApiError).message });
    }
  };
  return html`<section class="start-study" aria-label="run it">
    <h4>Run it</h4>
    <p class="muted">Train the pick, tell hporec the result, and get the next configuration to try.</p>
    <button type="button" onClick=${start} disabled=${state.busy}>${state.busy ? "Starting a study…" : "Start a study"}</button>
    ${state.error && html`<p class="error" role="alert">${state.error}</p>`}
  </section>`;
}

/** Tunability game for this dataset: computed by the server on request (a second or so). */
function Importance({ rec }: { rec: Recommendation }) {
  const [state, setState] = useState<{ busy?: boolean; error?: string; players?: NonNullable<Recommendation["importanceForDataset"]>["players"] }>({
    players: rec.importanceForDataset?.players,
  });
  const run = async () => {
    setState({ busy: true });
    try {
      const r = await api<RecommendOutcome>("POST", "/v1/recommend", { ...requestOf(rec), importance: true });
      setState({ players: r.recommendation.importanceForDataset?.players ?? [] });
    } catch (e) {
      setState({ error: (e as Error).message });
    }
  };
  if (state.players) return html`<${Chart} spec=${importanceSpec(state.players)} label="Importance for this dataset: share of the tuning gain per hyperparameter" />`;
  return html`<p>
    <button type="button" class="secondary" onClick=${run} disabled=${state.busy}>${state.busy ? "Computing importance…" : "Importance for this dataset"}</button>
    ${state.error && html`<span class="error"> ${state.error}</span>`}
  </p>`;
}

/** What the pack learnt about good values (GET /v1/explain): the same for every card, so asked once. */
let explained: Promise<{ importance: { name: string; kind: string }[]; goodRanges: GoodRange[] }> | undefined;

/** How many good-range charts a card shows: the most important hyperparameters still searched. */
const RANGE_CHARTS = 6;

function GoodRanges({ rec }: { rec: Recommendation }) {
  const space = rec.reducedSpace;
  const pick = rec.recommendation.hyperparameters;
  const [ranges, setRanges] = useState<GoodRange[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    explained ??= api("GET", "/v1/explain?top=1000");
    explained
      .then((ex) => {
        const byName = new Map(ex.goodRanges.map((g) => [g.name, g]));
        const names = ex.importance.map((i) => i.name).filter((n) => n in space.hyperparameters && pick[n] !== null && byName.has(n));
        setRanges(names.slice(0, RANGE_CHARTS).map((n) => byName.get(n)!));
      })
      .catch((e: Error) => ((explained = undefined), setError(e.message)));
  }, [rec]);
  const range = (hp: Recommendation["reducedSpace"]["hyperparameters"][string]) =>
    hp.type === "categorical" ? hp.values.join(", ") : hp.type === "bool" ? "true, false" : `${fmt(hp.low)} – ${fmt(hp.high)}${hp.log ? " (log)" : ""}`;
  return html`<p class="muted">Mean SHAP contribution of each value over the past runs the pack learnt from: green values helped; the pick's value is outlined.</p>
    ${error && html`<p class="error">good ranges: ${error}</p>`}
    ${ranges &&
    html`<div class="range-charts" data-testid="good-ranges">${ranges.map(
      (g) => html`<${Chart} spec=${goodRangeSpec(g, pick[g.name])} />`,
    )}</div>`}
    <details>
      <summary>The reduced search space: ${Object.keys(space.hyperparameters).length} hyperparameters to search, ${Object.keys(space.fixed).length} fixed</summary>
      <p class="muted">Models worth trying: ${space.models.join(", ")}.</p>
      <div class="scroll"><table>
        <thead><tr><th scope="col">hyperparameter</th><th scope="col">good range</th><th scope="col">pick</th><th scope="col">why</th></tr></thead>
        <tbody>${Object.entries(space.hyperparameters).map(
          ([k, hp]) => html`<tr><th scope="row">${k}</th><td>${range(hp)}</td><td>${pick[k] === null || pick[k] === undefined ? "—" : fmt(pick[k]!)}</td><td>${space.rationale[k] ?? ""}</td></tr>`,
        )}</tbody>
      </table></div>
    </details>`;
}

function Copy({ rec }: { rec: Recommendation }) {
  const [shown, setShown] = useState<{ format: ExportFormat; text: string; copied: boolean }>();
  const copy = async (format: ExportFormat) => {
    const text = await exportText(rec, format);
    // The clipboard needs a secure context and permission; the text stays on screen to select by hand otherwise.
    const copied = await navigator.clipboard?.writeText(text).then(
      () => true,
      () => false,
    );
    setShown({ format, text, copied: copied === true });
  };
  return html`<section class="copy" aria-label="copy the pick">
    <h4>Copy the pick</h4>
    <div class="buttons">
      <button type="button" class="secondary" onClick=${() => copy("json")}>Copy as JSON</button>
      <button type="button" class="secondary" onClick=${() => copy("yaml")}>Copy as YAML</button>
      <button type="button" class="secondary" onClick=${() => copy("optuna")}>Copy as Optuna params</button>
    </div>
    ${shown &&
    html`<p class="muted" role="status">${shown.copied ? `Copied as ${shown.format}.` : `Select the ${shown.format} below to copy it.`}</p>
      <pre class="export" data-format=${shown.format} tabindex="0">${shown.text}</pre>`}
  </section>`;
}
