/**
 * HPO-B top-5 experience pool as shipped by MLCopilot/CoML: schemas.json (16 search spaces), solutions.json
 * (the 5 best configurations per (space, OpenML dataset); records from other sources — huggingface, kaggle —
 * have no search space or numeric outcome and are skipped), datasets.json (text descriptions carrying
 * meta-features). Run.model is the learner (space id without its HPO-B number, e.g. "xgboost"); Run.space is the
 * space id. `searchSpace` is the union of the 16 spaces (same-named hyperparameters merged), for consumers
 * that need one space; `searchSpaces[run.space]` is the exact one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { readJson, requireNumber } from "../io.ts";
import { deriveMetaFeatures } from "../meta-features.ts";
import type { Dataset, HpValue, Hyperparameter, Run, SearchSpace } from "../schema.ts";
import type { Importer } from "./types.ts";

interface RawParam {
  name: string;
  dtype: "float" | "int" | "str" | "bool";
  low?: number;
  high?: number;
  logDistributed?: boolean;
  quantiles?: number[];
  choices?: (string | boolean)[];
  condition?: { match: Record<string, string | boolean> }[];
}

export const hpob: Importer = {
  format: "hpob",
  description: "HPO-B top-5 experience pool (MLCopilot/CoML solutions.json, schemas.json, datasets.json)",
  detect: (dir) => ["solutions.json", "schemas.json"].every((f) => existsSync(path.join(dir, f))),
  load(dir) {
    const schemasFile = path.join(dir, "schemas.json");
    const solutionsFile = path.join(dir, "solutions.json");
    const datasetsFile = path.join(dir, "datasets.json");
    const schemas = array(readJson(schemasFile, "schemas file"), schemasFile) as { id: string; description?: string; parameters: RawParam[] }[];
    const searchSpaces: Record<string, SearchSpace> = {};
    for (const [i, s] of schemas.entries()) searchSpaces[s.id] = convertSpace(s.parameters, `${schemasFile}: [${i}] ${s.id}`);

    const solutions = array(readJson(solutionsFile, "solutions file"), solutionsFile) as Record<string, unknown>[];
    const runs: Run[] = [];
    let skipped = 0;
    for (const [i, sol] of solutions.entries()) {
      if (sol.source !== "hpob") {
        skipped++;
        continue;
      }
      const where = `${solutionsFile}: [${i}] ${String(sol.id)}`;
      const space = String(sol.schema);
      if (!searchSpaces[space]) throw new InputError(`unknown search space ${JSON.stringify(space)}`, where, `use one of the ids in schemas.json`);
      const algo = (sol.modules as { role: string; module: unknown }[] | undefined)?.find((m) => m.role === "verifiedAlgorithm")?.module as { config?: Record<string, HpValue> } | undefined;
      if (!algo?.config) throw new InputError("no verifiedAlgorithm module with a config", where, "each HPO-B solution needs modules[].role = verifiedAlgorithm with a config");
      const value = requireNumber(sol.metrics, `${where}.metrics`, "metrics");
      const hyperparameters: Record<string, HpValue> = {};
      for (const name of Object.keys(searchSpaces[space].hyperparameters)) hyperparameters[name] = algo.config[name] ?? null;
      runs.push({
        id: String(sol.id),
        datasetId: String(sol.context),
        model: modelOf(space),
        space,
        hyperparameters,
        outcome: { best: value, final: value },
        cost: {},
        status: "completed",
      });
    }

    const descriptions = new Map((array(readJson(datasetsFile, "datasets file"), datasetsFile) as { id: string; name: string; description: string }[]).map((d) => [d.id, d]));
    const datasets = [...new Set(runs.map((r) => r.datasetId))].sort().map((id) => {
      const d = descriptions.get(id);
      if (!d) throw new InputError(`dataset ${id} (used by solutions) is not described`, datasetsFile, `add {"id": "${id}", "name": ..., "description": ...}`);
      return dataset(d, `${datasetsFile}: ${id}`);
    });
    return {
      name: path.basename(path.resolve(dir)),
      format: "hpob",
      kind: "experience-pool",
      // HPO-B responses are validation accuracies of OpenML tasks.
      metric: { name: "accuracy", direction: "max" },
      datasets,
      runs,
      models: [...new Set(runs.map((r) => r.model))].sort(),
      searchSpace: union(searchSpaces),
      searchSpaces,
      citation: "Pineda Arango, Jomaa, Wistuba, Grabocka. HPO-B: A Large-Scale Reproducible Benchmark for Black-Box HPO based on OpenML. NeurIPS 2021 Datasets and Benchmarks. Pool from Zhang et al., MLCopilot (CoML).",
      notes: [
        `only the 5 best configurations per (search space, dataset) exist: an experience pool, not an unbiased sample`,
        `${skipped} solutions from other sources (huggingface, kaggle) skipped: no search space or numeric outcome`,
      ],
    };
  },
};

function array(v: unknown, file: string): unknown[] {
  if (!Array.isArray(v)) throw new InputError("expected a JSON array at the top level", file, "use the CoML data layout");
  return v;
}

function convertSpace(params: RawParam[], where: string): SearchSpace {
  const hyperparameters: Record<string, Hyperparameter> = {};
  for (const p of params) {
    const w = `${where}.${p.name}`;
    let hp: Hyperparameter;
    if (p.dtype === "bool") hp = { type: "bool" };
    else if (p.dtype === "str") hp = { type: "categorical", values: (p.choices ?? []).map(String) };
    else if (p.dtype === "int" || p.dtype === "float") {
      let low = requireNumber(p.low, `${w}.low`, "low");
      const high = requireNumber(p.high, `${w}.high`, "high");
      const log = p.logDistributed === true;
      // A few HPO-B log ranges start at 0, which no log sampler accepts: start them at the smallest observed value.
      if (log && low <= 0) low = p.quantiles?.find((q) => q > 0) ?? (p.dtype === "int" ? 1 : high / 1e6);
      hp = { type: p.dtype, low, high, log };
    } else throw new InputError(`unknown dtype ${JSON.stringify(p.dtype)}`, w, "use float, int, str or bool");
    const cond = p.condition?.[0]?.match;
    if (cond) {
      const [parent, value] = Object.entries(cond)[0];
      hp.condition = { parent, values: [value] };
    }
    hyperparameters[p.name] = hp;
  }
  return { hyperparameters, source: "given" };
}

/**
 * One space covering all: ranges widened, categorical values joined; a name with two types keeps the first. A
 * hyperparameter applies only to the models whose spaces have it (condition on "model"), so an answer for svm
 * never lists rpart's minsplit.
 */
function union(spaces: Record<string, SearchSpace>): SearchSpace {
  const out: Record<string, Hyperparameter> = {};
  const owners = new Map<string, Set<string>>();
  const models = new Set(Object.keys(spaces).map(modelOf));
  for (const [id, s] of Object.entries(spaces)) {
    for (const [name, hp] of Object.entries(s.hyperparameters)) {
      owners.set(name, (owners.get(name) ?? new Set()).add(modelOf(id)));
      const prev = out[name];
      if (!prev) out[name] = { ...hp };
      else if ((prev.type === "float" || prev.type === "int") && prev.type === hp.type) {
        prev.low = Math.min(prev.low, hp.low);
        prev.high = Math.max(prev.high, hp.high);
        // Log only where every space agrees, so a merged range starting at 0 is never log.
        prev.log = prev.log && hp.log;
      } else if (prev.type === "categorical" && hp.type === "categorical") {
        prev.values = [...new Set([...prev.values, ...hp.values])];
      }
    }
  }
  for (const [name, hp] of Object.entries(out)) {
    const own = owners.get(name)!;
    if (own.size < models.size) hp.condition = { parent: "model", values: [...own].sort() };
    else delete hp.condition;
  }
  return { hyperparameters: out, source: "given" };
}

/** "It contains 2 classes, 1941 instances, 34 features, 33 numeric features, 1 categorical features. The majority class size is 1268 and the minority class size is 673." */
function dataset(d: { id: string; name: string; description: string }, where: string): Dataset {
  const grab = (re: RegExp) => {
    const m = re.exec(d.description);
    return m ? Number(m[1]) : undefined;
  };
  const k = grab(/(\d+) classes/);
  const n = grab(/(\d+) instances/);
  if (k === undefined || n === undefined) {
    throw new InputError("description does not state the number of classes and instances", where, 'write "It contains <k> classes, <n> instances, ..."');
  }
  const metaFeatures = deriveMetaFeatures({ n_samples: n, n_classes: k, n_features: grab(/(\d+) features/) });
  const extra = { n_numeric_features: grab(/(\d+) numeric features/), n_categorical_features: grab(/(\d+) categorical features/), max_class_size: grab(/majority class size is (\d+)/), min_class_size: grab(/minority class size is (\d+)/) };
  for (const [key, v] of Object.entries(extra)) if (v !== undefined) metaFeatures[key] = v;
  if (extra.max_class_size && extra.min_class_size) metaFeatures.imbalance_ratio = extra.max_class_size / extra.min_class_size;
  return { id: d.id, name: d.name, metaFeatures, modality: "tabular", task: "classification", description: d.description, source: "OpenML" };
}

/** The model of an HPO-B search space id ("rpart-5859" -> "rpart"). */
const modelOf = (space: string) => space.replace(/-\d+$/, "");
