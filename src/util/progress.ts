/**
 * Progress of long work, reported through callbacks: library code takes a `ProgressFactory` and stays silent
 * without one; the CLI passes one that draws a bar (src/cli/progress.ts).
 */
export interface Progress {
  tick(n?: number, label?: string): void;
  stop(): void;
}

/** Starts the progress of one piece of work of `total` steps. */
export type ProgressFactory = (title: string, total: number) => Progress;

export const silentProgress: ProgressFactory = () => ({ tick() {}, stop() {} });
