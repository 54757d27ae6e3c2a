/**
 * Vega-Lite charts of an explanation: Shapley values as bars (with 95% error bars for sampled estimates) and
 * the pairwise decomposition as a heat map (2-SII main effects on the diagonal, interactions off it, so the
 * cells sum to v(N) - v(empty)). Rendered through the shared renderer so all hporec charts look alike.
 */
import { renderSvg, type TopLevelSpec } from "../../plot/render.ts";
import type { Explanation } from "./explain.ts";

export interface PlotOptions {
  title?: string;
  /** What the game's value means, for the axis, e.g. "predicted accuracy (rank)". */
  valueLabel?: string;
}

export function shapleyBarSpec(e: Explanation, opts: PlotOptions = {}): TopLevelSpec {
  const data = e.players.map((player, i) => {
    const value = e.shapley[i];
    const half = e.shapleyStdErr ? 1.96 * e.shapleyStdErr[i] : 0;
    return { player, value, low: value - half, high: value + half, sign: value >= 0 ? "positive" : "negative" };
  });
  const order = [...data].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).map((d) => d.player);
  const y = { field: "player", type: "nominal", sort: order, title: null } as const;
  const layers: object[] = [
    {
      mark: "bar",
      encoding: {
        y,
        x: { field: "value", type: "quantitative", title: `Shapley value (${opts.valueLabel ?? "value"})` },
        color: { field: "sign", type: "nominal", scale: { domain: ["positive", "negative"], range: ["#1f77b4", "#d62728"] }, legend: null },
        tooltip: [{ field: "player" }, { field: "value", format: ".4f" }],
      },
    },
  ];
  if (e.shapleyStdErr) {
    layers.push({ mark: { type: "rule", color: "black" }, encoding: { y, x: { field: "low", type: "quantitative" }, x2: { field: "high" } } });
  }
  return {
    title: opts.title ?? subtitle(e),
    width: 360,
    height: { step: 18 },
    data: { values: data },
    layer: layers,
  } as TopLevelSpec;
}

/** Needs pairwise interactions (exact explanations always have them). */
export function interactionHeatmapSpec(e: Explanation, opts: PlotOptions = {}): TopLevelSpec {
  const { interactions, mainEffects } = e;
  if (!interactions || !mainEffects) throw new Error("this explanation has no pairwise interactions");
  const n = e.players.length;
  const data = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const value = i === j ? mainEffects[i] : interactions[i * n + j];
      data.push({ a: e.players[i], b: e.players[j], value: Number.isFinite(value) ? value : null, kind: i === j ? "main effect" : "interaction" });
    }
  }
  const maxAbs = Math.max(1e-12, ...data.map((d) => Math.abs(d.value ?? 0)));
  const x = { field: "a", type: "nominal", sort: e.players, title: null };
  const y = { field: "b", type: "nominal", sort: e.players, title: null };
  return {
    title: opts.title ?? `${subtitle(e)}: main effects (diagonal) and pairwise interactions`,
    width: { step: 28 },
    height: { step: 28 },
    data: { values: data },
    layer: [
      {
        mark: "rect",
        encoding: {
          x,
          y,
          color: {
            field: "value",
            type: "quantitative",
            scale: { scheme: "redblue", domain: [-maxAbs, maxAbs], domainMid: 0 },
            title: opts.valueLabel ?? "value",
          },
          tooltip: [{ field: "a" }, { field: "b" }, { field: "kind" }, { field: "value", format: ".4f" }],
        },
      },
      {
        mark: { type: "text", fontSize: 8 },
        encoding: { x, y, text: { field: "value", type: "quantitative", format: ".2f" } },
      },
    ],
  } as TopLevelSpec;
}

/** Both charts as SVG strings (the heat map only when there are interactions and at least two players). */
export async function renderExplanation(e: Explanation, opts: PlotOptions = {}): Promise<{ shapley: string; interactions?: string }> {
  const shapley = await renderSvg(shapleyBarSpec(e, opts));
  if (!e.interactions || e.players.length < 2) return { shapley };
  return { shapley, interactions: await renderSvg(interactionHeatmapSpec(e, opts)) };
}

function subtitle(e: Explanation): string {
  const total = `v(N) - v(∅) = ${(e.full - e.empty).toFixed(4)}`;
  return e.method === "exact" ? `exact, ${total}` : `sampled (${e.budget?.evaluations} coalitions), ${total}`;
}
