/** A study's trials as the best-so-far plot draws them: every trial in order, its value, the best up to it. */
import type { Study } from "../src/study/study.ts";

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
