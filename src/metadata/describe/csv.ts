/** Meta-features of a tabular dataset given as a CSV with a label column. */
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { readCsv } from "../io.ts";
import { classStats, deriveMetaFeatures } from "../meta-features.ts";
import type { DatasetDescription } from "./types.ts";

/** `label` names the label column; default: a column called "label", else the last column. */
export function describeCsv(file: string, label?: string): DatasetDescription {
  const t = readCsv(file, "dataset CSV", /\.tsv$/i.test(file) ? "\t" : ",");
  const col = label !== undefined ? t.header.indexOf(label) : t.header.includes("label") ? t.header.indexOf("label") : t.header.length - 1;
  if (col < 0) throw new InputError(`no column ${JSON.stringify(label)}`, "--label", `use one of: ${t.header.join(", ")}`);
  if (!t.rows.length) throw new InputError("the CSV has a header but no rows", file, "add one row per example");
  const classCounts: Record<string, number> = {};
  for (const r of t.rows) classCounts[r[col]] = (classCounts[r[col]] ?? 0) + 1;
  const counts = Object.values(classCounts);
  if (counts.length < 2) throw new InputError(`label column ${JSON.stringify(t.header[col])} has a single value`, file, "pass the label column with --label <column>");
  return {
    kind: "csv",
    name: path.basename(file).replace(/\.[^.]+$/, ""),
    metaFeatures: { ...deriveMetaFeatures({ n_samples: t.rows.length, n_classes: counts.length, n_features: t.header.length - 1 }), ...classStats(counts) },
    modality: "tabular",
    classCounts,
  };
}
