/**
 * MedQuickTune (3D ResNet/DenseNet from scratch on oncology MRI/CT): meta.csv, config.csv, curve.csv and
 * cost.csv aligned on their first (index) column.
 *
 * Decisions: Run.model is the architecture variant ("densenet121", "resnet18": densenet_type / resnet_type,
 * falling back to the family), because variants differ in depth and cost like Quick-Tune's timm models do.
 * Family-specific hyperparameters (growth_rate, widen_factor, ...) are null when inactive and get a
 * condition on "model". The curve is padded with the last value after early stopping: the padding is trimmed,
 * so `epochs` counts real epochs (a run whose last epochs repeat the same AUC exactly is counted short).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { column, parseCell, readCsv, requireNumber, type CsvTable } from "../io.ts";
import { deriveMetaFeatures } from "../meta-features.ts";
import type { Dataset, HpValue, Run } from "../schema.ts";
import { inferSearchSpace } from "../search-space.ts";
import type { Importer } from "./types.ts";

/** Columns of config.csv that describe the run, not a tunable hyperparameter. */
const NOT_HP = new Set(["dataset", "model", "model_type", "resnet_type", "densenet_type"]);

export const medquicktune: Importer = {
  format: "medquicktune",
  description: "MedQuickTune folder (meta.csv, config.csv, curve.csv, cost.csv aligned on the index column)",
  detect: (dir) => ["meta.csv", "config.csv", "curve.csv", "cost.csv"].every((f) => existsSync(path.join(dir, f))),
  load(dir) {
    const [meta, config, curve, cost] = ["meta.csv", "config.csv", "curve.csv", "cost.csv"].map((f) => readCsv(path.join(dir, f), f));
    const metaRows = byIndex(meta);
    const curveRows = byIndex(curve);
    const costRows = byIndex(cost);
    const costCol = column(cost, "cost");
    const c = (name: string) => column(config, name);
    const [cDataset, cModel] = [c("dataset"), c("model")];
    const variantCols = ["densenet_type", "resnet_type"].filter((n) => config.header.includes(n)).map((n) => config.header.indexOf(n));
    const hpCols = config.header.map((h, i) => ({ h, i })).filter(({ h, i }) => i > 0 && !NOT_HP.has(h));
    const m = (name: string) => column(meta, name);
    const mc = { dataset: m("dataset"), classes: m("num_classes"), channels: m("input_channels"), h: m("input_size_h"), w: m("input_size_w"), d: m("input_size_d"), modality: m("modality"), n: m("total_num_samples") };

    const runs: Run[] = [];
    const datasets = new Map<string, Dataset>();
    config.rows.forEach((row, r) => {
      const id = row[0];
      const where = `${config.file}:${config.lines[r]}`;
      const mrow = need(metaRows, id, meta, where);
      const datasetId = mrow.row[mc.dataset];
      if (row[cDataset] !== datasetId) {
        throw new InputError(`dataset ${JSON.stringify(row[cDataset])} but meta.csv says ${JSON.stringify(datasetId)} for index ${id}`, where, "the four CSVs must be aligned on the index column");
      }
      const num = (col: number, what: string) => requireNumber(mrow.row[col], `${meta.file}:${mrow.line}, column ${JSON.stringify(meta.header[col])}`, what);
      const ds = dataset(datasetId, {
        n: num(mc.n, "total_num_samples"), k: num(mc.classes, "num_classes"), ch: num(mc.channels, "input_channels"),
        h: num(mc.h, "input_size_h"), w: num(mc.w, "input_size_w"), d: num(mc.d, "input_size_d"), modality: mrow.row[mc.modality].toLowerCase(),
      });
      const prev = datasets.get(datasetId);
      if (prev && JSON.stringify(prev) !== JSON.stringify(ds)) {
        throw new InputError(`meta-features of ${datasetId} differ from an earlier row`, `${meta.file}:${mrow.line}`, "every row of one dataset must carry the same meta-features");
      }
      datasets.set(datasetId, ds);

      const crow = need(curveRows, id, curve, where);
      const padded = crow.row.slice(1).map((v, i) => requireNumber(v, () => `${curve.file}:${crow.line}, column ${JSON.stringify(curve.header[i + 1])}`, "AUC"));
      const values = trimPadding(padded);
      const krow = need(costRows, id, cost, where);
      const hyperparameters: Record<string, HpValue> = {};
      for (const { h, i } of hpCols) hyperparameters[h] = parseCell(row[i]);
      runs.push({
        id,
        datasetId,
        model: variantCols.map((i) => row[i]).find((v) => v) || row[cModel],
        hyperparameters,
        outcome: { best: Math.max(...values), final: values[values.length - 1], curve: values },
        epochs: values.length,
        cost: { totalSeconds: requireNumber(krow.row[costCol], `${cost.file}:${krow.line}, column "cost"`, "cost in seconds") },
        status: values.length < padded.length ? "stopped" : "completed",
      });
    });
    for (const [t, rows] of [[meta, metaRows], [curve, curveRows], [cost, costRows]] as const) {
      if (rows.size !== config.rows.length) {
        const extra = [...rows.keys()].find((k) => !runs.some((r) => r.id === k));
        throw new InputError(`${rows.size} rows for ${config.rows.length} configurations${extra ? ` (index ${extra} has no configuration)` : ""}`, t.file, "the four CSVs must have the same index values");
      }
    }
    return {
      name: path.basename(path.resolve(dir)),
      format: "medquicktune",
      kind: "table",
      metric: { name: "auc_x100", direction: "max" },
      datasets: [...datasets.values()].sort((a, b) => a.id.localeCompare(b.id)),
      runs,
      models: [...new Set(runs.map((r) => r.model))].sort(),
      searchSpace: inferSearchSpace(runs),
      notes: ["n_samples is 1500 for every dataset in meta.csv (total_num_samples): a placeholder, not a measurement; it carries no information"],
    };
  },
};

interface IndexedRow {
  row: string[];
  line: number;
}

function byIndex(t: CsvTable): Map<string, IndexedRow> {
  const m = new Map<string, IndexedRow>();
  t.rows.forEach((row, i) => {
    if (m.has(row[0])) throw new InputError(`duplicate index ${row[0]}`, `${t.file}:${t.lines[i]}`, "each index value must appear once");
    m.set(row[0], { row, line: t.lines[i] });
  });
  return m;
}

function need(rows: Map<string, IndexedRow>, id: string, t: CsvTable, where: string): IndexedRow {
  const r = rows.get(id);
  if (!r) throw new InputError(`index ${id} has no row in ${path.basename(t.file)}`, where, "the four CSVs must have the same index values");
  return r;
}

/** Drops the trailing copies of the last value (padding after early stopping). */
function trimPadding(values: number[]): number[] {
  let end = values.length;
  while (end > 1 && values[end - 2] === values[end - 1]) end--;
  return values.slice(0, end);
}

function dataset(id: string, v: { n: number; k: number; ch: number; h: number; w: number; d: number; modality: string }): Dataset {
  return {
    id,
    name: id,
    // image_size is the side of a square of the same area (= h for the square inputs here); depth = slices.
    metaFeatures: deriveMetaFeatures({ n_samples: v.n, n_classes: v.k, channels: v.ch, image_size: Math.sqrt(v.h * v.w), depth: v.d }),
    domain: "medical",
    modality: v.modality,
    task: "classification",
    source: "MedQuickTune",
  };
}
