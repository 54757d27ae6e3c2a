/**
 * The study view (#/study/<id>): ask for the next configuration(s), tell how a run went (its value and time, or a
 * failure such as out of memory), the best-so-far plot and every trial. The server validates; a 400's path is
 * shown at its field, as in the dataset form.
 */
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { anyMarkedDriver, fmt, formatDriver, formatSeconds, shownDrivers, TRAINING_LENGTH_MARK } from "../src/util/format.ts";
import { api, type ApiError } from "./api.ts";
import { bestSoFar, progressSpec } from "../src/study/progress.ts";
import { Chart } from "./charts.ts";
import { fieldOf } from "./field-path.ts";
import type { AskAnswer, StudyState, StudySummary, Trial } from "./types.ts";

const OUTCOMES = [
  ["", "ran: give its value"],
  ["oom", "failed: out of memory"],
  ["diverged", "failed: diverged"],
  ["other", "failed: another reason"],
] as const;
const FIELDS = ["n", "includeRunning", "config", "failed", "value", "seconds", "reason"];

type FieldError = { field?: string; message: string; form: "ask" | "tell" | "forget" };

export function StudyView({ id }: { id?: string }) {
  const [state, setState] = useState<StudyState>();
  const [loadError, setLoadError] = useState<string>();
  const [suggestions, setSuggestions] = useState<AskAnswer["suggestions"]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [toldWarnings, setToldWarnings] = useState<string[]>([]);
  const [values, setValues] = useState<Record<string, string>>({ n: "1", failed: "" });
  const [busy, setBusy] = useState<FieldError["form"]>();
  const [error, setError] = useState<FieldError>();

  const url = `/v1/studies/${encodeURIComponent(id ?? "")}`;
  const reload = () =>
    api<StudyState>("GET", url)
      .then((s) => (setState(s), setLoadError(undefined)))
      .catch((e: ApiError) => setLoadError(e.message));
  useEffect(() => {
    setState(undefined);
    setSuggestions([]);
    if (id) reload();
  }, [id]);

  if (!id)
    return html`<section class="view study" aria-labelledby="study-title">
      <h2 id="study-title">Study</h2>
      <p>No study open. Start one with <strong>Start a study</strong> on a recommendation card, from the <a href="#/chat">chat</a> or the <a href="#/form">dataset form</a>, or open one below.</p>
      <${StudyList} />
    </section>`;
  if (loadError) return html`<section class="view study"><h2>Study</h2><p class="error" role="alert">${loadError}</p></section>`;
  if (!state) return html`<p class="muted" aria-busy="true">Loading the study…</p>`;

  const { study, belief, running: pending } = state;
  const config = values.config && pending.some((p) => p.candidateId === values.config) ? values.config : (pending[0]?.candidateId ?? "");

  /** Runs one request of a form; a 400 lands at its field (focused), anything else above the form. */
  const run = async (form: FieldError["form"], work: () => Promise<void>) => {
    setBusy(form);
    setError(undefined);
    try {
      await work();
      await reload();
    } catch (e) {
      const f = e as ApiError;
      const field = fieldOf(f.path, FIELDS);
      setError({ form, field, message: f.message });
      if (field) requestAnimationFrame(() => document.getElementById(`s-${field}`)?.focus());
    } finally {
      setBusy(undefined);
    }
  };
  const ask = (e: Event) => {
    e.preventDefault();
    run("ask", async () => {
      const answer = await api<AskAnswer>("POST", `${url}/ask`, { ...(values.n.trim() ? { n: Number(values.n) } : {}), ...(values.includeRunning ? { includeRunning: true } : {}) });
      setSuggestions(answer.suggestions);
      setWarnings(answer.warnings);
    });
  };
  const tell = (e: Event) => {
    e.preventDefault();
    const num = (k: string) => (values[k]?.trim() ? { [k]: Number(values[k]) } : {});
    const body = { config, ...num("value"), ...num("seconds"), ...(values.failed ? { failed: values.failed } : {}), ...(values.reason?.trim() ? { reason: values.reason.trim() } : {}) };
    run("tell", async () => {
      const r = await api<{ trial: Trial; warnings: string[] }>("POST", `${url}/tell`, body);
      setToldWarnings(r.warnings.map((w) => `${r.trial.id}: ${w} (Forget it in the table below if it is wrong.)`));
      setValues({ ...values, value: "", seconds: "", reason: "", failed: "", config: "" });
      setSuggestions(suggestions.filter((s) => s.candidateId !== config));
    });
  };

  const field = (form: FieldError["form"], name: string, label: string, control: (common: Record<string, unknown>) => unknown, help?: string) => {
    const invalid = error?.form === form && error.field === name;
    const common = {
      id: `s-${name}`,
      name,
      "aria-invalid": invalid ? "true" : undefined,
      "aria-describedby": [help && `sh-${name}`, invalid && `se-${name}`].filter(Boolean).join(" ") || undefined,
      onInput: (e: Event) => setValues({ ...values, [name]: (e.target as HTMLInputElement).value }),
    };
    return html`<div class=${`field${invalid ? " invalid" : ""}`}>
      <label for=${common.id}>${label}</label>
      ${control(common)}
      ${help && html`<small id=${`sh-${name}`} class="muted">${help}</small>`}
      ${invalid && html`<small id=${`se-${name}`} class="error field-error" role="alert">${error!.message}</small>`}
    </div>`;
  };
  const number = (name: string) => (common: Record<string, unknown>) => html`<input ...${common} type="number" inputmode="decimal" step="any" value=${values[name] ?? ""} />`;
  const formError = (form: FieldError["form"]) => error?.form === form && !error.field && html`<p class="error" role="alert">${error.message}</p>`;
  const d = study.request.dataset;
  const mf = d.metaFeatures;

  return html`<section class="view study" aria-labelledby="study-title">
    <h2 id="study-title">Study${d.name ? ` · ${d.name}` : ""}</h2>
    <p class="muted">${[mf.n_samples !== undefined && `${fmt(mf.n_samples)} samples`, mf.n_classes !== undefined && `${fmt(mf.n_classes)} classes`, d.domain, `pack ${study.pack}`, `${study.direction === "max" ? "higher" : "lower"} is better`, `id ${study.id}`]
      .filter(Boolean)
      .join(" · ")}</p>
    <p data-testid="belief">${belief.explanation}</p>

    <section aria-labelledby="ask-title">
      <h3 id="ask-title">Next configurations</h3>
      <form class="inline-form" novalidate onSubmit=${ask}>
        ${field("ask", "n", "How many at once", number("n"), "several: diverse ones for parallel workers")}
        ${field(
          "ask",
          "includeRunning",
          "Offer running ones again",
          (c) => html`<input ...${c} type="checkbox" checked=${values.includeRunning === "on"} onInput=${(e: Event) => setValues({ ...values, includeRunning: (e.target as HTMLInputElement).checked ? "on" : "" })} />`,
          "asked, no result told yet: left out unless ticked (a lost worker's run)",
        )}
        <button type="submit" disabled=${busy !== undefined}>${busy === "ask" ? "Asking…" : "Ask"}</button>
      </form>
      ${formError("ask")}
      ${warnings.length > 0 && html`<section class="warnings" aria-label="warnings"><ul>${warnings.map((w) => html`<li>${w}</li>`)}</ul></section>`}
      ${suggestions.length > 0 &&
      html`<ol class="suggestions" data-testid="suggestions">${suggestions.map(
        (s) => html`<li data-candidate=${s.candidateId}>
          <p><strong>${s.model}</strong> <span class="mono">${s.candidateId}</span> · predicted ≈ ${fmt(s.predicted.metric, 3)} (range ${fmt(s.predicted.interval[0], 3)}–${fmt(s.predicted.interval[1], 3)}) · training ≈ ${formatSeconds(s.predicted.seconds)}${
            s.expectedGain !== null ? ` · expected gain ${fmt(s.expectedGain, 3)}` : ""
          }</p>
          <p class="mono">${Object.entries(s.hyperparameters)
            .filter(([, v]) => v !== null)
            .map(([k, v]) => `${k}=${fmt(v!)}`)
            .join(", ")}</p>
          ${s.drivers.length > 0 &&
          html`<p class="muted" data-testid="suggestion-drivers">Driven by ${shownDrivers(s.drivers)
            .map((d) => formatDriver(d, { digits: (x) => fmt(x, 2), mark: true }))
            .join(", ")} · evidence ${s.evidence.map((e) => e.id).join(", ")}</p>`}
        </li>`,
      )}</ol>`}
      ${anyMarkedDriver(suggestions) && html`<p class="muted" data-testid="training-length-mark">${TRAINING_LENGTH_MARK}</p>`}
    </section>

    <section aria-labelledby="tell-title">
      <h3 id="tell-title">Tell a result</h3>
      ${pending.length === 0
        ? html`<p class="muted">Ask for a configuration, train it, then tell its result here.</p>`
        : html`<form novalidate onSubmit=${tell}>
            <div class="grid">
              ${field("tell", "config", "Configuration", (c) => html`<select ...${c} value=${config} onChange=${c.onInput}>${pending.map((p) => html`<option value=${p.candidateId}>${p.model} · ${p.candidateId}</option>`)}</select>`)}
              ${field("tell", "failed", "Outcome", (c) => html`<select ...${c} value=${values.failed} onChange=${c.onInput}>${OUTCOMES.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>`)}
              ${field("tell", "value", "Value", number("value"), "the metric, in its own units")}
              ${field("tell", "seconds", "Training time (s)", number("seconds"), "optional")}
              ${field("tell", "reason", "Reason", (c) => html`<input ...${c} type="text" value=${values.reason ?? ""} />`, "optional, e.g. CUDA out of memory")}
            </div>
            ${formError("tell")}
            ${toldWarnings.length > 0 && html`<section class="warnings" aria-label="told result warnings"><ul>${toldWarnings.map((w) => html`<li>${w}</li>`)}</ul></section>`}
            <button type="submit" disabled=${busy !== undefined}>${busy === "tell" ? "Telling…" : "Tell"}</button>
          </form>`}
    </section>

    <section aria-labelledby="trials-title">
      <h3 id="trials-title">Trials (${study.trials.length})</h3>
      ${study.trials.some((t) => t.value !== null) && html`<${Chart} spec=${progressSpec(bestSoFar(study.trials, study.direction), study.direction, "container")} label="Best so far after each trial (line); each trial's value (points)" />`}
      ${formError("forget")}
      ${study.trials.length === 0
        ? html`<p class="muted">No result told yet.</p>`
        : html`<${Trials} trials=${study.trials} best=${belief.best?.id} busy=${busy !== undefined} forget=${(trialId: string) =>
            run("forget", async () => {
              await api("DELETE", `${url}/trials/${encodeURIComponent(trialId)}`);
              setToldWarnings([]);
            })} />`}
    </section>
  </section>`;
}

/** Every told trial; Forget takes one back (a value typed wrong), and the study learns as if it was never told. */
function Trials({ trials, best, busy, forget }: { trials: Trial[]; best?: string; busy: boolean; forget: (id: string) => void }) {
  return html`<div class="scroll"><table data-testid="trials">
    <thead><tr><th scope="col">#</th><th scope="col">trial</th><th scope="col">model</th><th scope="col">configuration</th><th scope="col">result</th><th scope="col">time</th><th scope="col"><span class="sr-only">actions</span></th></tr></thead>
    <tbody>${trials.map(
      (t, i) => html`<tr class=${t.failed ? "failed" : t.id === best ? "best" : ""}>
        <td>${i + 1}</td><th scope="row">${t.id}</th><td>${t.config.model}</td><td class="mono">${t.candidateId ?? "given in full"}</td>
        <td>${t.failed ? `failed: ${t.failed}${t.reason ? ` (${t.reason})` : ""}` : fmt(t.value!)}${t.id === best ? " (best)" : ""}</td>
        <td>${t.seconds === null ? "—" : formatSeconds(t.seconds)}</td>
        <td><button type="button" class="link" disabled=${busy} aria-label=${`Forget trial ${t.id}`} onClick=${() => forget(t.id)}>Forget</button></td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

/** The studies this server keeps, the most recently changed first: where a study is found again without its link. */
function StudyList() {
  const [studies, setStudies] = useState<StudySummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ studies: StudySummary[] }>("GET", "/v1/studies").then((r) => setStudies(r.studies), (e: ApiError) => setError(e.message));
  }, []);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  if (!studies) return html`<p class="muted" aria-busy="true">Loading the studies…</p>`;
  if (!studies.length) return html`<p class="muted">No study yet.</p>`;
  return html`<div class="scroll"><table data-testid="study-list">
    <caption>Studies on this server, the most recently changed first</caption>
    <thead><tr><th scope="col">dataset</th><th scope="col">trials</th><th scope="col">running</th><th scope="col">best so far</th><th scope="col">last change</th></tr></thead>
    <tbody>${studies.map(
      (s) => html`<tr>
        <th scope="row"><a href=${`#/study/${encodeURIComponent(s.id)}`}>${s.name ?? s.id}</a></th>
        <td>${s.trials}</td><td>${s.running}</td><td>${s.best === null ? "—" : fmt(s.best)}</td><td>${new Date(s.updatedAt).toLocaleString()}</td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}
