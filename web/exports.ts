/**
 * "Copy as JSON / YAML / Optuna": the pick as a config file, or as an Optuna study that tries the pick first
 * and then searches hporec's reduced space (the hyperparameters it did not fix, in their good ranges).
 */
import type { Recommendation } from "./types.ts";

export type ExportFormat = "json" | "yaml" | "optuna";

/** The pick as one flat config: model first, then every active hyperparameter. */
export function pickedConfig(rec: Recommendation): Record<string, string | number | boolean> {
  const { model, hyperparameters } = rec.recommendation;
  const active = Object.entries(hyperparameters).filter((e): e is [string, string | number | boolean] => e[1] !== null);
  return { model, ...Object.fromEntries(active) };
}

const py = (v: unknown): string => (v === true ? "True" : v === false ? "False" : v === null || v === undefined ? "None" : JSON.stringify(v));

type SpaceHp = Recommendation["reducedSpace"]["hyperparameters"][string];

function suggestion(name: string, hp: SpaceHp): string {
  const n = JSON.stringify(name);
  if (hp.type === "categorical") return `trial.suggest_categorical(${n}, [${hp.values.map(py).join(", ")}])`;
  if (hp.type === "bool") return `trial.suggest_categorical(${n}, [True, False])`;
  const log = hp.log ? ", log=True" : "";
  return hp.type === "int" ? `trial.suggest_int(${n}, ${py(hp.low)}, ${py(hp.high)}${log})` : `trial.suggest_float(${n}, ${py(hp.low)}, ${py(hp.high)}${log})`;
}

/** A runnable Optuna script: the reduced space as suggestions, the rest fixed, hporec's pick enqueued first. */
export function optunaScript(rec: Recommendation): string {
  const pick = pickedConfig(rec);
  const space = rec.reducedSpace;
  const searched = Object.keys(space.hyperparameters).filter((k) => k in pick);
  const fixed = Object.entries(pick).filter(([k]) => k !== "model" && !searched.includes(k));
  const models = space.models.includes(rec.recommendation.model) ? space.models : [rec.recommendation.model, ...space.models];
  const direction = rec.metric.direction === "max" ? "maximize" : "minimize";
  const lines = [
    `# hporec's pick for ${rec.dataset.name ?? "your dataset"}: ${rec.recommendation.model}, predicted ${rec.metric.name} ~ ${rec.recommendation.predicted.metric}`,
    "import optuna",
    "",
    `FIXED = {${fixed.map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(", ")}}`,
    "",
    "",
    "def train_and_evaluate(params):",
    `    raise NotImplementedError("train with params and return the validation ${rec.metric.name}")`,
    "",
    "",
    "def objective(trial):",
    "    params = dict(FIXED)",
    `    params["model"] = trial.suggest_categorical("model", [${models.map(py).join(", ")}])`,
    ...searched.map((k) => `    params[${JSON.stringify(k)}] = ${suggestion(k, space.hyperparameters[k])}`),
    "    return train_and_evaluate(params)",
    "",
    "",
    `study = optuna.create_study(direction=${py(direction)})`,
    `study.enqueue_trial({${["model", ...searched].map((k) => `${JSON.stringify(k)}: ${py(pick[k])}`).join(", ")}})`,
    "study.optimize(objective, n_trials=20)",
    "",
  ];
  return lines.join("\n");
}

export async function exportText(rec: Recommendation, format: ExportFormat): Promise<string> {
  if (format === "json") return `${JSON.stringify(pickedConfig(rec), null, 2)}\n`;
  if (format === "optuna") return optunaScript(rec);
  const { stringify } = await import("yaml");
  return stringify(pickedConfig(rec));
}
