import assert from "node:assert/strict";
import { test } from "node:test";
import { extractClaims } from "../../../src/judge/claims/extract.ts";

/** A pack whose hyperparameters include everyday words ("replace", "act") with word values. */
const vocab = {
  models: ["ranger"],
  datasetIds: [],
  hyperparameters: {
    replace: { type: "bool" as const },
    act: { type: "categorical" as const, values: ["relu", "gelu"] },
    mtry: { type: "int" as const, low: 1, high: 20, log: false },
  },
  metricName: "accuracy",
};
const configs = [{ candidateId: "s1", model: "ranger" }];
const wordClaims = (text: string) =>
  extractClaims(text, vocab, configs)
    .claims.flatMap((c) => (c.kind === "hyperparameter" && typeof c.value !== "number" ? [[c.name, c.value]] : []))
    .sort();

test("an everyday-word hyperparameter with a word value is a claim when the sentence cites it, as numbers are", () => {
  // Found by the judge corpus: "replace true [hp:replace]" on an answer whose replace is false got through.
  assert.deepEqual(wordClaims("Use mtry 6 [hp:mtry] and replace true [hp:replace]."), [["replace", true]]);
  assert.deepEqual(wordClaims("Use act gelu [hp:act]."), [["act", "gelu"]]);
  // Cited and bound: the binding word is not taken for the value.
  assert.deepEqual(wordClaims("It relies on mtry = 6 [hp:mtry], replace of true [hp:replace]."), [["replace", true]]);
  // Bound by a word, as before, with or without a citation.
  assert.deepEqual(wordClaims("Set replace = false."), [["replace", false]]);
});

test("without a citation or a binding, an everyday word stays prose", () => {
  assert.deepEqual(wordClaims("We replace true labels with smoothed ones; act gelu is not a claim here."), []);
  // Cited, but followed by no value it could hold: nothing.
  assert.deepEqual(wordClaims("Consider whether to replace the sampling [hp:replace]."), []);
});
