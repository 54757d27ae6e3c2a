/**
 * The dataset cards of an import: meta-features from columns (the same in every row of a dataset), a column
 * prefix or a side table, and domain / modality from a column, a side table (the built-in meta-album) or one
 * value. Side tables are looked up by the dataset id at any step of its rename (`keys`).
 */
import { idText, requireNumber, toHpValue } from "../io.ts";
import { deriveMetaFeatures, type BasicCounts } from "../meta-features.ts";
import type { HpValue, MetaFeatures } from "../schema.ts";
import type { SourceRow, SourceTable } from "../sources/types.ts";
import { InputError } from "../../util/errors.ts";
import { missingColumn, type ApplyContext } from "./context.ts";
import type { Mapping } from "./schema.ts";
import { readSideTable, type SideTable } from "./side-table.ts";

export interface MetaFeatureSource {
  columns: string[];
  has(datasetId: string): boolean;
  of(datasetId: string, row: SourceRow): MetaFeatures;
  checkSame(first: SourceRow, row: SourceRow, datasetId: string): void;
}

/** Meta-features from columns (the same in every row of a dataset), a column prefix, or a side table. */
export function metaFeatureSource(table: SourceTable, spec: Mapping["metaFeatures"], ctx: ApplyContext, keys: (id: string) => string[]): MetaFeatureSource {
  if (spec && "table" in spec && typeof spec.table === "string") {
    const side = readSideTable(spec as { table: string; columns?: string[]; key?: string }, ctx.baseDirs, "metaFeatures");
    const key = (id: string) => keys(id).find((k) => side.has(k));
    return {
      columns: [],
      has: (id) => key(id) !== undefined,
      of: (id) => withDerived(numbers(side.get(key(id)!)!, (k) => `side table ${(spec as { table: string }).table}: ${key(id)}.${k}`)),
      checkSame: () => {},
    };
  }
  let pairs: [string, string][];
  if (Array.isArray(spec)) pairs = spec.map((c) => [c, c]);
  else if (spec && "prefix" in spec && typeof spec.prefix === "string") pairs = prefixed(table.columns, spec.prefix);
  else if (spec) pairs = Object.entries(spec as Record<string, string>);
  else pairs = table.defaults.metaFeaturePrefix ? prefixed(table.columns, table.defaults.metaFeaturePrefix) : [];
  const prefix = !Array.isArray(spec) && spec && "prefix" in spec ? spec.prefix : !spec ? table.defaults.metaFeaturePrefix : undefined;
  for (const [, c] of pairs) {
    if (!table.columns.includes(c)) throw missingColumn(table, c, ctx, "metaFeatures");
  }
  const read = (row: SourceRow): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [name, c] of pairs) {
      const v = row.get(c);
      // Under a prefix, text attributes (e.g. a study's description) are not meta-features.
      if (prefix && typeof toHpValue(v) !== "number") continue;
      out[name] = requireNumber(v, () => `${row.where}, column ${JSON.stringify(c)}`, name);
    }
    return out;
  };
  return {
    columns: pairs.map(([, c]) => c),
    has: () => true,
    of: (_id, row) => withDerived(read(row)),
    checkSame(first, row, datasetId) {
      if (!pairs.length) return;
      const [a, b] = [read(first), read(row)];
      const diff = pairs.find(([name]) => a[name] !== b[name]);
      if (diff) throw new InputError(`meta-features of dataset ${datasetId} differ from ${first.where}: ${diff[0]} ${a[diff[0]]} vs ${b[diff[0]]}`, row.where, "every run of one dataset must carry the same meta-features (or give them in a side table: metaFeatures: {table: ...})");
    },
  };
}

function prefixed(columns: string[], prefix: string): [string, string][] {
  return columns.filter((c) => c.startsWith(prefix)).map((c) => [c.slice(prefix.length), c]);
}

function numbers(rec: Record<string, HpValue>, where: (k: string) => string): Record<string, number> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, requireNumber(v, () => where(k), k)]));
}

/** Counts plus their logs and samples per class, as every importer derives them (meta-features.ts). */
function withDerived(mf: Record<string, number>): MetaFeatures {
  if (mf.n_samples === undefined || mf.n_classes === undefined) return mf;
  return { ...deriveMetaFeatures(mf as unknown as BasicCounts), ...mf };
}

/** Domain or modality per dataset: a column, a side table (built-in meta-album), or one value. */
export function labelSource(spec: Mapping["domain"], key: string, ctx: ApplyContext, keys: (id: string) => string[]): (id: string, row: SourceRow) => string | undefined {
  if (spec === undefined) return () => undefined;
  if (typeof spec === "string") return (_id, row) => text(row.get(spec));
  if ("value" in spec) return () => spec.value;
  if ("table" in spec) {
    const side: SideTable = readSideTable(spec, ctx.baseDirs, key);
    return (id) => {
      const hit = side.get(keys(id).find((k) => side.has(k)) ?? id);
      return text(hit?.[key] ?? hit?.value);
    };
  }
  return (_id, row) => text(row.get(spec.column));
}

function text(v: unknown): string | undefined {
  return idText(v) || undefined;
}
