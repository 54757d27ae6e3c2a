/**
 * A study's progress: every trial in order, its value and the best up to it, and the plot of it (a Vega-Lite
 * spec that the web app draws in the page and `hporec study show --plot` renders to SVG).
 */
import type { TopLevelSpec } from "vega-lite";
import { specBase } from "../plot/spec-base.ts";
import type { Study } from "./study.ts";

export interface ProgressPoint {
  trial: number;
  id: string;
  /** null for a failed run (it still counts as a trial spent). */
  value: number | null;
  /** The best value told up to and including this trial (in the metric's direction); null before any value. */
  best: number | null;
}

export function bestSoFar(trials: Study["trials"], direction: Study["direction"]): ProgressPoint[] {
  let best: number | null = null;
  return trials.map((t, i) => {
    if (t.value !== null && (best === null || (direction === "max" ? t.value > best : t.value < best))) best = t.value;
    return { trial: i + 1, id: t.id, value: t.value, best };
  });
}

/** The best value so far after each trial (a step line), each told value a point; failed runs have none. */
export function progressSpec(points: ProgressPoint[], direction: "max" | "min", width: number | "container"): TopLevelSpec {
  const values = points.map((p) => ({ trial: p.trial, id: p.id, value: p.value, best: p.best }));
  const x = { field: "trial", type: "quantitative", title: "trial", axis: { tickMinStep: 1, format: "d" } } as const;
  const y = (field: string) => ({ field, type: "quantitative", title: "best so far", scale: { zero: false }, axis: { format: ".4~g" } }) as const;
  return {
    ...specBase(`best value so far after each trial (${direction === "max" ? "higher" : "lower"} is better), each trial's value a point`, width),
    height: 180,
    data: { values },
    layer: [
      { mark: { type: "line", interpolate: "step-after", color: "#1f4fa0", point: true, tooltip: true }, transform: [{ filter: "datum.best !== null" }], encoding: { x, y: y("best") } },
      { mark: { type: "point", color: "#555d66", tooltip: true }, transform: [{ filter: "datum.value !== null" }], encoding: { x, y: y("value") } },
    ],
  };
}
