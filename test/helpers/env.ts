import { existsSync } from "node:fs";
import path from "node:path";

/**
 * Where the real meta-datasets are (HPOREC_DATA). In CI (CI=true) a missing folder is a failure, never a
 * skip, so data tests cannot silently vanish. Locally, returns undefined and tests skip with a reason.
 */
export function dataRoot(): string | undefined {
  const root = process.env.HPOREC_DATA ?? path.resolve("../shared/metadata");
  if (existsSync(root)) return root;
  if (process.env.CI === "true") throw new Error(`HPOREC_DATA (${root}) is missing in CI: data tests must run`);
  return undefined;
}

/** Path to one real meta-dataset, or undefined (local only) when the data is not there. */
export function dataDir(name: "quicktune-extended" | "medquicktune" | "hpob-top5" | "quicktune-micro-wandb"): string | undefined {
  const root = dataRoot();
  return root && path.join(root, name);
}

/** Folder of the tiny GGUF test models (HPOREC_TEST_MODELS, default ../shared/models); same CI rule. */
export function testModelsDir(): string | undefined {
  const dir = process.env.HPOREC_TEST_MODELS ?? path.resolve("../shared/models");
  if (existsSync(dir)) return dir;
  if (process.env.CI === "true") throw new Error(`test models (${dir}) are missing in CI`);
  return undefined;
}
