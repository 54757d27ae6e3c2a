/**
 * The feature map: how a (dataset, model, configuration) triple becomes a numeric row for the trees, saved
 * with the models so explanations speak in hyperparameter names, not column indices.
 *   meta   : numeric meta-features (log10 for counts, so trees split on orders of magnitude)
 *   domain : one-hot of the dataset's domain / modality (all zeros for one never seen)
 *   model  : one-hot of the pretrained model, and optionally what is known of it before fine-tuning (size,
 *            ImageNet accuracy, resolution: src/metadata/model-zoo.ts), NaN for a model the zoo does not know
 *   hp     : numeric hyperparameters (log10 where the search space says log), one-hot categoricals, 0/1 bools;
 *            NaN where a value is missing or inactive, so the trees use their learned default direction.
 */
import { z } from "zod";
import type { HpValue, MetaDataset, MetaFeatures } from "../metadata/schema.ts";
import { DESCRIPTOR_COLUMNS, describeModels } from "../metadata/model-zoo.ts";

export const FeatureColumn = z.object({
  name: z.string(),
  /** What a person calls it: the hyperparameter, "model", the meta-feature, or "domain"/"modality". */
  group: z.string(),
  kind: z.enum(["meta", "domain", "model", "hp"]),
  category: z.string().optional(),
  log: z.boolean().optional(),
  /** A model column holding one of the model's descriptors (model-zoo.ts) instead of a one-hot. */
  descriptor: z.string().optional(),
});
export type FeatureColumn = z.infer<typeof FeatureColumn>;

export const FeatureMap = z.object({
  columns: z.array(FeatureColumn),
  metaFeatures: z.array(z.string()),
  domains: z.array(z.string()),
  modalities: z.array(z.string()),
  models: z.array(z.string()),
  /** Descriptor values per model, saved with the pack so it needs no zoo to serve (absent: one-hot only). */
  modelDescriptors: z.record(z.string(), z.record(z.string(), z.number())).optional(),
});
export type FeatureMap = z.infer<typeof FeatureMap>;

/** What the encoder needs to know of a dataset: its meta-features and labels, never its outcomes. */
export interface DatasetFeatures {
  metaFeatures: MetaFeatures;
  domain?: string;
  modality?: string;
}

/** A configuration: the model plus hyperparameter values. */
export interface Configuration {
  model: string;
  hyperparameters: Record<string, HpValue>;
}

/** Meta-features whose spread is multiplicative: encoded as log10 so "10x more samples" is one step. */
const LOG_META = new Set(["n_samples", "n_classes", "samples_per_class", "min_class_size", "max_class_size", "mean_class_size", "n_features", "image_size"]);

export function buildFeatureMap(md: MetaDataset, opts: { modelDescriptors?: boolean } = {}): FeatureMap {
  const metaNames = new Set<string>();
  for (const d of md.datasets) for (const k of Object.keys(d.metaFeatures)) metaNames.add(k);
  // Already-logged duplicates carry no information for trees once counts are log-encoded.
  const metaFeatures = [...metaNames].filter((k) => !(k.startsWith("log_") && metaNames.has(k.slice(4)))).sort();
  const domains = uniqueSorted(md.datasets.map((d) => d.domain));
  const modalities = uniqueSorted(md.datasets.map((d) => d.modality));
  const models = [...md.models].sort();

  const columns: FeatureColumn[] = [];
  for (const m of metaFeatures) columns.push({ name: m, group: m, kind: "meta", log: LOG_META.has(m) });
  if (domains.length > 1) for (const d of domains) columns.push({ name: `domain=${d}`, group: "domain", kind: "domain", category: d });
  if (modalities.length > 1)
    for (const m of modalities) columns.push({ name: `modality=${m}`, group: "modality", kind: "domain", category: m });
  for (const m of models) columns.push({ name: `model=${m}`, group: "model", kind: "model", category: m });
  const modelDescriptors = opts.modelDescriptors ? describeModels(models) : undefined;
  if (modelDescriptors)
    for (const d of Object.keys(DESCRIPTOR_COLUMNS)) columns.push({ name: `model:${d}`, group: "model", kind: "model", descriptor: d });
  for (const [name, hp] of Object.entries(md.searchSpace.hyperparameters).sort(([a], [b]) => a.localeCompare(b))) {
    if (hp.type === "categorical") {
      for (const v of hp.values) columns.push({ name: `${name}=${v}`, group: name, kind: "hp", category: v });
    } else {
      columns.push({ name, group: name, kind: "hp", log: hp.type !== "bool" && hp.log });
    }
  }
  return { columns, metaFeatures, domains, modalities, models, ...(modelDescriptors && { modelDescriptors }) };
}

function uniqueSorted(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))].sort();
}

/** Index of each column's position by kind, built once per map: encoding is on the recommender's hot path. */
export class FeatureEncoder {
  readonly nCols: number;
  private readonly index = new Map<string, number>();

  constructor(readonly map: FeatureMap) {
    this.nCols = map.columns.length;
    map.columns.forEach((c, i) => this.index.set(c.name, i));
  }

  /** Writes the dataset part of a row (meta-features, domain, modality). */
  writeDataset(row: Float32Array, offset: number, d: DatasetFeatures): void {
    for (const [i, c] of this.map.columns.entries()) {
      if (c.kind === "meta") {
        const v = d.metaFeatures[c.group];
        row[offset + i] = v === undefined || !Number.isFinite(v) ? NaN : c.log ? Math.log10(Math.max(v, 1e-12)) : v;
      } else if (c.kind === "domain") {
        const actual = c.group === "domain" ? d.domain : d.modality;
        row[offset + i] = actual === c.category ? 1 : 0;
      }
    }
  }

  /** Writes the configuration part of a row (model one-hot, hyperparameters). */
  writeConfiguration(row: Float32Array, offset: number, cfg: Configuration): void {
    for (const [i, c] of this.map.columns.entries()) {
      if (c.kind === "model")
        row[offset + i] = c.descriptor ? (this.map.modelDescriptors?.[cfg.model]?.[c.descriptor] ?? NaN) : cfg.model === c.category ? 1 : 0;
      else if (c.kind === "hp") row[offset + i] = encodeValue(c, cfg.hyperparameters[c.group]);
    }
  }

  /** Encodes many (dataset, configuration) pairs into one row-major Float32Array. */
  encode(items: { dataset: DatasetFeatures; config: Configuration }[]): Float32Array {
    const rows = new Float32Array(items.length * this.nCols);
    items.forEach((it, r) => {
      this.writeDataset(rows, r * this.nCols, it.dataset);
      this.writeConfiguration(rows, r * this.nCols, it.config);
    });
    return rows;
  }

  /** Encodes one dataset with many configurations: the dataset part is computed once and copied. */
  encodeForDataset(dataset: DatasetFeatures, configs: Configuration[]): Float32Array {
    const n = this.nCols;
    const base = new Float32Array(n);
    this.writeDataset(base, 0, dataset);
    const rows = new Float32Array(configs.length * n);
    configs.forEach((cfg, r) => {
      rows.set(base, r * n);
      this.writeConfiguration(rows, r * n, cfg);
    });
    return rows;
  }

  columnIndex(name: string): number | undefined {
    return this.index.get(name);
  }
}

function encodeValue(c: FeatureColumn, v: HpValue | undefined): number {
  if (v === undefined || v === null) return c.category !== undefined ? 0 : NaN;
  if (c.category !== undefined) return String(v) === c.category ? 1 : 0;
  if (typeof v === "boolean") return v ? 1 : 0;
  const x = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(x)) return NaN;
  return c.log ? Math.log10(Math.max(x, 1e-12)) : x;
}
