/**
 * Cost of the server's body-depth check (errors.ts deeperThan, run on every JSON body) against what every body
 * already costs: JSON.parse of the same text, in the same run. Bodies at the default 1 MB limit: a batch of cards
 * (wide and shallow, the largest real requests) and one of nested objects at the depth limit.
 *
 *   node --import tsx scripts/bench-body-depth.ts [--reps 30] [--json]
 */
import { deeperThan, MAX_BODY_DEPTH } from "../src/server/errors.ts";

const reps = Number(process.argv[process.argv.indexOf("--reps") + 1]) || 30;
const LIMIT = 1024 * 1024;

function fill(item: (i: number) => unknown): string {
  const items: unknown[] = [];
  let size = 0;
  for (let i = 0; size < LIMIT - 1024; i++) {
    const one = item(i);
    size += JSON.stringify(one).length + 1;
    items.push(one);
  }
  return JSON.stringify({ items });
}
const card = (i: number) => ({ card: { samples: 1000 + i, classes: 2 + (i % 40), imageSize: 224, channels: 3, domain: "plants" }, constraints: { budgetSeconds: 3600 } });
const nested = (i: number) => {
  let v: unknown = { value: i };
  for (let d = 0; d < MAX_BODY_DEPTH - 3; d++) v = { d: v };
  return v;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function measure(text: string) {
  const parse: number[] = [];
  const walk: number[] = [];
  for (let r = 0; r < reps; r++) {
    let t0 = performance.now();
    const body = JSON.parse(text);
    parse.push(performance.now() - t0);
    t0 = performance.now();
    if (deeperThan(body, MAX_BODY_DEPTH)) throw new Error("a body within the limit was measured as too deep");
    walk.push(performance.now() - t0);
  }
  return { bytes: text.length, parseMs: median(parse), depthCheckMs: median(walk), ratio: median(walk) / median(parse) };
}

const out = { batchOfCards: measure(fill(card)), nestedAtLimit: measure(fill(nested)) };
if (process.argv.includes("--json")) console.log(JSON.stringify(out, null, 2));
else
  for (const [name, m] of Object.entries(out))
    console.log(`${name}: ${(m.bytes / 1024).toFixed(0)} KiB, JSON.parse ${m.parseMs.toFixed(2)} ms, depth check ${m.depthCheckMs.toFixed(2)} ms (${m.ratio.toFixed(2)}x the parse)`);
