/** Stable, dependency-free string hashes (not for security). */

/** 32-bit FNV-1a over the UTF-16 code units of `s`; `basis` varies the hash family. */
export function fnv1a(s: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A stable 32-bit seed per (seed, label), e.g. one random stream per dataset that does not depend on order. */
export function hashSeed(seed: number, label: string): number {
  return fnv1a(label, 0x811c9dc5 ^ seed);
}
