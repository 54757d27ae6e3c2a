/**
 * Quick-Tune raw format (Pineda Arango et al., ICLR 2024): configs.csv (one-hot `cat:<hp>:<value>` groups),
 * per-epoch top-1 accuracy and per-epoch seconds keyed {dataset: {run id: [...]}}, meta_descriptors.json.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { META_ALBUM_DOMAIN } from "../domains.ts";
import { readCsv, readJson, requireNumber } from "../io.ts";
import { deriveMetaFeatures } from "../meta-features.ts";
import type { Dataset, HpValue, Run } from "../schema.ts";
import { inferSearchSpace } from "../search-space.ts";
import type { Importer } from "./types.ts";

const FILES = ["configs.csv", "curves_perf_top1.json", "curves_cost_seconds.json", "meta_descriptors.json"];
type Curves = Record<string, Record<string, unknown>>;

export const quicktune: Importer = {
  format: "quicktune",
  description: "Quick-Tune raw folder (configs.csv, curves_perf_top1.json, curves_cost_seconds.json, meta_descriptors.json)",
  detect: (dir) => existsSync(path.join(dir, "configs.csv")) && existsSync(path.join(dir, "curves_perf_top1.json")),
  load(dir) {
    const [configsFile, perfFile, costFile, metaFile] = FILES.map((f) => path.join(dir, f));
    const configs = readConfigs(configsFile);
    const perf = curvesFile(perfFile, "accuracy curves");
    const cost = curvesFile(costFile, "cost curves");
    const meta = readJson(metaFile, "meta-descriptors file") as Record<string, unknown>;

    const runs: Run[] = [];
    const seen = new Set<string>();
    let maxEpochs = 0;
    for (const [datasetId, byRun] of Object.entries(perf)) {
      if (datasetId === "info") continue;
      for (const [runId, curveRaw] of Object.entries(byRun)) {
        const where = `${perfFile}: ${datasetId}.${runId}`;
        const config = configs.get(runId);
        if (!config) throw new InputError(`curve for run ${runId} has no configuration`, where, `add run ${runId} to configs.csv or remove its curve`);
        if (seen.has(runId)) throw new InputError(`run ${runId} has curves under two datasets`, where, "each run id must appear under exactly one dataset");
        seen.add(runId);
        const curve = numberArray(curveRaw, where, "accuracy");
        const costWhere = `${costFile}: ${datasetId}.${runId}`;
        const seconds = numberArray(cost[datasetId]?.[runId], costWhere, "seconds per epoch");
        if (seconds.length !== curve.length) {
          throw new InputError(`${seconds.length} per-epoch costs for ${curve.length} epochs`, costWhere, "give one cost per epoch of the accuracy curve");
        }
        maxEpochs = Math.max(maxEpochs, curve.length);
        runs.push({
          id: runId,
          datasetId,
          model: config.model,
          hyperparameters: config.hyperparameters,
          outcome: { best: Math.max(...curve), final: curve[curve.length - 1], curve },
          epochs: curve.length,
          cost: { totalSeconds: seconds.reduce((a, b) => a + b, 0), perEpochSeconds: seconds },
          status: "unknown",
        });
      }
    }
    for (const [runId, c] of configs) {
      if (!seen.has(runId)) throw new InputError(`run ${runId} has a configuration but no curve`, `${configsFile}:${c.line}`, `add its curve to curves_perf_top1.json or drop the row`);
    }
    // Runs end on a time budget, divergence or the epoch limit; only the limit is visible in the files.
    for (const r of runs) r.status = r.epochs === maxEpochs ? "completed" : "stopped";

    const datasetIds = [...new Set(runs.map((r) => r.datasetId))].sort();
    const datasets = datasetIds.map((id) => dataset(id, meta[id], `${metaFile}: ${id}`));
    return {
      name: path.basename(path.resolve(dir)),
      format: "quicktune",
      kind: "table",
      metric: { name: "top1_accuracy", direction: "max" },
      datasets,
      runs,
      models: [...new Set(runs.map((r) => r.model))].sort(),
      searchSpace: inferSearchSpace(runs),
      citation: "Pineda Arango, Ferreira, Kadra, Hutter, Grabocka. Quick-Tune: Quickly Learning Which Pretrained Model to Finetune and How. ICLR 2024.",
    };
  },
};

interface Config {
  line: number;
  model: string;
  hyperparameters: Record<string, HpValue>;
}

/** configs.csv -> run id -> model + hyperparameters, decoding each one-hot group back to its value. */
function readConfigs(file: string): Map<string, Config> {
  const t = readCsv(file, "configs file");
  const groups = new Map<string, { col: number; value: string }[]>();
  const numeric: { col: number; name: string }[] = [];
  t.header.forEach((h, col) => {
    if (col === 0) return;
    const m = /^cat:([^:]+):(.*)$/.exec(h);
    if (m) {
      if (!groups.has(m[1])) groups.set(m[1], []);
      groups.get(m[1])!.push({ col, value: m[2] });
    } else numeric.push({ col, name: h });
  });
  if (!groups.has("model")) {
    throw new InputError("no cat:model:<name> columns", `${file}:1`, "Quick-Tune configs.csv one-hot encodes the model as cat:model:<name> columns");
  }
  const out = new Map<string, Config>();
  t.rows.forEach((row, i) => {
    const line = t.lines[i];
    const id = row[0];
    if (out.has(id)) throw new InputError(`duplicate run id ${id}`, `${file}:${line}`, "each run must appear once");
    const hp: Record<string, HpValue> = {};
    for (const { col, name } of numeric) hp[name] = requireNumber(row[col], () => `${file}:${line}, column ${JSON.stringify(name)}`, name);
    let model = "";
    for (const [group, cols] of groups) {
      const on = cols.filter((c) => {
        const v = requireNumber(row[c.col], () => `${file}:${line}, column ${JSON.stringify(t.header[c.col])}`, "one-hot flag");
        return v === 1;
      });
      if (on.length !== 1) {
        throw new InputError(
          `one-hot group ${JSON.stringify(group)} has ${on.length} columns set to 1`,
          `${file}:${line}`,
          `exactly one of the cat:${group}:* columns must be 1 and the others 0`,
        );
      }
      if (group === "model") model = on[0].value;
      else hp[group] = on[0].value;
    }
    out.set(id, { line, model, hyperparameters: hp });
  });
  return out;
}

function curvesFile(file: string, what: string): Curves {
  const raw = readJson(file, what);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    throw new InputError(`${what} must be an object {dataset: {run id: [values]}}`, file, "use the Quick-Tune curves layout");
  }
  return raw as Curves;
}

function numberArray(v: unknown, where: string, what: string): number[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new InputError(`expected a non-empty array of ${what}, got ${v === undefined ? "nothing" : JSON.stringify(v).slice(0, 60)}`, where, `give one ${what} value per epoch`);
  }
  return v.map((x, i) => requireNumber(x, () => `${where}[${i}]`, what));
}

function dataset(id: string, desc: unknown, where: string): Dataset {
  if (!Array.isArray(desc) || desc.length !== 4) {
    throw new InputError(`expected [n_samples, n_classes, image_resolution, channels], got ${JSON.stringify(desc) ?? "nothing"}`, where, `add ${id} to meta_descriptors.json`);
  }
  const [n, k, res, ch] = desc.map((x, i) => requireNumber(x, `${where}[${i}]`, ["n_samples", "n_classes", "image_resolution", "channels"][i]));
  return {
    id,
    name: id,
    metaFeatures: deriveMetaFeatures({ n_samples: n, n_classes: k, image_size: res, channels: ch }),
    domain: META_ALBUM_DOMAIN[id],
    modality: "image",
    task: "classification",
    source: "Meta-Album",
  };
}
