/**
 * A dataset card: what a user knows about a new dataset, as JSON or YAML. Turned into the same standard
 * meta-features the importers produce, so the meta-learner reads a card like a row of its training data.
 *
 *   name: skin-lesions
 *   samples: 5000          # training images
 *   classes: 7
 *   imageSize: 224         # side in pixels (height = width assumed; use the mean for mixed sizes)
 *   channels: 3
 *   domain: medical        # a Meta-Album domain or "medical"
 *   modality: image
 *   classCounts: {nevus: 3000, melanoma: 500, ...}   # or a list of counts
 */
import { z } from "zod";
import { InputError } from "../util/errors.ts";
import { objectFields } from "../util/zod-format.ts";
import { KNOWN_DOMAINS, KNOWN_MODALITIES, closest, normaliseLabel } from "./domains.ts";
import { readJsonOrYaml } from "./io.ts";
import { classStats, deriveMetaFeatures } from "./meta-features.ts";
import type { MetaFeatures } from "./schema.ts";

/** Modalities without an image grid: imageSize and channels are not required for them. */
const NON_IMAGE = new Set(["tabular", "text"]);

/** The fix shown under an error about each field. */
const HINTS: Record<string, string> = {
  samples: "set samples to the number of training examples, e.g. samples: 5000",
  classes: "set classes to the number of labels (at least 2), e.g. classes: 10",
  imageSize: "set imageSize to the image side in pixels, e.g. imageSize: 224 (the mean side for mixed sizes)",
  channels: "set channels to 3 for RGB or 1 for grey images",
  depth: "set depth to the number of slices of a 3D scan, e.g. depth: 32, or leave it out",
  domain: `use one of: ${KNOWN_DOMAINS.join(", ")} (or leave it out)`,
  modality: `use one of: ${KNOWN_MODALITIES.join(", ")}`,
  classCounts: "give one positive count per class, as a list [500, 300] or a map {cat: 500, dog: 300}, summing to samples",
};

const count = (field: string, min: number) =>
  z.number({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be a number, got ${JSON.stringify(i.input)}`) })
    .int({ error: (i) => `${field} must be a whole number, got ${JSON.stringify(i.input)}` })
    .min(min, { error: (i) => `${field} must be at least ${min}, got ${JSON.stringify(i.input)}` });

export const DatasetCard = z
  .object({
    name: z.string().optional(),
    samples: count("samples", 1),
    classes: count("classes", 2),
    imageSize: count("imageSize", 1).optional(),
    channels: count("channels", 1).optional(),
    depth: count("depth", 1).optional(),
    domain: z.string().optional(),
    modality: z.string().optional(),
    classCounts: z.union([z.array(count("classCounts[i]", 1)), z.record(z.string(), count("classCounts.<class>", 1))]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.domain !== undefined && !(KNOWN_DOMAINS as readonly string[]).includes(normaliseLabel(c.domain))) {
      const near = closest(c.domain, KNOWN_DOMAINS);
      ctx.addIssue({ code: "custom", path: ["domain"], message: `unknown domain ${JSON.stringify(c.domain)}${near ? `; did you mean "${near}"?` : ""}` });
    }
    if (c.modality !== undefined && !(KNOWN_MODALITIES as readonly string[]).includes(normaliseLabel(c.modality))) {
      const near = closest(c.modality, KNOWN_MODALITIES);
      ctx.addIssue({ code: "custom", path: ["modality"], message: `unknown modality ${JSON.stringify(c.modality)}${near ? `; did you mean "${near}"?` : ""}` });
    }
    if (!NON_IMAGE.has(normaliseLabel(c.modality ?? "image"))) {
      for (const f of ["imageSize", "channels"] as const) {
        if (c[f] === undefined) ctx.addIssue({ code: "custom", path: [f], message: `${f} is required for image data (set modality: tabular or text otherwise)` });
      }
    }
    if (c.classCounts) {
      const counts = Object.values(c.classCounts);
      const sum = counts.reduce((a, b) => a + b, 0);
      if (counts.length !== c.classes) ctx.addIssue({ code: "custom", path: ["classCounts"], message: `classCounts has ${counts.length} entries but classes is ${c.classes}; give one count per class` });
      if (sum !== c.samples) ctx.addIssue({ code: "custom", path: ["classCounts"], message: `classCounts sum to ${sum} but samples is ${c.samples}; make them agree` });
    }
  });
export type DatasetCard = z.infer<typeof DatasetCard>;

/** Validates a parsed card; the first problem becomes one InputError naming the field, the value and the fix. */
export function parseCard(raw: unknown, where = "dataset card"): DatasetCard {
  const r = DatasetCard.safeParse(raw);
  if (r.success) {
    const c = r.data;
    return { ...c, ...(c.domain ? { domain: normaliseLabel(c.domain) } : {}), ...(c.modality ? { modality: normaliseLabel(c.modality) } : {}) };
  }
  const fields = Object.keys(DatasetCard.shape);
  if (raw === null || raw === undefined || raw === "")
    throw new InputError("the card is empty", `${where}: (card)`, `give its fields, e.g. {samples: 3000, classes: 7, imageSize: 224, channels: 3}; all fields: ${fields.join(", ")}`);
  // A misspelt field ("clases") is the cause of the missing one ("classes is required"): say it first.
  const issue = r.error.issues.find((i) => i.code === "unrecognized_keys") ?? r.error.issues[0];
  const field = issue.path.join(".") || "(card)";
  if (issue.code === "unrecognized_keys") {
    const allowed = objectFields(DatasetCard, issue.path) ?? fields;
    const meant = issue.keys.map((k) => [k, allowed.find((f) => f.toLowerCase() === k.replace(/_/g, "").toLowerCase()) ?? closest(k, allowed)] as const);
    const guesses = meant.filter(([, m]) => m).map(([k, m]) => (meant.length > 1 ? `"${m}" (for ${k})` : `"${m}"`));
    throw new InputError(`${issue.message}${guesses.length ? `; did you mean ${guesses.join(", ")}?` : ""}`, `${where}: ${field}`, `allowed fields: ${allowed.join(", ")}`);
  }
  throw new InputError(issue.message, `${where}: ${field}`, HINTS[String(issue.path[0])] ?? "write the card as a JSON/YAML object of the fields above");
}

export function readCard(file: string): DatasetCard {
  return parseCard(readJsonOrYaml(file, "dataset card"), file);
}

export function cardToMetaFeatures(card: DatasetCard): MetaFeatures {
  const mf = deriveMetaFeatures({ n_samples: card.samples, n_classes: card.classes, image_size: card.imageSize, channels: card.channels, depth: card.depth });
  if (card.classCounts) Object.assign(mf, classStats(Object.values(card.classCounts)));
  return mf;
}
