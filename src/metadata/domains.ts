/**
 * Known application domains and data modalities. The Meta-Album table is a fact of Meta-Album (Ullah et al.,
 * NeurIPS 2022 datasets track), not stored in the Quick-Tune files.
 */

/**
 * Meta-Album dataset code -> domain, for all 30 Meta-Album datasets (10 domains x 3 datasets); Quick-Tune's
 * extended and micro experiments use these codes as dataset ids.
 */
export const META_ALBUM_DOMAIN: Readonly<Record<string, string>> = {
  ACT_40: "human_actions",
  ACT_410: "human_actions",
  SPT: "human_actions",
  AWA: "large_animals",
  BRD: "large_animals",
  DOG: "large_animals",
  TEX: "manufacturing",
  TEX_ALOT: "manufacturing",
  TEX_DTD: "manufacturing",
  BCT: "microscopy",
  PNU: "microscopy",
  PRT: "microscopy",
  MD_5_BIS: "ocr",
  MD_6: "ocr",
  MD_MIX: "ocr",
  MED_LF: "plant_diseases",
  PLT_DOC: "plant_diseases",
  PLT_VIL: "plant_diseases",
  FLW: "plants",
  FNG: "plants",
  PLT_NET: "plants",
  RESISC: "remote_sensing",
  RSD: "remote_sensing",
  RSICB: "remote_sensing",
  INS: "small_animals",
  INS_2: "small_animals",
  PLK: "small_animals",
  APL: "vehicles",
  BTS: "vehicles",
  CRS: "vehicles",
};

/** The ten Meta-Album domains (OCR has no dataset in Quick-Tune extended, only in micro), plus medical. */
export const KNOWN_DOMAINS = [
  "human_actions",
  "large_animals",
  "manufacturing",
  "microscopy",
  "ocr",
  "plant_diseases",
  "plants",
  "remote_sensing",
  "small_animals",
  "vehicles",
  "medical",
] as const;

export const KNOWN_MODALITIES = ["image", "mri", "ct", "xray", "ultrasound", "tabular", "text"] as const;

/** "Remote Sensing", "remote-sensing" -> "remote_sensing". */
export function normaliseLabel(s: string): string {
  return s.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest known label, if it is close enough to be a plausible typo (or a prefix, e.g. "remote"). */
export function closest(value: string, known: readonly string[]): string | undefined {
  const v = normaliseLabel(value);
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    // A prefix ("remote") counts as 1.5 edits: close, but a true one-letter typo ("plant" -> "plants") wins.
    const d = Math.min(levenshtein(v, k), k.startsWith(v) && v.length >= 3 ? 1.5 : Infinity);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(v.length / 3)) ? best : undefined;
}
