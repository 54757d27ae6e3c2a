/** The chat's study (ask/tell) on the real default pack, no LLM: results and failures told in words, asks for more. */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { ChatEngine } from "../../../src/chat/engine.ts";
import { newConversation } from "../../../src/chat/conversation.ts";
import { Conversation } from "../../../src/chat/conversation.ts";
import { sharedEngine, TEST_SAMPLES } from "../server/helpers.ts";

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
    if (s.model === next.model) assert.ok(s.hyperparameters.batch_size < next.hyperparameters.batch_size);
  }
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
