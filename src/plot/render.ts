/**
 * Renders a Vega-Lite spec to an SVG string, headless (no canvas, no browser). Every plot hporec writes goes
 * through here, so charts share one look and one dependency.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type { TopLevelSpec };

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vgSpec } = compile({ background: "white", ...spec } as TopLevelSpec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
