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
