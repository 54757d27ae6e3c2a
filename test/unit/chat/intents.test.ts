import { test } from "node:test";
import assert from "node:assert/strict";
import { comparedModels, detectIntent, mentionedHyperparameter } from "../../../src/chat/intents.ts";
import { parseDatasetRequest } from "../../../src/llm/extract/parse-request.ts";
import { chunks } from "../../../src/server/sse.ts";

const MODELS = ["tf_efficientnet_b4_ns", "tf_efficientnet_b6_ns", "mobilevit_xs", "mobilevitv2_075", "beit_base_patch16_384", "convnext_small_384_in22ft1k"];
const intent = (m: string, hasRec = true) => detectIntent(m, parseDatasetRequest(m, { knownModels: MODELS }), hasRec);

test("intents of the issue's example messages", () => {
  assert.equal(intent("recommend for my dataset", false), "recommend");
  assert.equal(intent("3000 dermoscopy images, 7 classes, 224 px", false), "recommend");
  assert.equal(intent("what if I only have one GPU-hour?"), "budget");
  assert.equal(intent("what if I only have one GPU-hour?", false), "recommend");
  assert.equal(intent("why this learning rate?"), "why");
  assert.equal(intent("compare EfficientNet-B4 with ViT here"), "compare");
  assert.equal(intent("which hyperparameters matter?"), "importance");
  assert.equal(intent("hello there"), "help");
});

test("hyperparameter mentions map onto the space's names", () => {
  const names = ["lr", "batch_size", "weight_decay", "opt", "sched", "warmup_epochs"];
  assert.equal(mentionedHyperparameter("why this learning rate?", names), "lr");
  assert.equal(mentionedHyperparameter("why a batch size of 64", names), "batch_size");
  assert.equal(mentionedHyperparameter("why warmup epochs = 5?", names), "warmup_epochs");
  assert.equal(mentionedHyperparameter("why this optimizer", names), "opt");
  assert.equal(mentionedHyperparameter("why this model?", names), "model");
  assert.equal(mentionedHyperparameter("why?", names), undefined);
});

test("compared models: exact names, families, and unknown mentions", () => {
  assert.deepEqual(comparedModels("compare EfficientNet-B4 with ViT here", MODELS), [
    { mention: "EfficientNet-B4", models: ["tf_efficientnet_b4_ns"] },
    { mention: "ViT", models: ["mobilevit_xs", "mobilevitv2_075"] },
  ]);
  assert.deepEqual(comparedModels("compare beit vs convnext", MODELS).map((m) => m.models), [["beit_base_patch16_384"], ["convnext_small_384_in22ft1k"]]);
  assert.deepEqual(comparedModels("compare resnet50 and EfficientNet", MODELS).map((m) => m.models), [[], ["tf_efficientnet_b4_ns", "tf_efficientnet_b6_ns"]]);
});

test("SSE chunks re-join to the exact text, newlines included", () => {
  const text = "I recommend x.\nWhy: because  of y and z, which is long enough to split.\n";
  const parts = chunks(text, 10);
  assert.ok(parts.length > 3);
  assert.equal(parts.join(""), text);
});
