import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDatasetRequest } from "../../../src/llm/extract/parse-request.ts";

type Expected = Record<string, unknown>;

// Each row: a phrasing and the fields it must yield (card fields and constraints, flattened); fields not listed
// must be absent, so a parser that invents values fails too.
const TABLE: Array<[string, Expected]> = [
  ["I have about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours", { samples: 3000, classes: 7, imageSize: 224, domain: "medical", modality: "image", budgetSeconds: 7200 }],
  ["3k satellite photos, 10 land-use classes, 64x64 RGB, budget 30 min", { samples: 3000, classes: 10, imageSize: 64, channels: 3, domain: "remote_sensing", modality: "image", budgetSeconds: 1800 }],
  ["1.2M images of cars, 196 categories, 256 pixels", { samples: 1200000, classes: 196, imageSize: 256, domain: "vehicles", modality: "image" }],
  ["A dataset of 12,000 grayscale microscopy images of cells with 4 classes", { samples: 12000, classes: 4, channels: 1, domain: "microscopy", modality: "image" }],
  ["leaf disease photos: 5000 images, 38 classes, 128 px, one hour on a GPU", { samples: 5000, classes: 38, imageSize: 128, domain: "plant_diseases", modality: "image", budgetSeconds: 3600 }],
  ["Chest X-rays, 20k scans, binary (pneumonia vs normal), 512x512", { samples: 20000, classes: 2, imageSize: 512, channels: 1, domain: "medical", modality: "xray" }],
  ["brain MRI volumes: 400 cases, 3 tumour grades, 128x128x64", { samples: 400, classes: 3, imageSize: 128, depth: 64, channels: 1, domain: "medical", modality: "mri" }],
  ["about two thousand bird photos across 200 species, colour, 224x224", { samples: 2000, classes: 200, imageSize: 224, channels: 3, domain: "large_animals", modality: "image" }],
  ["We have 800 aerial images, 6 classes, resolution 256, and 45 minutes of compute", { samples: 800, classes: 6, imageSize: 256, domain: "remote_sensing", modality: "image", budgetSeconds: 2700 }],
  ["seven classes of insects, 1,500 pictures, 96px", { samples: 1500, classes: 7, imageSize: 96, domain: "small_animals", modality: "image" }],
  ["10 000 texture images with 47 categories at 300 px; budget: 3 hours", { samples: 10000, classes: 47, imageSize: 300, domain: "manufacturing", modality: "image", budgetSeconds: 10800 }],
  ["Histopathology slides, 50k patches, 9 tissue types, 224 px RGB, 1.5h", { samples: 50000, classes: 9, imageSize: 224, channels: 3, domain: "medical", modality: "image", budgetSeconds: 5400 }],
  ["flowers: 102 classes, 8,189 images, 500x500", { samples: 8189, classes: 102, imageSize: 500, domain: "plants", modality: "image" }],
  ["3 classes with 1000 images per class, 128 px", { samples: 3000, classes: 3, imageSize: 128, modality: "image" }],
  ["sports actions, 40 classes, 9.5k frames, 224 px, within 2 h 30 min", { samples: 9500, classes: 40, imageSize: 224, domain: "human_actions", modality: "image", budgetSeconds: 9000 }],
  ["n = 600, classes: 5, image size 32, greyscale", { samples: 600, classes: 5, imageSize: 32, channels: 1, modality: "image" }],
  ["ultrasound images, 780 of them in 3 classes, 256 pixels", { classes: 3, imageSize: 256, channels: 1, domain: "medical", modality: "ultrasound" }],
  ["I only have 20 minutes. 4,000 plankton images, 10 classes, 64 px grayscale", { samples: 4000, classes: 10, imageSize: 64, channels: 1, domain: "small_animals", modality: "image", budgetSeconds: 1200 }],
  ["boats and ships: 26 classes, 2.5k photos, 256x256, batch size must be 32", { samples: 2500, classes: 26, imageSize: 256, domain: "vehicles", modality: "image", fixed: { batch_size: 32 } }],
  ["1,000 fungi pictures, 20 species, 224 px, learning rate 1e-3", { samples: 1000, classes: 20, imageSize: 224, domain: "plants", modality: "image", fixed: { lr: 0.001 } }],
  ["5k images, 10 classes, 224 px, only ResNets, no ViTs", { samples: 5000, classes: 10, imageSize: 224, modality: "image", allowModels: ["resnet"], denyModels: ["vit"] }],
  ["dermatology: 10015 skin lesion images, 7 classes, 450x600 RGB, use AdamW", { samples: 10015, classes: 7, imageSize: 525, channels: 3, domain: "medical", modality: "image", fixed: { opt: "adamw" } }],
  ["CT scans of the lung: 1,200 volumes, 2 classes, 96x96x32, 1 day of GPU time", { samples: 1200, classes: 2, imageSize: 96, depth: 32, channels: 1, domain: "medical", modality: "ct", budgetSeconds: 86400 }],
  ["handwritten characters, 62 classes, 28x28 grayscale, 70k samples", { samples: 70000, classes: 62, imageSize: 28, channels: 1, domain: "ocr", modality: "image" }],
  ["a collection of 250 wildlife images, 5 animal classes, 1024 px", { samples: 250, classes: 5, imageSize: 1024, domain: "large_animals", modality: "image" }],
  ["fabric defect images: 3 000 samples, 6 defect types, 200 px, weight decay 0.05", { samples: 3000, classes: 6, imageSize: 200, domain: "manufacturing", modality: "image", fixed: { weight_decay: 0.05 } }],
  ["multispectral drone tiles, 13 bands, 27,000 tiles, 10 classes, 64 px", { samples: 27000, classes: 10, imageSize: 64, channels: 13, domain: "remote_sensing", modality: "image" }],
  ["fundus photographs (retina), 3,662 images, 5 grades, 512 px, 90 minutes", { samples: 3662, classes: 5, imageSize: 512, domain: "medical", modality: "image", budgetSeconds: 5400 }],
  ["dataset of ~15k plant images, 100 classes, 300px, don't use efficientnet", { samples: 15000, classes: 100, imageSize: 300, domain: "plants", modality: "image", denyModels: ["efficientnet"] }],
  ["4 classes, 2,400 images, 32 px black and white, half an hour, batch size 64 and learning rate 0.01", { samples: 2400, classes: 4, imageSize: 32, channels: 1, modality: "image", budgetSeconds: 1800, fixed: { batch_size: 64, lr: 0.01 } }],
  ["protozoa microscopy: 900 images in 12 categories, 128x128, 3 channels", { samples: 900, classes: 12, imageSize: 128, channels: 3, domain: "microscopy", modality: "image" }],
  ["around 50 thousand pictures of traffic with 43 classes, 48 px, 2 GPU hours", { samples: 50000, classes: 43, imageSize: 48, domain: "vehicles", modality: "image", budgetSeconds: 7200 }],
  ["tabular data, 12,000 rows, 3 classes", { samples: 12000, classes: 3, modality: "tabular" }],
  ["a 10-class problem with 6k images at 160 px, 1h30 budget", { samples: 6000, classes: 10, imageSize: 160, modality: "image", budgetSeconds: 5400 }],
];

function flatten(r: ReturnType<typeof parseDatasetRequest>): Expected {
  return { ...r.card, ...r.constraints };
}

test(`the deterministic parser reads ${TABLE.length} phrasings`, () => {
  const failures: string[] = [];
  for (const [text, expected] of TABLE) {
    const got = flatten(parseDatasetRequest(text));
    try {
      assert.deepEqual(got, expected);
    } catch {
      failures.push(`${text}\n  expected ${JSON.stringify(expected)}\n  got      ${JSON.stringify(got)}`);
    }
  }
  assert.ok(TABLE.length >= 30);
  assert.equal(failures.length, 0, failures.join("\n"));
});

test("model mentions map onto the pack's names when they are known", () => {
  const known = ["resnet18", "resnet50", "vit_base_patch16_224", "convnext_tiny"];
  const r = parseDatasetRequest("only use ResNets, not vit_base_patch16_224", { knownModels: known });
  assert.deepEqual(r.constraints.allowModels, ["resnet18", "resnet50"]);
  assert.deepEqual(r.constraints.denyModels, ["vit_base_patch16_224"]);
});

test("missing lists the card fields still needed", () => {
  assert.deepEqual(parseDatasetRequest("satellite images, 2 hours").missing, ["samples", "classes", "imageSize", "channels"]);
  assert.deepEqual(parseDatasetRequest("tabular data, 500 rows, 2 classes").missing, []);
  assert.deepEqual(parseDatasetRequest("500 images, 2 classes, 64 px RGB").missing, []);
});

test("X-ray phrasings: the hyphenated x is a word, not the 'x' of 224 x 224", () => {
  const a = parseDatasetRequest("3,000 chest X-ray images in 2 classes");
  assert.deepEqual([a.card.samples, a.card.classes, a.card.modality, a.card.domain], [3000, 2, "xray", "medical"]);
  const b = parseDatasetRequest("3,000 x-ray images, 2 classes, 512 px");
  assert.deepEqual([b.card.samples, b.card.classes, b.card.imageSize], [3000, 2, 512]);
  assert.equal(parseDatasetRequest("3000 xray images, 2 classes").card.samples, 3000);
  assert.equal(parseDatasetRequest("images of 224 x 224 px").card.imageSize, 224, "224 x 224 stays a size");
});

test("the objective, when the words give one", () => {
  assert.equal(parseDatasetRequest("optimise for cost").objective, "cost");
  assert.equal(parseDatasetRequest("please optimize for training time").objective, "cost");
  assert.equal(parseDatasetRequest("a balanced trade-off please").objective, "balanced");
  assert.equal(parseDatasetRequest("3000 images, 7 classes").objective, undefined);
});

test("'balanced classes' describe the data, not the objective", () => {
  assert.equal(parseDatasetRequest("3000 images, 7 balanced classes").objective, undefined);
  assert.equal(parseDatasetRequest("balance training time and accuracy").objective, "balanced");
});
