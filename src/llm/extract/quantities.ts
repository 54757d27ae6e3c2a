/**
 * Numbers and durations as people write them: "3,000", "3k", "1.2M", "about 3000", "seven", "2 GPU-hours",
 * "half an hour", "1h30".
 */

const SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, a: 1, an: 1, single: 1, couple: 2, dozen: 12,
};

/** Number words become digits ("seven classes" -> "7 classes", "a thousand" -> "1 thousand"); "half an hour" -> "0.5 hour". */
export function digitiseWords(text: string): string {
  return text
    .replace(/\bhalf an? (hour|day|minute)\b/gi, "0.5 $1")
    .replace(/\b(a|an|one) and a half (hours?|days?)\b/gi, "1.5 $2")
    .replace(/\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|nine)\b/gi, (_, t: string, u: string) => String(SMALL[t.toLowerCase()] + SMALL[u.toLowerCase()]))
    .replace(/\b(a|an)\s+(hour|day|thousand|million|hundred|dozen)\b/gi, "1 $2")
    .replace(/\ba couple of\b/gi, "2")
    .replace(/\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|single|dozen)\b/gi, (w: string) => String(SMALL[w.toLowerCase()]));
}

/** A number with thousands separators and an optional magnitude: 3,000 | 3 000 | 3k | 1.2M | 5 thousand | 1e-3. */
export const NUMBER = String.raw`(\d{1,3}(?:[,'’ \u00a0\u202f]\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?(?:e-?\d+)?)(?:\s*(k|m|mil|million|thousand|hundred|dozen)\b)?`;

const MAGNITUDE: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mil: 1e6, million: 1e6, hundred: 100, dozen: 12 };

/** The value of a NUMBER match's two groups. */
export function numberValue(digits: string, magnitude?: string): number {
  const n = Number(digits.replace(/[,'’ \u00a0\u202f]/g, ""));
  return magnitude ? n * MAGNITUDE[magnitude.toLowerCase()] : n;
}

const UNIT_SECONDS: Array<[RegExp, number]> = [
  [/^(s|sec|secs|seconds?)$/, 1],
  [/^(min|mins|minutes?)$/, 60],
  [/^(h|hr|hrs|hours?)$/, 3600],
  [/^days?$/, 86400],
  [/^(wk|wks|weeks?)$/, 604800],
];

/** "gpu-hours", "GPU h", "hours" -> seconds per unit (a GPU-hour counts as an hour of the one GPU we predict for). */
export function unitSeconds(unit: string): number | undefined {
  const u = unit.toLowerCase().replace(/^(gpu|cpu)[\s-]*/, "");
  return UNIT_SECONDS.find(([re]) => re.test(u))?.[1];
}

// No bare "m", "d" or "w" units: "3m images" is a count and "3D MRI" is not three days.
const DURATION = new RegExp(
  String.raw`(?<![\w.])${NUMBER}\s*-?\s*((?:gpu|cpu)[\s-]*)?(seconds?|secs?|s|minutes?|mins?|min|hours?|hrs?|hr|h|days?|weeks?|wks?)\b`,
  "gi",
);

/** Every duration in the text in seconds, adjacent parts summed ("1 h 30 min" -> 5400, "1h30" -> 5400). */
export function durations(text: string): Array<{ seconds: number; index: number }> {
  const found: Array<{ seconds: number; index: number; end: number }> = [];
  const t = text.replace(/\b(\d+)\s*h\s*(\d{1,2})\b(?!\s*(?:min|m|s))/gi, "$1 h $2 min");
  for (const m of t.matchAll(DURATION)) {
    const per = unitSeconds(m[4]);
    if (per === undefined) continue;
    const seconds = numberValue(m[1], m[2]) * per;
    const prev = found[found.length - 1];
    const gap = prev ? t.slice(prev.end, m.index) : "";
    if (prev && /^\s*(and|,)?\s*$/i.test(gap)) {
      prev.seconds += seconds;
      prev.end = m.index! + m[0].length;
    } else found.push({ seconds, index: m.index!, end: m.index! + m[0].length });
  }
  return found.map(({ seconds, index }) => ({ seconds, index }));
}
