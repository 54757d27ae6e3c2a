/**
 * The dataset form: a card's fields and the common constraints, sent to POST /v1/recommend. The server is the
 * only validator (the form is novalidate): a 400 names a path ("body.card: classes"), shown at that field.
 */
import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { KNOWN_DOMAINS, KNOWN_MODALITIES } from "../src/metadata/domains.ts";
import { api, type ApiError } from "./api.ts";
import { RecommendationCard } from "./card.ts";
import { fieldOf } from "./field-path.ts";
import type { RecommendOutcome } from "./types.ts";

interface Field {
  name: string;
  label: string;
  kind: "text" | "number" | "select";
  options?: readonly string[];
  help?: string;
}

const FIELDS: Field[] = [
  { name: "name", label: "Name", kind: "text", help: "optional, e.g. skin-lesions" },
  { name: "samples", label: "Training examples", kind: "number" },
  { name: "classes", label: "Classes", kind: "number" },
  { name: "imageSize", label: "Image side (px)", kind: "number", help: "the mean side for mixed sizes" },
  { name: "channels", label: "Channels", kind: "number", help: "3 for RGB, 1 for grey" },
  { name: "depth", label: "Depth (slices)", kind: "number", help: "3D scans only" },
  { name: "domain", label: "Domain", kind: "select", options: ["", ...KNOWN_DOMAINS] },
  { name: "modality", label: "Modality", kind: "select", options: KNOWN_MODALITIES },
  { name: "budgetHours", label: "Training budget (hours)", kind: "number", help: "optional: predicted training time at most this" },
  { name: "objective", label: "Objective", kind: "select", options: ["accuracy", "balanced", "cost"] },
];
const CARD_FIELDS = ["name", "samples", "classes", "imageSize", "channels", "depth", "domain", "modality"];

function requestBody(values: Record<string, string>) {
  const card: Record<string, string | number> = {};
  for (const k of CARD_FIELDS) {
    const v = values[k]?.trim();
    if (!v) continue;
    card[k] = FIELDS.find((f) => f.name === k)!.kind === "number" ? Number(v) : v;
  }
  const hours = values.budgetHours?.trim();
  return { card, ...(hours ? { constraints: { budgetSeconds: Number(hours) * 3600 } } : {}), objective: values.objective || "accuracy" };
}

export function FormView() {
  const [values, setValues] = useState<Record<string, string>>({ modality: "image", objective: "accuracy" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; message: string }>();
  const [outcome, setOutcome] = useState<RecommendOutcome>();

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setOutcome(await api<RecommendOutcome>("POST", "/v1/recommend", requestBody(values)));
    } catch (err) {
      const f = err as ApiError;
      setOutcome(undefined);
      const field = fieldOf(f.path, FIELDS.map((x) => x.name));
      setError({ field, message: f.message });
      if (field) requestAnimationFrame(() => document.getElementById(`f-${field}`)?.focus());
    } finally {
      setBusy(false);
    }
  };

  const input = (f: Field) => {
    const invalid = error?.field === f.name;
    const describedBy = [f.help && `h-${f.name}`, invalid && `e-${f.name}`].filter(Boolean).join(" ") || undefined;
    const common = { id: `f-${f.name}`, name: f.name, "aria-invalid": invalid ? "true" : undefined, "aria-describedby": describedBy };
    const onInput = (e: Event) => setValues({ ...values, [f.name]: (e.target as HTMLInputElement).value });
    return html`<div class=${`field${invalid ? " invalid" : ""}`}>
      <label for=${common.id}>${f.label}</label>
      ${
        f.kind === "select"
          ? html`<select ...${common} value=${values[f.name] ?? ""} onChange=${onInput}>${f.options!.map((o) => html`<option value=${o}>${o || "(not given)"}</option>`)}</select>`
          : html`<input ...${common} type=${f.kind === "number" ? "number" : "text"} inputmode=${f.kind === "number" ? "decimal" : undefined} step="any" value=${values[f.name] ?? ""} onInput=${onInput} />`
      }
      ${f.help && html`<small id=${`h-${f.name}`} class="muted">${f.help}</small>`}
      ${invalid && html`<small id=${`e-${f.name}`} class="error field-error" role="alert">${error!.message}</small>`}
    </div>`;
  };

  return html`<section class="view form" aria-labelledby="form-title">
    <h2 id="form-title">Dataset card</h2>
    <p class="muted">The same fields as a dataset card file (<code>hporec recommend --card</code>).</p>
    <form novalidate onSubmit=${submit}>
      <div class="grid">${FIELDS.map(input)}</div>
      ${error && !error.field && html`<p class="error" role="alert">${error.message}</p>`}
      <button type="submit" disabled=${busy}>${busy ? "Recommending…" : "Recommend"}</button>
    </form>
    ${outcome && html`<${RecommendationCard} rec=${outcome.recommendation} verdict=${outcome.judge} assumptions=${outcome.assumptions} />`}
  </section>`;
}
