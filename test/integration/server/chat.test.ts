import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import path from "node:path";
import { get, parseSse, post, start, tempDir } from "./helpers.ts";

type Server = Awaited<ReturnType<typeof start>>;

describe("POST /v1/chat (real HTTP, default pack, no LLM)", () => {
  let s: Server;
  before(async () => {
    s = await start();
  });
  after(async () => {
    await s?.stop();
  });

  const say = async (message: string, conversationId?: string) => {
    const r = await post(`${s.url}/v1/chat`, { message, ...(conversationId && { conversationId }) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };

  test("a conversation: recommend, re-rank under a budget, why, compare, importance", async () => {
    const first = await say("recommend for my dataset: 3000 dermoscopy images, 7 classes, 224 px");
    assert.equal(first.intent, "recommend");
    const id = first.conversationId;
    const before = first.recommendation.recommendation;
    assert.match(first.reply, new RegExp(before.model));

    const budget = await say("what if I only have one GPU-hour?", id);
    assert.equal(budget.intent, "budget");
    assert.equal(budget.recommendation.constraints.budgetSeconds, 3600);
    assert.ok(budget.recommendation.recommendation.predicted.seconds <= 3600);
    assert.match(budget.reply, /60 min/);

    const why = await say("why this learning rate?", id);
    assert.equal(why.intent, "why");
    assert.equal(why.data.hyperparameter, "lr");
    assert.match(why.reply, /\[hp:lr\]/);
    assert.match(why.reply, /importance/);

    const cmp = await say("compare EfficientNet-B4 with ViT here", id);
    assert.equal(cmp.intent, "compare");
    assert.deepEqual(cmp.data.compared.map((c: { mention: string }) => c.mention), ["EfficientNet-B4", "ViT"]);
    assert.equal(cmp.data.compared[0].model, "tf_efficientnet_b4_ns");
    assert.match(cmp.data.compared[1].model, /vit/);

    const imp = await say("which hyperparameters matter?", id);
    assert.equal(imp.intent, "importance");
    assert.match(imp.reply, /linear_probing|batch_size|lr/);

    const conv = await get(`${s.url}/v1/chat/${id}`);
    assert.equal(conv.json.messages.length, 10);
    assert.equal(conv.json.card.samples, 3000);
    assert.equal(conv.json.constraints.budgetSeconds, 3600);
  });

  test("asks for what it needs, and 404s an unknown conversation", async () => {
    const r = await say("please recommend something for my photos");
    assert.match(r.reply, /how many training images.*how many classes/);
    const nf = await post(`${s.url}/v1/chat`, { conversationId: "nope", message: "hi" });
    assert.equal(nf.status, 404);
    assert.equal(nf.json.error.code, "conversation_not_found");
    const bad = await post(`${s.url}/v1/chat`, { message: 42 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.path, "body.message");
  });

  test("streams with Server-Sent Events when asked: meta, deltas that add up to the reply, result, done", async () => {
    const res = await fetch(`${s.url}/v1/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ message: "5000 chest images, 3 classes, 256 px, grayscale" }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const events = parseSse(await res.text());
    assert.equal(events[0].event, "meta");
    const deltas = events.filter((e) => e.event === "delta");
    assert.ok(deltas.length > 3);
    const result = JSON.parse(events.find((e) => e.event === "result")!.data);
    assert.equal(deltas.map((d) => JSON.parse(d.data).text).join(""), result.reply);
    assert.equal(result.recommendation.dataset.metaFeatures.n_samples, 5000);
    assert.equal(events.at(-1)!.event, "done");
  });

  test("50 concurrent chat sessions stay separate", async () => {
    const sizes = Array.from({ length: 50 }, (_, i) => 1000 + 100 * i);
    const firsts = await Promise.all(sizes.map((n, i) => say(`${n} images of plants, ${2 + (i % 10)} classes, 128 px`)));
    const seconds = await Promise.all(firsts.map((f) => say("why this learning rate?", f.conversationId)));
    assert.equal(new Set(firsts.map((f) => f.conversationId)).size, 50);
    for (const [i, f] of firsts.entries()) {
      assert.equal(f.recommendation.dataset.metaFeatures.n_samples, sizes[i]);
      assert.equal(seconds[i].intent, "why");
      const conv = (await get(`${s.url}/v1/chat/${f.conversationId}`)).json;
      assert.equal(conv.card.samples, sizes[i]);
      assert.equal(conv.messages.length, 4);
    }
  });

  test("conversations persist across a restart and expire after their TTL", async () => {
    const stateDir = tempDir();
    const a = await start({ stateDir });
    const first = (await post(`${a.url}/v1/chat`, { message: "2000 images, 10 classes, 64 px" })).json;
    await a.stop();
    const b = await start({ stateDir });
    const follow = await post(`${b.url}/v1/chat`, { conversationId: first.conversationId, message: "what if I only have 30 minutes?" });
    assert.equal(follow.status, 200);
    assert.equal(follow.json.intent, "budget");
    assert.equal(follow.json.recommendation.dataset.metaFeatures.n_samples, 2000);
    await b.stop();
    // Age the conversation beyond a 1-hour TTL: it is no longer served, and the start-up sweep deletes it.
    const db = new Database(path.join(stateDir, "state.sqlite"));
    const row = db.prepare("SELECT data FROM conversations WHERE id = ?").get(first.conversationId) as { data: string };
    const c = JSON.parse(row.data);
    c.updatedAt = new Date(Date.now() - 2 * 3600_000).toISOString();
    db.prepare("UPDATE conversations SET data = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(c), c.updatedAt, c.id);
    db.close();
    const d = await start({ stateDir, conversationTtlMs: 3600_000 });
    const gone = await get(`${d.url}/v1/chat/${first.conversationId}`);
    assert.equal(gone.status, 404);
    await d.stop();
  });
});
