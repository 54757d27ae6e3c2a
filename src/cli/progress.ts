import cliProgress from "cli-progress";
import type { Progress } from "../util/progress.ts";
import { env } from "../config.ts";

export type { Progress } from "../util/progress.ts";

/**
 * A progress bar on stderr for long work. Drawn only on a terminal (or when HPOREC_PROGRESS=1), so pipes,
 * --json output and CI logs stay clean.
 */
export function progress(title: string, total: number): Progress {
  const setting = env().progress;
  const show = setting === true || (process.stderr.isTTY && setting !== false);
  if (!show) return { tick() {}, stop() {} };
  const format = `${title} [{bar}] {value}/{total} {percentage}% | eta {eta_formatted} | {label}`;
  const bar = new cliProgress.SingleBar(
    {
      // Before the first step, or after label-only updates, cli-progress has no rate: its eta reads "INF".
      format: (options, params, payload) =>
        cliProgress.Format.Formatter({ ...options, format: Number.isFinite(params.eta) ? format : format.replace("{eta_formatted}", "?") }, params, payload),
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  return {
    tick(n = 1, label = "") {
      bar.increment(n, { label });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * Labels for a nested evaluation's slow inner cross-validation, shown on whichever bar is current (the outer one):
 * "inner cross-validation 2/5" as inner jobs end, then the setting it chose.
 */
export function innerFoldLabels(current: () => Progress | undefined, innerFolds: number): { onInnerJob: () => void; onChosen: (setting: string) => void } {
  let done = 0;
  return {
    onInnerJob: () => {
      done++;
      current()?.tick(0, `inner cross-validation ${done}/${innerFolds}`);
    },
    onChosen: (setting) => {
      done = 0;
      current()?.tick(0, `chose ${setting}`);
    },
  };
}
