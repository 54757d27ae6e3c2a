#!/usr/bin/env node
// Runs node's built-in test runner over test/**/*.test.ts with tsx (Node 20's --test does not expand globs).
// Usage: node scripts/test.mjs [folder or file ...]   (default: test/)
import { readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) collect(path.join(p, e), out);
  } else if (p.endsWith(".test.ts")) out.push(p);
  return out;
}

const roots = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("-"));
const files = (roots.length ? roots : ["test"]).flatMap((r) => collect(r, []));
if (!files.length) {
  console.error("no test files found");
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...flags, ...files], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
