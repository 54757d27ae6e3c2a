/**
 * What the stateless OpenAI-compatible endpoint pays for replaying a study's history: a completion whose history
 * holds n turns of a study ("I got 71.2 % with that", …) against the same turn through /v1/chat, which keeps the
 * conversation (same server, same run, so the ratio holds whatever the machine's load). Real HTTP on loopback;
 * the server in this process, with the default pack and 2,000 candidates per recommendation, as `hporec serve`.
 *
 *   node --import tsx scripts/bench-chat-replay.ts [--turns 5,20,50,100] [--calls 5] [--json]
 */
import { parseArgs } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { loadEngine } from "../src/recommend/engine.ts";
import { startServer } from "../src/server/server.ts";
import { createRng } from "../src/util/random.ts";

const { values } = parseArgs({ options: { turns: { type: "string", default: "5,20,50,100" }, calls: { type: "string", default: "5" }, json: { type: "boolean", default: false } } });
const turns = values.turns.split(",").map(Number);
const calls = Number(values.calls);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const stateDir = mkdtempSync(path.join(os.tmpdir(), "hporec-bench-replay-"));
const server = await startServer({ engine: loadEngine(), options: { stateDir, samples: 2000, logger: pino({ level: "silent" }) } }, { host: "127.0.0.1", port: 0 });
await server.hporec.ready;
const post = async (route: string, body: unknown) => {
  const t0 = performance.now();
  const res = await fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return { json: (await res.json()) as { conversationId: string; reply: string }, ms: performance.now() - t0 };
};

const rng = createRng(3);
const rows: Array<{ turns: number; chatMs: number; completionMs: number; ratio: number }> = [];
for (const n of turns) {
  const messages = ["3000 plant images, 30 classes, 224 px", ...Array.from({ length: n - 1 }, () => `I got ${(50 + 40 * rng.next()).toFixed(1)} % with that`)];
  const chat: number[] = [];
  const completion: number[] = [];
  for (let c = 0; c < calls; c++) {
    // The stateful conversation up to its last turn, then that turn timed; the completion sends the whole history.
    let conversationId: string | undefined;
    const history: Array<{ role: string; content: string }> = [];
    for (const [i, message] of messages.entries()) {
      const r = await post("/v1/chat", { message, ...(conversationId && { conversationId }) });
      conversationId = r.json.conversationId;
      if (i === messages.length - 1) chat.push(r.ms);
      history.push({ role: "user", content: message }, { role: "assistant", content: r.json.reply });
    }
    completion.push((await post("/v1/chat/completions", { model: "hporec", messages: history.slice(0, -1) })).ms);
  }
  rows.push({ turns: n, chatMs: median(chat), completionMs: median(completion), ratio: median(completion) / median(chat) });
}
await server.close();
rmSync(stateDir, { recursive: true, force: true });

if (values.json) console.log(JSON.stringify({ calls, rows }, null, 2));
else {
  console.log("user turns   /v1/chat (state kept)   /v1/chat/completions (history replayed)   ratio");
  for (const r of rows) console.log(`${String(r.turns).padStart(10)}   ${r.chatMs.toFixed(1).padStart(17)} ms   ${r.completionMs.toFixed(1).padStart(35)} ms   ${r.ratio.toFixed(1).padStart(5)}x`);
}
