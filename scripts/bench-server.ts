/**
 * Load benchmark of POST /v1/recommend on loopback: `hporec serve` runs in a child process (so the load
 * generator does not share its event loop) and autocannon drives it for a fixed time.
 *
 * Usage: npx tsx scripts/bench-server.ts [--duration 30] [--connections 10] [--candidates 2000] [--distinct 0] [--workers <cores>] [--pack <dir>]
 *   --distinct N: cycle through N different datasets (0 = one dataset, served from the response cache after
 *   the first request; N larger than the requests sent = every request computes a fresh recommendation).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

interface Histogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
}
interface Result {
  requests: { average: number; total: number };
  latency: Histogram;
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (opts: object) => Promise<Result>;

const { values } = parseArgs({
  options: { duration: { type: "string", default: "30" }, connections: { type: "string", default: "10" }, candidates: { type: "string", default: "2000" }, distinct: { type: "string", default: "0" }, workers: { type: "string", default: String(os.availableParallelism()) }, pack: { type: "string" } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const distinct = Number(values.distinct);

const stateDir = mkdtempSync(path.join(os.tmpdir(), "hporec-bench-"));
const bin = path.resolve(import.meta.dirname, "../bin/hporec.js");
const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--state-dir", stateDir, "--log-level", "warn", "--candidates", String(values.candidates), "--workers", String(values.workers), ...(values.pack ? ["--pack", values.pack] : [])], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise<string>((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const m = /serving on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once("exit", (code) => reject(new Error(`server exited (${code})`)));
});

const body = (i: number) => JSON.stringify({ card: { samples: 1000 + 37 * (i % Math.max(distinct, 1)), classes: 2 + (i % 40), imageSize: 224, channels: 3, domain: "plants" } });
let n = 0;
// autocannon ships no type declarations; the fields used are typed above.
const moduleName = "autocannon";
const autocannon = ((await import(moduleName)) as { default: Autocannon }).default;
const r = await autocannon({
  url: `${url}/v1/recommend`,
  method: "POST",
  duration,
  connections,
  timeout: 10,
  headers: { "content-type": "application/json" },
  requests: [{ setupRequest: (req: object) => ({ ...req, body: distinct ? body(n++) : body(0) }) }],
});
child.kill("SIGTERM");
await new Promise((res) => child.once("exit", res));
rmSync(stateDir, { recursive: true, force: true });

const report = {
  endpoint: "POST /v1/recommend",
  candidates: Number(values.candidates),
  distinctDatasets: distinct || 1,
  durationS: r.duration,
  connections,
  workers: Number(values.workers),
  requests: r.requests.total,
  reqPerSec: Math.round(r.requests.average * 10) / 10,
  latencyMs: { p50: r.latency.p50, p99: r.latency.p99, average: Math.round(r.latency.average * 10) / 10, max: r.latency.max },
  errors: r.errors,
  timeouts: r.timeouts,
  non2xx: r.non2xx,
};
console.log(JSON.stringify(report, null, 2));
const pass = report.reqPerSec >= 100 && report.latencyMs.p99 < 500 && report.errors === 0 && report.non2xx === 0 && report.timeouts === 0;
console.log(pass ? "target met: >= 100 req/s, p99 < 500 ms, zero errors" : "target NOT met (>= 100 req/s, p99 < 500 ms, zero errors)");
