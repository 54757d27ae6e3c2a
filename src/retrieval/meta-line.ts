/**
 * The machine-readable meta line that carries a dataset's meta-features inside a text, because LangChain's
 * `Embeddings` interface only ever receives strings:
 *
 *   [meta] channels=3 image_size=128 n_classes=33 n_samples=2436 domain=microscopy modality=image
 *
 * Always the first line. Numeric features are sorted by name (the same input renders the same text);
 * `domain` and `modality` are lower-cased with whitespace turned into "_" so each stays one token.
 */

export const META_PREFIX = "[meta]";

const CATEGORY_KEYS = ["domain", "modality"] as const;
const KEY = /^[A-Za-z0-9_.-]+$/;

export interface MetaInfo {
  metaFeatures: Record<string, number>;
  domain?: string;
  modality?: string;
}

function categoryToken(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, "_");
}

export function renderMetaLine(info: Partial<MetaInfo>): string {
  const parts: string[] = [META_PREFIX];
  const features = info.metaFeatures ?? {};
  for (const name of Object.keys(features).sort()) {
    const v = features[name];
    if (!KEY.test(name)) throw new Error(`meta-feature name ${JSON.stringify(name)} must match ${KEY}`);
    if (Number.isFinite(v)) parts.push(`${name}=${v}`);
  }
  for (const key of CATEGORY_KEYS) {
    const v = info[key];
    if (v !== undefined && v.trim() !== "") parts.push(`${key}=${categoryToken(v)}`);
  }
  return parts.join(" ");
}

/** Splits a text into its meta information and the rest; a text without a meta line has empty meta. */
export function parseMetaLine(text: string): MetaInfo & { body: string } {
  const nl = text.indexOf("\n");
  const first = nl < 0 ? text : text.slice(0, nl);
  if (!first.startsWith(META_PREFIX)) return { metaFeatures: {}, body: text };
  const info: MetaInfo = { metaFeatures: {} };
  for (const token of first.slice(META_PREFIX.length).trim().split(/\s+/)) {
    const eq = token.indexOf("=");
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (key === "domain" || key === "modality") info[key] = value;
    else if (value !== "" && Number.isFinite(Number(value))) info.metaFeatures[key] = Number(value);
  }
  return { ...info, body: nl < 0 ? "" : text.slice(nl + 1) };
}

/** Prepends the meta line to a body; the inverse of `parseMetaLine`. */
export function withMetaLine(info: Partial<MetaInfo>, body: string): string {
  return `${renderMetaLine(info)}\n${body}`;
}
