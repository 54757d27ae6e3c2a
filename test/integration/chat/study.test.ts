/** The chat's study (ask/tell) on the real default pack, no LLM: results and failures told in words, asks for more. */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { ChatEngine } from "../../../src/chat/engine.ts";
import { newConversation } from "../../../src/chat/conversation.ts";
import { Conversation } from "../../../src/chat/conversation.ts";
import { sharedEngine, TEST_SAMPLES } from "../server/helpers.ts";
import { needsMoreMemory } from "../../../src/study/learn.ts";

let chat: ChatEngine;
before(async () => {
  chat = new ChatEngine(await sharedEngine(), { samples: TEST_SAMPLES });
});

test('"I got 71.2 % with that", "it ran out of memory", "give me three" tell and ask within the conversation', async () => {
  const conv = newConversation("study-1");
  const first = await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  const pick = first.recommendation!.recommendation;

  const told = await chat.reply(conv, "I got 71.2% with that");
  assert.equal(told.intent, "tell", told.reply);
  assert.equal(conv.study!.trials[0].value, 71.2);
  assert.equal(conv.study!.trials[0].candidateId, pick.candidateId);
  const next = (told.data as { suggestions: { candidateId: string; model: string; hyperparameters: Record<string, number> }[] }).suggestions[0];
  assert.notEqual(next.candidateId, pick.candidateId);
  assert.match(told.reply, new RegExp(`Next: ${next.model}`));

  const oom = await chat.reply(conv, "it ran out of memory");
  assert.equal(oom.intent, "failed");
  const failed = conv.study!.trials[1];
  assert.equal(failed.failed, "oom");
  assert.equal(failed.candidateId, next.candidateId);

  const three = await chat.reply(conv, "give me three to run in parallel");
  assert.equal(three.intent, "more");
  const ids = (three.data as { suggestions: { candidateId: string; model: string; hyperparameters: Record<string, number> }[] }).suggestions;
  assert.equal(ids.length, 3);
  for (const s of ids) {
    assert.ok(s.candidateId !== pick.candidateId && s.candidateId !== next.candidateId);
    // The out-of-memory run rules out its model, and the models that need more memory, at its batch size and above.
    if (s.model === next.model || needsMoreMemory(s.model, next.model)) assert.ok(s.hyperparameters.batch_size < next.hyperparameters.batch_size, `${s.model} at batch ${s.hyperparameters.batch_size} after ${next.model} ran out of memory at ${next.hyperparameters.batch_size}`);
  }
  // Named, when the pack has models that need more memory (by the model zoo's sizes).
  const larger = (await sharedEngine()).recommender.pack.space.models.filter((m) => needsMoreMemory(m, next.model));
  assert.match(oom.reply, larger.length ? new RegExp(`ran out of memory — I will not suggest it, or the larger models? \\(${larger.join(", ")}\\), at that batch size or larger`) : /ran out of memory — I will not suggest it at that batch size or larger/);
  // The conversation (with its study) survives the store's validation.
  assert.ok(Conversation.safeParse(JSON.parse(JSON.stringify(conv))).success);
});

test('"it reached 0.83" is read as 83 % and said so; "0.83 %" is taken as stated; "120" is doubted', async () => {
  const conv = newConversation("study-2");
  await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  const fraction = await chat.reply(conv, "it reached 0.83");
  assert.equal(fraction.intent, "tell", fraction.reply);
  assert.equal(conv.study!.trials[0].value, 83);
  assert.match(fraction.reply, /^Noted: 83 with .*\nI read 0\.83 as 83 %: top1_accuracy is in % here \(if the run really scored 0\.83 %, say it with the % sign\)\./);

  const stated = await chat.reply(conv, "I got 0.83 % with that");
  assert.equal(conv.study!.trials[1].value, 0.83);
  assert.doesNotMatch(stated.reply, /I read|Note:/);

  const above = await chat.reply(conv, "scored 120 with that");
  assert.equal(conv.study!.trials[2].value, 120);
  assert.match(above.reply, /Note: 120 is outside every past run: top1_accuracy in the past runs goes from [\d.]+ to 100; check it is the same metric in the same units\./);
});

test('"that was a typo" takes the last result back; the next result told is that run\'s', async () => {
  const conv = newConversation("study-3");
  const first = await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  const pick = first.recommendation!.recommendation;
  await chat.reply(conv, "I got 7.12 with that");
  assert.equal(conv.study!.trials[0].value, 7.12);

  const undo = await chat.reply(conv, "that was a typo");
  assert.equal(undo.intent, "forget", undo.reply);
  assert.equal(undo.reply, `Forgot t1: 7.12 with ${pick.model} (${pick.candidateId}).\nWhat did it score? Say e.g. "I got 71.2 %" and I will record it for ${pick.candidateId}.`);
  assert.equal(conv.study!.trials.length, 0);

  const right = await chat.reply(conv, "I got 71.2 %");
  assert.equal(right.intent, "tell");
  assert.deepEqual(conv.study!.trials.map((t) => [t.id, t.candidateId, t.value]), [["t1", pick.candidateId, 71.2]]);

  // A correction with the right result in the same message; a failure likewise.
  const next = conv.pending![0];
  await chat.reply(conv, "I got 6.4 with that");
  const fixed = await chat.reply(conv, "scratch that, I got 64 %");
  assert.match(fixed.reply, /^Forgot t2: 6\.4 with .*\nNoted: 64 with /);
  assert.deepEqual(conv.study!.trials.map((t) => [t.id, t.candidateId, t.value]), [["t1", pick.candidateId, 71.2], ["t2", next, 64]]);
  const oom = await chat.reply(conv, "undo that, it ran out of memory");
  assert.equal(oom.intent, "forget");
  assert.deepEqual(conv.study!.trials.map((t) => [t.candidateId, t.value, t.failed ?? null]), [[pick.candidateId, 71.2, null], [next, null, "oom"]]);

  const empty = newConversation("study-4");
  await chat.reply(empty, "3000 plant images, 30 classes, 224 px");
  assert.equal((await chat.reply(empty, "that was wrong")).reply, "Nothing has been told yet, so there is nothing to take back.");
});

test('a budget question after 8 results keeps the study and its results; the next suggestions keep to the budget', async () => {
  const conv = newConversation("study-budget");
  await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  for (const v of [71.2, 64, 80.5, 77, 59.1, 82, 68.4, 75]) await chat.reply(conv, `I got ${v} % with that`);
  assert.equal(conv.study!.trials.length, 8);

  const budget = await chat.reply(conv, "what about 1 GPU hour?");
  assert.equal(budget.intent, "budget");
  assert.equal(conv.study!.trials.length, 8);
  assert.equal(conv.study!.request.constraints!.budgetSeconds, 3600);
  assert.match(budget.reply, /\nYour study goes on under this: its 8 results told so far are kept, and the next suggestions follow the new limits\.$/);
  assert.ok(Conversation.safeParse(JSON.parse(JSON.stringify(conv))).success);

  // The next result is the budget's recommendation's, and what follows is within the hour.
  const told = await chat.reply(conv, "I got 70 % with that");
  assert.deepEqual([conv.study!.trials.length, conv.study!.trials[8].candidateId], [9, budget.recommendation!.recommendation.candidateId]);
  const next = (told.data as { suggestions: { predicted: { seconds: number } }[] }).suggestions[0];
  assert.ok(next.predicted.seconds <= 3600, `${next.predicted.seconds}`);
});

test("after three suggestions, a result is told for the run named by id or place; with none named, the chat asks which", async () => {
  const conv = newConversation("study-parallel");
  await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  await chat.reply(conv, "I got 71.2 % with that");
  const three = await chat.reply(conv, "give me three to run in parallel");
  const [a, b, c] = (three.data as { suggestions: { candidateId: string; model: string }[] }).suggestions;
  const last = () => conv.study!.trials.at(-1)!;

  // None named with three awaiting: nothing is recorded, the three are listed.
  const which = await chat.reply(conv, "it ran out of memory");
  assert.equal(conv.study!.trials.length, 1);
  assert.equal(which.reply, `Which run was it? Awaiting a result: ${[a, b, c].map((s) => `${s.candidateId} (${s.model})`).join(", ")}. Name it, e.g. "${a.candidateId} got 71.2 %" or "the second one ran out of memory", and I will record it.`);

  await chat.reply(conv, `${c.candidateId} got 75.5%`);
  assert.deepEqual([last().candidateId, last().value], [c.candidateId, 75.5]);
  const failed = await chat.reply(conv, `${a.candidateId.toLowerCase()} diverged`);
  assert.deepEqual([last().candidateId, last().failed], [a.candidateId, "diverged"]);
  assert.match(failed.reply, new RegExp(`^Noted: ${a.model} \\(${a.candidateId}\\) diverged`));
  await chat.reply(conv, "the second one ran out of memory");
  assert.deepEqual([last().candidateId, last().failed], [b.candidateId, "oom"]);

  // An id never suggested, or a place past the list, is asked about, not guessed.
  const unknown = await chat.reply(conv, "ZZZ-999 got 50 %");
  assert.match(unknown.reply, /^I have not suggested ZZZ-999 in this conversation\. Awaiting a result: /);
  const fifth = await chat.reply(conv, "the fifth one got 50 %");
  assert.match(fifth.reply, new RegExp(`^The last suggestions have no #5: ${a.candidateId} \\(`));
  assert.equal(conv.study!.trials.length, 4);
});

test("a result told before any dataset says how to get to one; the recommendation says to tell results here", async () => {
  const conv = newConversation("study-early");
  for (const m of ["I got 70%", "it ran out of memory"]) {
    const r = await chat.reply(conv, m);
    assert.match(r.reply, /^I can record a result once I have recommended a configuration: describe your dataset first \(e\.g\. "3,000 plant images, 30 classes, 224 px"\), then tell me here how each suggestion went/, m);
  }
  assert.equal(conv.study, undefined);
  // 224 px is outside the pack's past datasets: the answer says what to do, in this conversation.
  const rec = await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  assert.doesNotMatch(rec.reply, /hporec study new/);
  assert.match(rec.reply, /run the alternatives too, and tell me each result here \("I got 71\.2 %", "it ran out of memory"\)/);
});

test("help says how to tell a result and ask for the next", async () => {
  const r = await chat.reply(newConversation("study-help"), "hello");
  assert.equal(r.intent, "help");
  assert.match(r.reply, /tell me how it went \("I got 71\.2 %", "it ran out of memory"\)/);
  // The phrases the help gives are the ones the chat understands.
  const conv = newConversation("study-help-2");
  await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  assert.equal((await chat.reply(conv, "I got 71.2 %")).intent, "tell");
  assert.equal((await chat.reply(conv, "it ran out of memory")).intent, "failed");
  assert.equal((await chat.reply(conv, "give me three to run in parallel")).intent, "more");
});

test("after \"give me three\" and one result, the next suggestion is none of the two still running; \"two more\" keeps them out too", async () => {
  const conv = newConversation("study-running");
  await chat.reply(conv, "3000 plant images, 30 classes, 224 px");
  const three = await chat.reply(conv, "give me three to run in parallel");
  const [a, b, c] = (three.data as { suggestions: { candidateId: string; model: string }[] }).suggestions;
  const told = await chat.reply(conv, `${a.candidateId} got 70 %`);
  const next = (told.data as { suggestions: { candidateId: string }[] }).suggestions[0].candidateId;
  assert.ok(![a, b, c].some((s) => s.candidateId === next), next);
  assert.match(told.reply, new RegExp(`\\nStill running, so not suggested again: ${b.candidateId} \\(${b.model}\\), ${c.candidateId} \\(${c.model}\\)\\.`));
  assert.deepEqual(conv.pending, [b.candidateId, c.candidateId, next]);

  const more = await chat.reply(conv, "give me two more");
  const ids = (more.data as { suggestions: { candidateId: string }[] }).suggestions.map((s) => s.candidateId);
  assert.equal(ids.length, 2);
  assert.ok(!ids.includes(b.candidateId) && !ids.includes(c.candidateId), ids.join(","));
  assert.deepEqual(conv.pending, [b.candidateId, c.candidateId, ...ids]);

  // A result taken back and told again: what is still running stays out of the next suggestion.
  await chat.reply(conv, `${ids[0]} got 70 %`);
  await chat.reply(conv, "that was wrong");
  const retold = await chat.reply(conv, "I got 72 %");
  assert.equal(conv.study!.trials.at(-1)!.candidateId, ids[0]);
  const after = (retold.data as { suggestions: { candidateId: string }[] }).suggestions[0].candidateId;
  assert.ok(![b.candidateId, c.candidateId, ids[1]].includes(after), after);
});
