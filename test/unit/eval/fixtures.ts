/** Small synthetic meta-datasets for the evaluation tests: outcomes follow a known formula plus seeded noise. */
import type { MetaDataset, Run } from "../../../src/metadata/schema.ts";
import { createRng } from "../../../src/util/random.ts";

export const MODELS = ["resnet", "vit", "convnext"];

/**
 * `nDatasets` datasets ("d0", "d1", …) with `runsPerDataset` runs each. Accuracy peaks at lr = 1e-3 and favours
 * "vit" everywhere (so a portfolio has something to find); seconds grow with batch size and model.
 */
export function fixture(nDatasets = 4, runsPerDataset = 30, seed = 1): MetaDataset {
  const rng = createRng(seed);
  const runs: Run[] = [];
  for (let d = 0; d < nDatasets; d++) {
    for (let k = 0; k < runsPerDataset; k++) {
      const model = MODELS[rng.int(MODELS.length)];
      const lr = 10 ** (-5 + 4 * rng.next());
      const batch = 2 ** (3 + rng.int(6));
      const opt = rng.next() < 0.5 ? "adam" : "sgd";
      const acc =
        90 - 12 * (Math.log10(lr) + 3) ** 2 + (model === "vit" ? 8 : model === "convnext" ? 3 : 0) + (opt === "adam" ? 2 : 0) + 2 * rng.normal();
      runs.push({
        id: `r${d}-${k}`,
        datasetId: `d${d}`,
        model,
        hyperparameters: { lr, batch_size: batch, opt, momentum: opt === "sgd" ? 0.9 : null },
        outcome: { best: acc, final: acc - 1, curve: [acc - 5, acc] },
        epochs: 2,
        cost: { totalSeconds: (100 + batch) * (model === "vit" ? 3 : 1) },
        status: "completed",
      });
    }
  }
  return {
    name: "fixture",
    format: "generic",
    kind: "table",
    metric: { name: "accuracy", direction: "max" },
    datasets: Array.from({ length: nDatasets }, (_, d) => ({
      id: `d${d}`,
      name: `dataset ${d}`,
      metaFeatures: { n_samples: 1000 * (d + 1), n_classes: 10 + d },
      domain: d % 2 ? "plants" : "vehicles",
      modality: "image",
      source: "fixture",
    })),
    runs,
    models: MODELS,
    searchSpace: {
      source: "given",
      hyperparameters: {
        lr: { type: "float", low: 1e-5, high: 0.1, log: true },
        batch_size: { type: "int", low: 8, high: 256, log: true },
        opt: { type: "categorical", values: ["adam", "sgd"] },
        momentum: { type: "float", low: 0, high: 1, log: false, condition: { parent: "opt", values: ["sgd"] } },
      },
    },
  };
}

/** Oriented outcome of every run by id: the side channel the oracle rankers cheat through. */
export function outcomesById(md: MetaDataset): Map<string, number> {
  return new Map(md.runs.map((r) => [r.id, r.outcome.best]));
}
