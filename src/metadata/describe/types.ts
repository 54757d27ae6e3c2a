import type { MetaFeatures } from "../schema.ts";

export interface Stats {
  mean: number;
  min: number;
  max: number;
}

/** Meta-features of a new dataset plus what they were computed from (shown by `hporec data describe`). */
export interface DatasetDescription {
  kind: "card" | "image-folder" | "csv";
  name: string;
  metaFeatures: MetaFeatures;
  domain?: string;
  modality?: string;
  classCounts?: Record<string, number>;
  /** Image folders: sizes read from file headers of a sample of images. */
  images?: { sampled: number; unreadable: number; width: Stats; height: Stats; channels?: number };
}

export function stats(xs: number[]): Stats {
  let [sum, min, max] = [0, Infinity, -Infinity];
  for (const x of xs) [sum, min, max] = [sum + x, Math.min(min, x), Math.max(max, x)];
  return { mean: sum / xs.length, min, max };
}
