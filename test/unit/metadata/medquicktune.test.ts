import { test } from "node:test";
import assert from "node:assert/strict";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { InputError } from "../../../src/util/errors.ts";
import { tempDir, writeFiles } from "./fixtures.ts";

function fixture(over: Record<string, string> = {}): string {
  return writeFiles(tempDir(), {
    "meta.csv": ",dataset,num_classes,input_channels,input_size_h,input_size_w,input_size_d,modality,total_num_samples\n1,liver,2,1,256,256,32,MRI,1500\n2,liver,2,1,256,256,32,MRI,1500\n3,gist,3,1,128,128,96,CT,1500\n",
    "config.csv": ",dataset,model,resnet_type,densenet_type,learning_rate,growth_rate,no_max_pool\n1,liver,densenet,,densenet121,0.001,24,\n2,liver,resnet,resnet18,,0.0001,,True\n3,gist,resnet,resnet50,,0.01,,False\n",
    "curve.csv": ",0,1,2,3\n1,50,60,55,55\n2,40,45,50,70\n3,52,52,52,52\n",
    "cost.csv": ",cost\n1,100.5\n2,20\n3,7\n",
    ...over,
  });
}

test("medquicktune: aligns the four CSVs, variant as model, padding trimmed", () => {
  const md = loadMetaDataset(fixture());
  assert.equal(md.format, "medquicktune");
  assert.deepEqual(md.models, ["densenet121", "resnet18", "resnet50"]);
  const [r1, r2, r3] = ["1", "2", "3"].map((id) => md.runs.find((r) => r.id === id)!);
  assert.deepEqual(r1.outcome, { best: 60, final: 55, curve: [50, 60, 55] });
  assert.equal(r1.epochs, 3);
  assert.equal(r1.status, "stopped");
  assert.equal(r2.epochs, 4);
  assert.equal(r2.status, "completed");
  assert.equal(r3.epochs, 1);
  assert.equal(r1.cost.totalSeconds, 100.5);
  assert.deepEqual(r1.hyperparameters, { learning_rate: 0.001, growth_rate: 24, no_max_pool: null });
  assert.equal(r2.hyperparameters.no_max_pool, true);
  const gist = md.datasets.find((d) => d.id === "gist")!;
  assert.equal(gist.modality, "ct");
  assert.equal(gist.metaFeatures.depth, 96);
  assert.equal(gist.metaFeatures.image_size, 128);
  assert.equal(gist.metaFeatures.n_classes, 3);
  assert.deepEqual(md.metric, { name: "auc_x100", direction: "max" });
  assert.ok(md.notes?.some((n) => n.includes("1500")));
  assert.deepEqual(md.searchSpace.hyperparameters.no_max_pool.condition, { parent: "model", values: ["resnet18", "resnet50"] });
});

test("medquicktune: misaligned or non-numeric rows name the file and line", () => {
  const check = (dir: string, ...fragments: string[]) =>
    assert.throws(() => loadMetaDataset(dir), (e: unknown) => {
      assert.ok(e instanceof InputError);
      for (const f of fragments) assert.ok(e.describe().includes(f), `${f} not in ${e.describe()}`);
      return true;
    });
  check(fixture({ "cost.csv": ",cost\n1,100\n2,20\n" }), "index 3 has no row in cost.csv");
  check(fixture({ "curve.csv": ",0,1,2,3\n1,50,60,55,55\n2,40,oops,50,70\n3,52,52,52,52\n" }), "curve.csv:3", '"1"', '"oops" is not a number');
  check(fixture({ "cost.csv": ",cost\n1,100\n2,20\n3,7\n4,1\n" }), "cost.csv", "index 4 has no configuration");
});
