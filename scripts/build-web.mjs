#!/usr/bin/env node
// Bundles the web app (web/) into dist/web with esbuild: the first screen is one small entry; the charts (vega)
// and the batch file reader are separate chunks loaded when a view needs them. Run by `npm ci` (prepare) and by
// the browser tests; reports on stderr, so `npm pack --json` keeps a clean stdout.
// Usage: node scripts/build-web.mjs [--if-stale] [outdir]   (default dist/web)
//   --if-stale: do nothing when every file of the last build's bundle is unchanged (build.json lists them).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const out = path.resolve(args.find((a) => !a.startsWith("--")) ?? path.join(root, "dist/web"));
const hashOf = (file) => createHash("sha256").update(readFileSync(path.resolve(root, file))).digest("hex");

if (args.includes("--if-stale") && existsSync(path.join(out, "build.json"))) {
  const { inputs } = JSON.parse(readFileSync(path.join(out, "build.json"), "utf8"));
  if (Object.entries(inputs).every(([f, h]) => existsSync(path.resolve(root, f)) && hashOf(f) === h)) {
    console.error(`build-web: ${path.relative(process.cwd(), out) || "."} is up to date`);
    process.exit(0);
  }
}
// Built beside the target, then swapped in: a server reading the folder never sees half a build.
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: [path.join(root, "web/main.ts")],
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  minify: true,
  legalComments: "linked",
  entryNames: "[name]-[hash]",
  chunkNames: "chunks/[name]-[hash]",
  define: { "process.env.NODE_ENV": '"production"' },
  outdir: tmp,
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.entries(result.metafile.outputs);
const entry = outputs.find(([, o]) => o.entryPoint)?.[0];
const css = outputs.find(([f]) => f.endsWith(".css"))?.[0];
if (!entry) throw new Error("build-web: esbuild produced no entry script");
const rel = (f) => path.relative(tmp, path.resolve(root, f)).split(path.sep).join("/");
writeFileSync(
  path.join(tmp, "index.html"),
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hporec</title>
<link rel="icon" href="data:,">
${css ? `<link rel="stylesheet" href="./${rel(css)}">\n` : ""}<script type="module" src="./${rel(entry)}"></script>
</head>
<body>
<noscript>hporec's web app needs JavaScript; the HTTP API is described at /openapi.json.</noscript>
<div id="app"></div>
</body>
</html>
`,
);
const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((f) => [f, hashOf(f)]));
writeFileSync(path.join(tmp, "build.json"), JSON.stringify({ inputs }, null, 1));
// Swapped by two renames: a server reading the folder meanwhile misses it for an instant at most.
mkdirSync(path.dirname(out), { recursive: true });
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const total = outputs.filter(([f]) => f.endsWith(".js")).reduce((a, [, o]) => a + o.bytes, 0);
console.error(`build-web: ${path.relative(process.cwd(), out) || "."} (entry ${kb(result.metafile.outputs[entry].bytes)}, all scripts ${kb(total)}, minified)`);
