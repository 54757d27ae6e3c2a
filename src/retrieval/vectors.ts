/** Small dense-vector helpers shared by the embedders and the index. */

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}

/** Unit vector in the direction of `a`; the zero vector stays zero (callers decide whether that is an error). */
export function normalise(a: readonly number[]): number[] {
  const n = norm(a);
  return n > 0 ? a.map((x) => x / n) : a.map(() => 0);
}
