/**
 * Signed feature hashing (Weinberger et al., 2009) with FNV-1a: a stable, dependency-free map from tokens to
 * a fixed number of dimensions. The sign bit halves the bias collisions would add to inner products.
 */
import { fnv1a } from "../util/hash.ts";

/** Lower-cased word unigrams and adjacent-word bigrams ("learning rate" -> learning, rate, learning_rate). */
export function wordFeatures(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*/gu) ?? [];
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]}_${words[i]}`);
  return out;
}

/** Hashes tokens into `dim` slots with sublinear term frequency (1 + ln tf). */
export function hashFeatures(tokens: readonly string[], dim: number, salt = ""): number[] {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v = new Array<number>(dim).fill(0);
  for (const [t, n] of tf) {
    const h = fnv1a(salt + t);
    // Low bits pick the slot, the top bit the sign: independent enough for hashing purposes.
    v[h % dim] += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(n));
  }
  return v;
}
