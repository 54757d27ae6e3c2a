import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeStudy } from "../../../src/study/merge.ts";
import { newStudy, recordAsked, tell, forget } from "../../../src/study/study.ts";

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const asked = [
  { candidateId: "s1", model: "m1", hyperparameters: { lr: 0.001 } },
  { candidateId: "s2", model: "m1", hyperparameters: { lr: 0.01 } },
  { candidateId: "s3", model: "m2", hyperparameters: { lr: 0.1 } },
];
const base = tell(recordAsked(newStudy("c1", { pack: "p", direction: "max" }, { dataset: { metaFeatures: { n_samples: 1000, n_classes: 5 } } }, at(0)), asked), { config: "s1", value: 70 }, "t", undefined, at(1)).study;
const rows = (s: typeof base) => s.trials.map((t) => [t.id, t.candidateId, t.value]);

test("what a turn told and what was told meanwhile are both kept; an id taken meanwhile moves to the next free one", () => {
  const mine = tell(recordAsked(base, [{ candidateId: "s4", model: "m2", hyperparameters: { lr: 1 } }]), { config: "s2", value: 60 }, "t", undefined, at(2)).study;
  const theirs = tell(base, { config: "s3", value: 80 }, "t", undefined, at(3)).study;
  const merged = mergeStudy(base, mine, theirs);
  assert.deepEqual(rows(merged), [["t1", "s1", 70], ["t2", "s3", 80], ["t3", "s2", 60]]);
  assert.deepEqual(merged.asked.map((a) => a.candidateId), ["s1", "s2", "s3", "s4"]);
  // Merged again (a retried write), nothing is counted twice.
  assert.deepEqual(rows(mergeStudy(base, mine, merged)), rows(merged));
});

test("a result the turn took back is removed, one told again under its id is the new one; another study under the id is replaced", () => {
  const retold = tell(forget(base, "t1").study, { config: "s1", value: 71 }, "t", undefined, at(4)).study;
  const theirs = tell(base, { trialId: "run-x", config: "s2", value: 50 }, "t", undefined, at(5)).study;
  assert.deepEqual(rows(mergeStudy(base, retold, theirs)), [["run-x", "s2", 50], ["t1", "s1", 71]]);
  const fresh = newStudy("c1", { pack: "p", direction: "max" }, { dataset: { metaFeatures: { n_samples: 50, n_classes: 2 } } }, at(9));
  assert.equal(mergeStudy(undefined, fresh, theirs), fresh);
});
