/**
 * Charts with vega-lite through vega-embed, loaded on first use (vega is most of the app's weight, so the first
 * screen does not wait for it). Specs only here; the Chart component renders one.
 */
import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { TopLevelSpec } from "vega-lite";
import { caveatMark, fmt } from "../src/util/format.ts";
import type { GoodRange } from "../src/explain/good-ranges.ts";
import { specBase } from "../src/plot/spec-base.ts";
import type { Recommendation } from "./types.ts";

type Drivers = Recommendation["drivers"];
type Players = NonNullable<Recommendation["importanceForDataset"]>["players"];

/** Every chart here fills its container (phones included). */
const base = (description: string) => specBase(description, "container");

/** SHAP drivers of the pick: which hyperparameter values push its predicted score up or down. */
export function driversSpec(drivers: Drivers): TopLevelSpec {
  return {
    ...base("SHAP contribution of each hyperparameter value to the pick's predicted score"),
    height: { step: 22 },
    data: { values: drivers.map((d) => ({ label: `${d.name} = ${d.value}${caveatMark(d)}`, contribution: d.contribution, effect: d.contribution >= 0 ? "raises" : "lowers" })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      y: { field: "label", type: "nominal", sort: { field: "contribution", op: "max", order: "descending" }, title: null, axis: { labelLimit: 160 } },
      x: { field: "contribution", type: "quantitative", title: "SHAP contribution" },
      color: { field: "effect", type: "nominal", scale: { domain: ["raises", "lowers"], range: ["#1f6f43", "#b02a37"] }, legend: { title: null, orient: "top" } },
    },
  };
}

/** Tunability game for this dataset: the share of the reachable gain owed to tuning each hyperparameter. */
export function importanceSpec(players: Players): TopLevelSpec {
  return {
    ...base("share of the gain from tuning owed to each hyperparameter on this dataset"),
    height: { step: 22 },
    data: { values: players.map((p) => ({ name: p.name, share: p.share })) },
    mark: { type: "bar", tooltip: true, color: "#2a5db0" },
    encoding: {
      y: { field: "name", type: "nominal", sort: "-x", title: null },
      x: { field: "share", type: "quantitative", title: "share of the tuning gain", axis: { format: "%" } },
    },
  };
}

type HpValue = Recommendation["recommendation"]["hyperparameters"][string];

/** Does this bin (an interval or a category) hold the value? */
function holds(bin: GoodRange["stats"][number], v: HpValue): boolean {
  if (v === null) return false;
  if (bin.category !== undefined) return bin.category === String(v);
  return typeof v === "number" && v >= bin.low! - 1e-12 && v <= bin.high! + 1e-12;
}

/**
 * Good ranges of one hyperparameter, learnt from every run the pack explains: the mean SHAP contribution of each
 * value bin (above 0 helps), the pick's bin outlined.
 */
export function goodRangeSpec(range: GoodRange, pick: HpValue): TopLevelSpec {
  const values = range.stats
    .filter((b) => b.n > 0)
    .map((b, i) => ({
      order: i,
      bin: b.category ?? (b.low === b.high ? fmt(b.low!) : `${fmt(b.low!)}–${fmt(b.high!)}`),
      meanShap: b.meanShap,
      effect: b.meanShap > 0 && b.positiveShare >= 0.5 ? "helps" : "does not help",
      runs: b.n,
      pick: holds(b, pick) ? "the pick" : "",
    }));
  return {
    ...base(`mean SHAP contribution of each ${range.name} value over the runs the pack learnt from`),
    title: { text: range.name, anchor: "start", fontSize: 12 },
    height: 110,
    data: { values },
    mark: { type: "bar", tooltip: true, strokeWidth: 2 },
    encoding: {
      x: { field: "bin", type: "ordinal", sort: { field: "order" }, title: null, axis: { labelAngle: -30, labelLimit: 90 } },
      y: { field: "meanShap", type: "quantitative", title: "mean SHAP" },
      color: { field: "effect", type: "nominal", scale: { domain: ["helps", "does not help"], range: ["#1f6f43", "#9aa3ad"] }, legend: null },
      stroke: { condition: { test: "datum.pick !== ''", value: "#1b1f24" }, value: null },
      tooltip: [{ field: "bin" }, { field: "meanShap", format: ".4f" }, { field: "runs" }, { field: "pick" }],
    },
  };
}

/** Renders a vega-lite spec, under a caption if given (vega's SVG carries the spec's description as its label). */
export function Chart({ spec, label }: { spec: TopLevelSpec; label?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string>();
  // Keyed by content, not identity: a parent re-rendering with an equal spec must not redraw the chart.
  const key = JSON.stringify(spec);
  useEffect(() => {
    let view: { finalize: () => void } | undefined;
    let cancelled = false;
    import("vega-embed")
      .then(async ({ default: embed }) => {
        if (cancelled || !ref.current) return;
        const r = await embed(ref.current, spec, { renderer: "svg", actions: { export: true, source: false, compiled: false, editor: false } });
        view = r.view;
        // vega-embed's actions menu is an icon: give it a name (screen readers, axe).
        ref.current.querySelector("summary")?.setAttribute("aria-label", "Chart actions: save as SVG or PNG");
        if (cancelled) r.finalize();
      })
      .catch((e: Error) => setError(`the chart could not be drawn: ${e.message}`));
    return () => {
      cancelled = true;
      view?.finalize();
    };
  }, [key]);
  return html`<figure class="chart">
    ${label && html`<figcaption>${label}</figcaption>`}
    <div ref=${ref} class="chart-body"></div>
    ${error && html`<p class="error">${error}</p>`}
  </figure>`;
}

