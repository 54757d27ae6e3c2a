import { test } from "node:test";
import assert from "node:assert/strict";
import { askedCount, detectIntent, namedRun, reportedAsPercent, reportedFailure, reportedValue, retracted } from "../../../src/chat/intents.ts";
import { parseDatasetRequest } from "../../../src/llm/extract/parse-request.ts";

const intent = (m: string, hasRec = true) => detectIntent(m, parseDatasetRequest(m, { knownModels: ["beit_base_patch16_384"] }), hasRec);

test("results, failures and asks for more are read from words", () => {
  assert.equal(reportedValue("I got 71.2% with that"), 71.2);
  assert.equal(reportedValue("it reached 0.83 on validation"), 0.83);
  assert.equal(reportedValue("thanks"), undefined);
  // The % sign is read with the value it follows, not elsewhere in the message.
  assert.equal(reportedAsPercent("I got 71.2% with that"), true);
  assert.equal(reportedAsPercent("it reached 0.83 on 50% of the data"), false);
  assert.equal(reportedFailure("it ran out of memory"), "oom");
  assert.equal(reportedFailure("CUDA OOM at step 3"), "oom");
  assert.equal(reportedFailure("the loss went to NaN"), "diverged");
  assert.equal(reportedFailure("it worked"), undefined);
  assert.equal(askedCount("give me three to run in parallel"), 3);
  assert.equal(askedCount("2 more please"), 2);
  assert.equal(askedCount("what next?"), 1);
  assert.equal(askedCount("why this learning rate?"), undefined);
});

test("a result is a result even before a recommendation (the answer says how to get one); a new dataset stays a recommendation", () => {
  assert.equal(intent("I got 71.2% with that"), "tell");
  assert.equal(intent("it ran out of memory"), "failed");
  assert.equal(intent("give me three to run in parallel"), "more");
  assert.equal(intent("I got 71.2% with that", false), "tell");
  assert.equal(intent("it ran out of memory", false), "failed");
  assert.equal(intent("my last model ran out of memory on 5000 images in 10 classes", false), "recommend");
  assert.equal(intent("I got 5000 images in 10 classes"), "recommend");
  assert.equal(intent("why this learning rate?"), "why");
});

test("a correction takes the last result back, alone or with the right one; other uses of the words do not", () => {
  for (const m of ["that was wrong", "sorry, that was a typo", "I mistyped", "scratch that, I got 71.2 %", "undo the last result", "forget it, it ran out of memory"]) {
    assert.ok(retracted(m), m);
    assert.equal(intent(m), "forget", m);
  }
  assert.equal(intent("that was wrong", false), "help", "nothing to take back before a recommendation");
  for (const m of ["forget the budget, I have 4 GPU-hours", "why was that chosen?", "I got 71.2% with that"]) assert.ok(!retracted(m), m);
});

test("the run a result names: a suggestion id (not one it prefixes), an unknown id, or a place in the last list", () => {
  const ids = ["APL-36", "FNG-3", "FNG-30", "PRT-20", "ACT_410-4"];
  assert.deepEqual(namedRun("PRT-20 got 75.5%", ids), { id: "PRT-20" });
  assert.deepEqual(namedRun("FNG-3 diverged", ids), { id: "FNG-3" });
  assert.deepEqual(namedRun("fng-30 ran out of memory.", ids), { id: "FNG-30" });
  assert.deepEqual(namedRun("ACT_410-4 reached 0.8", ids), { id: "ACT_410-4" });
  assert.deepEqual(namedRun("FNG-4 diverged", ids), { unknown: "FNG-4" });
  assert.deepEqual(namedRun("the second one ran out of memory", ids), { place: 2 });
  assert.deepEqual(namedRun("the 3rd run got 70 %", ids), { place: 3 });
  assert.deepEqual(namedRun("the last one diverged", ids), { place: "last" });
  assert.equal(namedRun("it ran out of memory in the first epoch", ids), undefined);
  assert.equal(namedRun("I got 71.2 % on top-1", ids), undefined);
});
