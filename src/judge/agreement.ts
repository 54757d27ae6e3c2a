/** Agreement of two judges' pass/fail verdicts on the same answers, beyond chance (Cohen, 1960). */

/** Cohen's kappa of paired binary verdicts; NaN when chance agreement is total (one judge never varies). */
export function cohensKappa(pairs: readonly (readonly [boolean, boolean])[]): number {
  const n = pairs.length;
  if (!n) return NaN;
  const agree = pairs.filter(([a, b]) => a === b).length / n;
  const pa = pairs.filter(([a]) => a).length / n;
  const pb = pairs.filter(([, b]) => b).length / n;
  const chance = pa * pb + (1 - pa) * (1 - pb);
  return chance >= 1 ? NaN : (agree - chance) / (1 - chance);
}
