/** A study's progress: the running best, and its plot rendered headless as `study show --plot` writes it. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { bestSoFar, progressSpec } from "../../../src/study/progress.ts";
import { renderSvg } from "../../../src/plot/render.ts";

test("best so far: the running best in the metric's direction; a failed run keeps the best before it", () => {
  const trial = (id: string, value: number | null) => ({ id, config: { model: "m", hyperparameters: {} }, value, seconds: null, toldAt: "" });
  const trials = [trial("a", null), trial("b", 70), trial("c", 65), trial("d", null), trial("e", 72)];
  assert.deepEqual(bestSoFar(trials, "max").map((p) => [p.trial, p.value, p.best]), [[1, null, null], [2, 70, 70], [3, 65, 70], [4, null, 70], [5, 72, 72]]);
  assert.deepEqual(bestSoFar(trials, "min").map((p) => p.best), [null, 70, 65, 65, 65]);
  assert.deepEqual(bestSoFar([], "max"), []);
});

test("the progress plot renders to SVG: one point per told value, a step line through the best", async () => {
  const trial = (id: string, value: number | null) => ({ id, config: { model: "m", hyperparameters: {} }, value, seconds: null, toldAt: "" });
  const svg = await renderSvg(progressSpec(bestSoFar([trial("a", 60), trial("b", null), trial("c", 72)], "max"), "max", 480));
  assert.match(svg, /^<svg[^>]*width="480"/);
  // Two layers of points: the step line's (the best so far, at every trial once a value is told) and the told values'
  // (the failed run has none).
  const points = svg.split('aria-roledescription="symbol mark container"').slice(1).map((layer) => layer.split('aria-roledescription="point"').length - 1);
  assert.deepEqual(points, [3, 2]);
  assert.match(svg, /aria-label="trial: 3; best so far: 72"/);
  assert.match(svg, />best so far</);
});
