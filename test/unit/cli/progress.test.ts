import { test } from "node:test";
import assert from "node:assert/strict";
import { innerFoldLabels, type Progress } from "../../../src/cli/progress.ts";

/** A bar that records its ticks. */
function recorder(): Progress & { ticks: [number, string][] } {
  const ticks: [number, string][] = [];
  return { ticks, tick: (n = 1, label = "") => void ticks.push([n, label]), stop() {} };
}

test("a nested evaluation's inner folds label the current bar without moving it, and the count restarts per outer fold", () => {
  let bar: ReturnType<typeof recorder> | undefined;
  const labels = innerFoldLabels(() => bar, 3);
  labels.onInnerJob(); // no bar yet: nothing to draw on, no crash
  bar = recorder();
  labels.onInnerJob();
  labels.onInnerJob();
  labels.onChosen("rank+ranking-head");
  labels.onInnerJob();
  assert.deepEqual(bar.ticks, [
    [0, "inner cross-validation 2/3"],
    [0, "inner cross-validation 3/3"],
    [0, "chose rank+ranking-head"],
    [0, "inner cross-validation 1/3"],
  ]);
});
