/**
 * What imported runs are checked and spelled against: a pack (what its models were trained on), a search-space
 * file, or another meta-dataset. Only the parts that say what the learner reads: hyperparameters with their
 * types and values, models, meta-features with their ranges, domains, the metric.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { InputError } from "../util/errors.ts";
import { PROJECT_ROOT } from "../package-info.ts";
import { formatZodError } from "../util/zod-format.ts";
import { readJson } from "./io.ts";
import { loadMetaDataset } from "./load.ts";
import { Dataset, Metric, SearchSpace, type MetaDataset } from "./schema.ts";

export interface Reference {
  /** How messages name it: "pack models/default", "quicktune-extended". */
  name: string;
  /** How a mapping names it (hyperparameters: {like: <spec>}). */
  spec?: string;
  searchSpace: SearchSpace;
  models: string[];
  metric?: Metric;
  datasets: Pick<Dataset, "id" | "metaFeatures" | "domain" | "modality">[];
  /** Meta-features the reference reads (a pack's feature map), else every one its datasets carry. */
  metaFeatures: string[];
}

export function referenceOf(md: MetaDataset): Reference {
  return {
    name: md.name,
    searchSpace: md.searchSpace,
    models: md.models,
    metric: md.metric,
    datasets: md.datasets,
    metaFeatures: [...new Set(md.datasets.flatMap((d) => Object.keys(d.metaFeatures)))].sort(),
  };
}

/**
 * Reads a reference named in a mapping or on the command line. A relative name is looked up in `baseDirs`,
 * the working directory, then the project (so `models/default` is the built-in pack from anywhere).
 */
export function readReference(spec: string, baseDirs: string[] = [], key = "hyperparameters.like"): Reference {
  const candidates = path.isAbsolute(spec) ? [spec] : [...baseDirs, process.cwd(), PROJECT_ROOT].map((d) => path.resolve(d, spec));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new InputError(`reference ${JSON.stringify(spec)} not found (looked in ${[...new Set(candidates)].join(", ")})`, key, "name a pack folder (e.g. models/default), a search-space JSON file or a meta-dataset folder");
  }
  const ref = statSync(found).isFile() ? spaceFile(found) : existsSync(path.join(found, "manifest.json")) ? packReference(found) : referenceOf(loadMetaDataset(found));
  ref.spec = spec;
  return ref;
}

const PackSpace = z.object({ searchSpace: SearchSpace, models: z.array(z.string()) });
const PackManifest = z.object({ name: z.string(), metric: Metric });
const PackFeatures = z.object({ metaFeatures: z.array(z.string()) });

function packReference(dir: string): Reference {
  const part = <T>(file: string, schema: z.ZodType<T>): T => {
    const r = schema.safeParse(readJson(path.join(dir, file), `pack ${file}`));
    if (!r.success) throw new InputError(`not a readable pack file:\n${formatZodError(r.error)}`, path.join(dir, file), `rebuild the pack with: hporec train --out ${dir}`);
    return r.data;
  };
  const space = part("space.json", PackSpace);
  // datasets.json holds every past run (megabytes): read only when a check asks for the datasets.
  let datasets: Reference["datasets"] | undefined;
  // A folder below the working directory by its relative path, any other by its absolute one (not "../../x").
  const relative = path.relative(process.cwd(), dir);
  return {
    name: `pack ${relative && !relative.startsWith("..") ? relative : path.resolve(dir)}`,
    searchSpace: space.searchSpace,
    models: space.models,
    metric: part("manifest.json", PackManifest).metric,
    get datasets() {
      return (datasets ??= part("datasets.json", z.array(Dataset)));
    },
    metaFeatures: part("feature-map.json", PackFeatures).metaFeatures,
  };
}

/** A search-space JSON: as `hporec data space` or `recommend --space-out` write it, or a pack's space.json ({searchSpace, models}). */
function spaceFile(file: string): Reference {
  const raw = readJson(file, "search-space file") as Record<string, unknown>;
  // A reduced space (recommend --space-out) names its models too.
  const r = (raw && "searchSpace" in raw ? PackSpace : SearchSpace.transform((s) => ({ searchSpace: s, models: s.models ?? [] }))).safeParse(raw);
  if (!r.success) throw new InputError(`not a search space:\n${formatZodError(r.error)}`, file, "write it with: hporec data space <meta-dataset> --out space.json");
  return { name: path.basename(file), searchSpace: r.data.searchSpace, models: r.data.models, datasets: [], metaFeatures: [] };
}
