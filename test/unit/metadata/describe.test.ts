import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { describeDataset } from "../../../src/metadata/describe/index.ts";
import { cardToMetaFeatures, parseCard } from "../../../src/metadata/card.ts";
import { KNOWN_DOMAINS } from "../../../src/metadata/domains.ts";
import { InputError } from "../../../src/util/errors.ts";
import { jpeg, png } from "./images.ts";
import { tempDir, writeFiles } from "./fixtures.ts";

function throwsInput(fn: () => unknown, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    for (const f of fragments) assert.ok(e.describe().includes(f), `${JSON.stringify(f)} not in:\n${e.describe()}`);
    return true;
  });
}

test("image folder: class counts, imbalance, entropy and sizes from headers", () => {
  const dir = writeFiles(tempDir(), {
    "cats/1.png": png(40, 30),
    "cats/2.png": png(40, 30),
    "cats/3.jpg": jpeg(100, 50),
    "cats/notes.txt": "not an image",
    "dogs/a.jpeg": jpeg(60, 80, 3, 70000), // SOF beyond the first 64 KB prefix read
    ".hidden/x.png": png(1, 1),
  });
  const d = describeDataset(dir);
  assert.equal(d.kind, "image-folder");
  assert.deepEqual(d.classCounts, { cats: 3, dogs: 1 });
  const m = d.metaFeatures;
  assert.equal(m.n_samples, 4);
  assert.equal(m.n_classes, 2);
  assert.equal(m.imbalance_ratio, 3);
  // normalised entropy of (3/4, 1/4): -(0.75 ln 0.75 + 0.25 ln 0.25) / ln 2
  assert.ok(Math.abs(m.class_entropy - 0.8112781244591328) < 1e-12);
  assert.equal(m.min_class_size, 1);
  assert.equal(m.max_class_size, 3);
  assert.equal(m.mean_class_size, 2);
  assert.equal(m.channels, 3);
  assert.deepEqual(d.images?.width, { mean: (40 + 40 + 100 + 60) / 4, min: 40, max: 100 });
  assert.deepEqual(d.images?.height, { mean: (30 + 30 + 50 + 80) / 4, min: 30, max: 80 });
  const sides = [Math.sqrt(1200), Math.sqrt(1200), Math.sqrt(5000), Math.sqrt(4800)];
  assert.ok(Math.abs(m.image_size - sides.reduce((a, b) => a + b) / 4) < 1e-9);
});

test("image folder: sampling cap, grey channels, and folder errors", () => {
  const dir = writeFiles(tempDir(), {
    "a/1.png": png(10, 10, 0),
    "a/2.png": png(500, 500, 0),
    "b/1.png": png(10, 10, 0),
    "b/2.png": png(500, 500, 0),
  });
  const d = describeDataset(dir, { maxImagesPerClass: 1 });
  assert.equal(d.images?.sampled, 2);
  assert.equal(d.images?.width.max, 10); // only the first image (name order) per class was read
  assert.equal(d.metaFeatures.channels, 1);
  assert.equal(d.metaFeatures.n_samples, 4); // counts still cover every file

  throwsInput(() => describeDataset(path.join(tempDir(), "nope")), "not found");
  throwsInput(() => describeDataset(tempDir()), "the folder is empty", "one sub-folder per class");
  throwsInput(() => describeDataset(writeFiles(tempDir(), { "x.png": png(2, 2) })), "no class sub-folders");
  throwsInput(() => describeDataset(writeFiles(tempDir(), { "a/x.png": png(2, 2), "b/readme.txt": "" })), 'class folder "b" has no images');
});

test("csv: samples, classes, counts and features with a label column", () => {
  const dir = writeFiles(tempDir(), { "d.csv": "x1,x2,target,x3\n1,2,yes,3\n1,2,no,3\n1,2,yes,3\n" });
  const byFlag = describeDataset(path.join(dir, "d.csv"), { label: "target" });
  assert.deepEqual(byFlag.classCounts, { yes: 2, no: 1 });
  assert.equal(byFlag.metaFeatures.n_samples, 3);
  assert.equal(byFlag.metaFeatures.n_features, 3);
  assert.equal(byFlag.metaFeatures.imbalance_ratio, 2);
  assert.equal(byFlag.modality, "tabular");
  // No "label" column: the last one is used (x3 here, a constant, so not a label).
  throwsInput(() => describeDataset(path.join(dir, "d.csv")), 'label column "x3" has a single value', "--label");
  writeFiles(dir, { "e.csv": "a,label,b\n1,p,2\n3,q,4\n" });
  assert.deepEqual(describeDataset(path.join(dir, "e.csv")).classCounts, { p: 1, q: 1 });
  throwsInput(() => describeDataset(path.join(dir, "d.csv"), { label: "y" }), 'no column "y"', "x1, x2, target, x3");
});

test("card: meta-features, and clear messages for bad fields", () => {
  const card = parseCard({ samples: 1000, classes: 4, imageSize: 128, channels: 3, domain: "Remote Sensing", classCounts: [400, 300, 200, 100] });
  assert.equal(card.domain, "remote_sensing");
  const m = cardToMetaFeatures(card);
  assert.equal(m.samples_per_class, 250);
  assert.equal(m.log_n_samples, 3);
  assert.equal(m.imbalance_ratio, 4);
  assert.ok(KNOWN_DOMAINS.includes("medical"));

  throwsInput(() => parseCard({ samples: -5, classes: 3, imageSize: 64, channels: 3 }), "samples", "-5", "at least 1");
  throwsInput(() => parseCard({ samples: 10, classes: 0, imageSize: 64, channels: 3 }), "classes", "0", "at least 2");
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, domain: "remote_sensin" }), "domain", 'did you mean "remote_sensing"');
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, domain: "cooking" }), "unknown domain", "use one of: human_actions");
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, domain: "plant" }), 'did you mean "plants"');
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, domain: "remote" }), 'did you mean "remote_sensing"');
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, modality: "MRl" }), 'unknown modality "MRl"; did you mean "mri"');
  throwsInput(() => parseCard({ samples: 10, classes: 2 }), "imageSize", "required for image data");
  throwsInput(() => parseCard({ samples: 10, classes: 2, imageSize: 64, channels: 3, clases: 3 }), "allowed fields: name, samples, classes, imageSize, channels, depth, domain, modality, classCounts");
  // A misspelt required field is named (with the field meant), not reported as the field missing.
  throwsInput(() => parseCard({ samples: 10, clases: 2, imageSize: 64, channels: 3 }), 'Unrecognized key: "clases"; did you mean "classes"?');
  throwsInput(() => parseCard({ samples: 10, classes: 2, image_size: 64, channels: 3 }), 'did you mean "imageSize"?');
  throwsInput(() => parseCard(null), "the card is empty", "samples: 3000");
  assert.doesNotThrow(() => parseCard({ samples: 10, classes: 2, modality: "tabular" }));

  const dir = writeFiles(tempDir(), { "card.yaml": "name: leaves\nsamples: 900\nclasses: 3\nimageSize: 256\nchannels: 3\ndomain: plant_diseases\n" });
  const d = describeDataset(path.join(dir, "card.yaml"));
  assert.equal(d.name, "leaves");
  assert.equal(d.domain, "plant_diseases");
  assert.equal(d.metaFeatures.samples_per_class, 300);
  writeFiles(dir, { "bad.json": '{"samples": "many", "classes": 3}' });
  throwsInput(() => describeDataset(path.join(dir, "bad.json")), "bad.json: samples", '"many"');
});
