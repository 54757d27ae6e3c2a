/** Chat turns that lost track of the conversation, replayed on the real default pack (no LLM). */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { ChatEngine } from "../../../src/chat/engine.ts";
import { newConversation } from "../../../src/chat/conversation.ts";
import { sharedEngine, TEST_SAMPLES } from "../server/helpers.ts";

describe("chat: corrections, reasons, objectives", () => {
  let chat: ChatEngine;
  before(async () => {
    chat = new ChatEngine(await sharedEngine(), { samples: TEST_SAMPLES });
  });

  test("a correction keeps what it does not correct (image size, domain)", async () => {
    const conv = newConversation("c1");
    await chat.reply(conv, "3000 dermoscopy images, 7 classes, 512 px");
    const r = await chat.reply(conv, "actually 50,000 images and 100 classes");
    const mf = r.recommendation!.dataset;
    assert.deepEqual([mf.metaFeatures.n_samples, mf.metaFeatures.n_classes, mf.metaFeatures.image_size, mf.domain], [50000, 100, 512, "medical"]);
  });

  test("each warning is said once, whoever states it (the written answer, or the chat after it)", async () => {
    const r = await chat.reply(newConversation("c-warn"), "2000 x-ray images, 3 classes, 256 px grayscale");
    const warnings = r.recommendation!.warnings;
    assert.ok(warnings.length >= 3, warnings.join("; "));
    for (const w of warnings) assert.equal(r.reply.split(w).length - 1, 1, `said ${r.reply.split(w).length - 1} times: ${w}`);
  });

  test('"why that model?" after a budget change gives the budget as the reason', async () => {
    const conv = newConversation("c2");
    await chat.reply(conv, "3000 dermoscopy images, 7 classes, 224 px");
    await chat.reply(conv, "what if I only have 10 minutes?");
    const r = await chat.reply(conv, "why that model?");
    assert.match(r.reply, /budget of 10 min/, r.reply);
  });

  test('"optimise for cost" re-ranks by cost, it is not a request for help', async () => {
    const conv = newConversation("c3");
    await chat.reply(conv, "3000 dermoscopy images, 7 classes, 224 px");
    const r = await chat.reply(conv, "optimise for cost");
    assert.notEqual(r.intent, "help", r.reply);
    assert.equal(r.recommendation?.objective, "cost");
  });
});
