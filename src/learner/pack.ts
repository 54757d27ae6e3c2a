/**
 * A pack: everything needed to recommend for a new dataset, in one folder, written atomically.
 *   manifest.json      format/version, what it was trained on, checksums of every file
 *   feature-map.json   columns -> hyperparameter names
 *   space.json         search space and model choices
 *   datasets.json      past datasets: meta-features, outcome summary, winning configurations
 *   metrics.json       training (and optional leave-one-dataset-out) metrics
 *   calibration.json   picks on held-out past datasets: track record and residual bounds of stated ranges
 *   models/*.xgb.gz    ml-xgboost legacy binary models (gzip), parsed into trees on load: outcome-<member>,
 *                      cost, and the head: ranking-<member> (outcome-<member>'s trees with leaves refitted
 *                      for ranking) or accept-<member> (classifiers of an acceptable run)
 * Later stages add files (explanations, the knowledge index) through `extraFiles`.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { z } from "zod";
import { Dataset, HpValue, Metric, SearchSpace } from "../metadata/schema.ts";
import { recoverDir, replaceDirAtomic } from "../util/atomic.ts";
import { InputError } from "../util/errors.ts";
import { parseBinaryModel } from "./binary-model.ts";
import { FeatureMap } from "./features.ts";
import { Head, MetaLearner, type TrainedModels } from "./meta-learner.ts";
import { TargetKind } from "./targets.ts";
import { Calibration } from "../recommend/calibration.ts";
import { DEFAULT_PACK } from "../package-info.ts";
import { IMPORTERS } from "../metadata/importers/index.ts";

export const PACK_FORMAT = "hporec-pack";
export const CALIBRATION_FILE = "calibration.json";
export const PACK_VERSION = 1;

export const TopRun = z.object({
  runId: z.string(),
  model: z.string(),
  hyperparameters: z.record(z.string(), HpValue),
  outcome: z.number(),
  seconds: z.number().optional(),
});
export type TopRun = z.infer<typeof TopRun>;

/** A past run reduced to what the retrieval prior reads: its configuration and its rank percentile (1 = best). */
export const PastRun = z.object({
  model: z.string(),
  hyperparameters: z.record(z.string(), HpValue),
  percentile: z.number(),
});
export type PastRun = z.infer<typeof PastRun>;

export const DatasetSummary = Dataset.extend({
  nRuns: z.number().int(),
  best: z.number(),
  median: z.number(),
  /** Outcome quantiles at 0, 5, ..., 100 %: turns a predicted rank back into the metric's units. */
  quantiles: z.array(z.number()),
  /** Best runs on this dataset, best first. */
  topRuns: z.array(TopRun),
  /** Every run on this dataset (packs written before the retrieval prior have none: no prior from them). */
  runs: z.array(PastRun).default([]),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const PackManifest = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  name: z.string(),
  createdAt: z.string(),
  metaDataset: z.object({ name: z.string(), format: z.string(), kind: z.string(), runs: z.number(), datasets: z.number() }),
  metric: Metric,
  target: TargetKind,
  seeds: z.number().int().positive(),
  params: z.record(z.string(), z.unknown()),
  hasCost: z.boolean(),
  /** Whether models/ranking-<seed>.xgb.gz hold a ranking head (packs built before `head` existed). */
  hasRankingHead: z.boolean().default(false),
  /** The head (meta-learner.ts); absent in older packs, where hasRankingHead says "ranking" or "none". */
  head: Head.optional(),
  /** For the "full-length" head: the training length (epochs) it scores candidates at. */
  fullLength: z.number().positive().optional(),
  /** sha256 of every file in the pack, relative path -> hex digest. */
  files: z.record(z.string(), z.string()),
});
export type PackManifest = z.infer<typeof PackManifest>;

export const PackSpace = z.object({ searchSpace: SearchSpace, models: z.array(z.string()) });

export interface PackContent {
  name: string;
  metaDataset: PackManifest["metaDataset"];
  metric: z.infer<typeof Metric>;
  target: TargetKind;
  params: Record<string, unknown>;
  models: TrainedModels;
  space: z.infer<typeof PackSpace>;
  datasets: DatasetSummary[];
  metrics: unknown;
  /** Additional files (relative path -> content) written by later stages, e.g. explanations.json. */
  extraFiles?: Record<string, string | Uint8Array>;
}

export interface Pack {
  dir: string;
  manifest: PackManifest;
  featureMap: FeatureMap;
  space: z.infer<typeof PackSpace>;
  datasets: DatasetSummary[];
  metrics: unknown;
  learner: MetaLearner;
  /** How its picks did on held-out past datasets, and the stated ranges' residual bounds (calibration.json). */
  calibration?: Calibration;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");
const json = (v: unknown) => JSON.stringify(v, null, 1) + "\n";

export async function savePack(dir: string, c: PackContent): Promise<void> {
  const files: Record<string, string | Uint8Array> = {
    "feature-map.json": json(c.models.featureMap),
    "space.json": json(c.space),
    // One dataset per line: every run is kept (for the retrieval prior), indenting would add a third.
    "datasets.json": `[\n${c.datasets.map((d) => JSON.stringify(d)).join(",\n")}\n]\n`,
    "metrics.json": json(c.metrics),
    ...c.extraFiles,
  };
  c.models.outcome.forEach((m, i) => (files[`models/outcome-${i}.xgb.gz`] = gzipSync(m.bytes, { level: 9 })));
  if (c.models.cost) files["models/cost.xgb.gz"] = gzipSync(c.models.cost.bytes, { level: 9 });
  c.models.head?.models.forEach((m, i) => (files[headFile(c.models.head!.kind, i)] = gzipSync(m.bytes, { level: 9 })));

  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    name: c.name,
    createdAt: new Date().toISOString(),
    metaDataset: c.metaDataset,
    metric: c.metric,
    target: c.target,
    seeds: c.models.outcome.length,
    params: c.params,
    hasCost: c.models.cost !== undefined,
    hasRankingHead: c.models.head?.kind === "ranking",
    head: c.models.head?.kind ?? "none",
    ...(c.models.head?.fullLength !== undefined && { fullLength: c.models.head.fullLength }),
    files: Object.fromEntries(Object.entries(files).map(([f, d]) => [f, sha256(d)])),
  };
  await replaceDirAtomic(dir, (tmp) => {
    for (const [f, d] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      writeFileSync(path.join(tmp, f), d);
    }
    // The manifest goes last: a pack without one is incomplete by construction.
    writeFileSync(path.join(tmp, "manifest.json"), json(manifest));
  });
}

/** Loads and validates a pack; a missing, corrupt or incompatible one gets a message naming the fix. */
export function loadPack(dir: string): Pack {
  const fix = `rebuild it with: hporec train --out ${dir}`;
  const manifestPath = path.join(dir, "manifest.json");
  recoverDir(dir);
  if (!existsSync(dir))
    throw new InputError(`pack folder not found: ${dir}`, "--pack", `pass a pack folder (a relative path is read from ${process.cwd()}; leave --pack out for the built-in ${DEFAULT_PACK}), or build one: hporec train --data <meta-dataset> --out ${dir}`);
  if (!existsSync(manifestPath)) {
    // A meta-dataset folder given where a pack is expected: say what it is and how a pack is made from it.
    const metaDataset = IMPORTERS.some((i) => i.detect(dir));
    throw new InputError(metaDataset ? "this is a meta-dataset, not a pack (no manifest.json)" : "not a pack (no manifest.json)", dir, metaDataset ? `train a pack from it: hporec train --data ${dir} --out <pack folder>` : fix);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (e) {
    throw new InputError(`manifest.json is not valid JSON (${(e as Error).message})`, manifestPath, fix);
  }
  const format = (raw as { format?: unknown })?.format;
  const version = (raw as { version?: unknown })?.version;
  if (format !== PACK_FORMAT || version !== PACK_VERSION)
    throw new InputError(
      `incompatible pack: format ${JSON.stringify(format)} version ${JSON.stringify(version)}, expected ${PACK_FORMAT} version ${PACK_VERSION}`,
      manifestPath,
      fix,
    );
  const parsed = PackManifest.safeParse(raw);
  if (!parsed.success)
    throw new InputError(`manifest.json is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`, manifestPath, fix);
  const manifest = parsed.data;

  const read = (f: string): Buffer => {
    const p = path.join(dir, f);
    if (!existsSync(p)) throw new InputError(`pack file missing: ${f}`, dir, fix);
    const data = readFileSync(p);
    if (manifest.files[f] !== undefined && sha256(data) !== manifest.files[f])
      throw new InputError(`pack file is corrupt (checksum mismatch): ${f}`, dir, fix);
    return data;
  };
  const readJson = <T>(f: string, schema: z.ZodType<T>): T => {
    const r = schema.safeParse(JSON.parse(read(f).toString("utf8")));
    if (!r.success) throw new InputError(`pack file is malformed: ${f}: ${r.error.issues[0]?.message}`, dir, fix);
    return r.data;
  };

  const featureMap = readJson("feature-map.json", FeatureMap);
  const space = readJson("space.json", PackSpace);
  const datasets = readJson("datasets.json", z.array(DatasetSummary));
  const metrics = JSON.parse(read("metrics.json").toString("utf8"));
  // Packs built before calibration existed have none: their ranges then come from the members' spread.
  const calibration = existsSync(path.join(dir, CALIBRATION_FILE)) ? readJson(CALIBRATION_FILE, Calibration) : undefined;
  const model = (f: string) => {
    try {
      return parseBinaryModel(gunzipSync(read(f)));
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`pack model cannot be read: ${f} (${(e as Error).message})`, dir, fix);
    }
  };
  const outcome = Array.from({ length: manifest.seeds }, (_, i) => model(`models/outcome-${i}.xgb.gz`));
  const cost = manifest.hasCost ? model("models/cost.xgb.gz") : undefined;
  const headKind = manifest.head ?? (manifest.hasRankingHead ? "ranking" : "none");
  const head = headKind === "none" ? [] : Array.from({ length: manifest.seeds }, (_, i) => model(headFile(headKind, i)));
  // The full-length head's models read one column more than the map: the training length.
  for (const m of [...outcome, ...(cost ? [cost] : []), ...head])
    if (m.nFeatures > featureMap.columns.length + (headKind === "full-length" && head.includes(m) ? 1 : 0))
      throw new InputError(`model expects ${m.nFeatures} features, feature map has ${featureMap.columns.length}`, dir, fix);
  return {
    dir,
    manifest,
    featureMap,
    space,
    datasets,
    metrics,
    learner: new MetaLearner(featureMap, outcome, cost, manifest.target, head, headKind, manifest.fullLength),
    calibration,
  };
}

const HEAD_FILES: Record<Exclude<Head, "none">, string> = { ranking: "ranking", acceptable: "accept", "full-length": "full-length" };
const headFile = (kind: Exclude<Head, "none">, member: number) => `models/${HEAD_FILES[kind]}-${member}.xgb.gz`;

/** Reads an extra file of a pack (added by a later stage), verifying its checksum when the manifest lists it. */
export function readPackFile(pack: Pack, f: string): Buffer | undefined {
  const p = path.join(pack.dir, f);
  if (!existsSync(p)) return undefined;
  const data = readFileSync(p);
  const want = pack.manifest.files[f];
  if (want !== undefined && sha256(data) !== want)
    throw new InputError(`pack file is corrupt (checksum mismatch): ${f}`, pack.dir, `rebuild it with: hporec train --out ${pack.dir}`);
  return data;
}
