#!/usr/bin/env node
// Bundles the web app (web/) into dist/web with esbuild: the first screen is one small entry; the charts (vega)
// and the batch file reader are separate chunks loaded when a view needs them. Run by `npm ci` (prepare) and by
// the browser tests. Usage: node scripts/build-web.mjs [outdir]   (default dist/web)
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(process.argv[2] ?? path.join(root, "dist/web"));
// Built beside the target, then swapped in: a server reading the folder never sees half a build.
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });

const result = await esbuild.build({
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
mkdirSync(path.dirname(out), { recursive: true });
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const total = outputs.filter(([f]) => f.endsWith(".js")).reduce((a, [, o]) => a + o.bytes, 0);
console.log(`build-web: ${path.relative(process.cwd(), out) || "."} (entry ${kb(result.metafile.outputs[entry].bytes)}, all scripts ${kb(total)}, minified)`);
