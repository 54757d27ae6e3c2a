/** Tiny meta-dataset folders in the real layouts, written to a temp dir, for importer and error-path tests. */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "../../../src/util/errors.ts";

export function tempDir(prefix = "hporec-meta-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Quick-Tune-shaped folder: 3 runs on 2 datasets; `edit` replaces files' text before writing. */
export function quicktuneFixture(edit: Record<string, string> = {}): string {
  const dir = tempDir();
  const files: Record<string, string> = {
    "configs.csv": [
      ",amp,batch_size,lr,cat:model:net_a,cat:model:net_b,cat:opt:adam,cat:opt:sgd,\"cat:opt_betas:[0.9, 0.999]\",cat:opt_betas:None",
      "101,0,32,0.001,1,0,1,0,1,0",
      "102,1,256,1e-05,0,1,0,1,0,1",
      "103,0,8,0.01,0,1,1,0,0,1",
    ].join("\n") + "\n",
    "curves_perf_top1.json": JSON.stringify({
      DS_A: { "101": [10, 40, 35], "102": [5] },
      DS_B: { "103": [20, 30, 50] },
      info: { metric: "Top1 Accuracy in %" },
    }),
    "curves_cost_seconds.json": JSON.stringify({ DS_A: { "101": [1.5, 2, 2.5], "102": [7] }, DS_B: { "103": [3, 3, 4] } }),
    "meta_descriptors.json": JSON.stringify({ DS_A: [1000, 10, 128, 3], DS_B: [500, 50, 64, 1] }),
  };
  for (const [name, text] of Object.entries({ ...files, ...edit })) writeFileSync(path.join(dir, name), text);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

/** The message of the InputError `f` throws (as the CLI prints it); fails the test when it throws nothing else. */
export function inputErrorText(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.describe();
    throw e;
  }
  throw new Error("expected an InputError");
}
