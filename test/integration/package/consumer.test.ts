/**
 * hporec as a dependency: `npm pack`, install the tarball into a fresh project (offline, from npm's cache),
 * type-check a TypeScript consumer against the published .d.ts, and run a recommendation through the package's
 * `exports`. What a user who writes `import { loadEngine } from "hporec"` gets.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(".");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

const CONSUMER_TS = `
import { loadEngine, buildRequest, packContext, ruleJudge, InputError, type Recommendation, type RecommendRequest } from "hporec";
import { createApp, openSqliteStore, type StateStore } from "hporec/server";

const { recommender } = await loadEngine();
const { req }: { req: RecommendRequest } = buildRequest({ card: { samples: 3000, classes: 7, imageSize: 224, channels: 3 }, samples: 100 }, packContext(recommender.pack));
const answer: Recommendation = await recommender.recommend(req);
const seconds: number | null = answer.recommendation.predicted.seconds;
let refused = "";
try {
  buildRequest({ card: { samples: 3000, classes: 7, imageSize: 224, channels: 3 }, constraints: { fixed: { lr: 100 } } }, packContext(recommender.pack));
} catch (e) {
  if (e instanceof InputError) refused = e.where ?? "";
}
const store: StateStore | undefined = process.env.NO_STORE ? undefined : undefined;
void createApp;
void openSqliteStore;
void store;
console.log(JSON.stringify({ model: answer.recommendation.model, seconds, pass: ruleJudge(answer, { pack: recommender.pack, recommender }).pass, refused }));
`;

test("npm pack -> install into a new project -> tsc type-check -> recommend through the exports", { timeout: 900_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hporec-consumer-"));
  // npm pack runs `prepare`, so dist/ is built from the sources being tested.
  const packed = execFileSync("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim().split("\n").pop()!;
  const tarball = path.join(dir, packed);
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  for (const f of ["package/dist/index.js", "package/dist/index.d.ts", "package/dist/server/index.d.ts", "package/models/default/manifest.json", "package/prompts/recommend.txt"]) assert.ok(files.includes(f), `${f} is in the tarball`);

  const consumer = path.join(dir, "consumer");
  cpSync(path.join(ROOT, "scripts", "empty-package"), path.join(dir, "empty-package"), { recursive: true });
  mkdirSync(consumer);
  writeFileSync(
    path.join(consumer, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: { hporec: `file:${tarball}`, typescript: pkg.devDependencies.typescript, "@types/node": pkg.devDependencies["@types/node"] },
      // What this registry cannot serve (and the GPU builds) map to an empty package, as in hporec's own package.json.
      overrides: Object.fromEntries(Object.keys(pkg.overrides).map((k) => [k, `file:${path.join(dir, "empty-package")}`])),
      // hporec's postinstall builds faiss-node offline; the packages' own download/build scripts stay off.
      allowScripts: { hporec: true, "faiss-node": false, "better-sqlite3": false, "node-llama-cpp": false, esbuild: false },
    }),
  );
  writeFileSync(path.join(consumer, ".npmrc"), readFileSync(path.join(ROOT, ".npmrc")));
  writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: true, noEmit: true, types: ["node"] }, include: ["index.ts"] }));
  writeFileSync(path.join(consumer, "index.ts"), CONSUMER_TS);

  const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: consumer, encoding: "utf8" });
  assert.equal(install.status, 0, install.stderr);
  assert.ok(readdirSync(path.join(consumer, "node_modules", "hporec", "dist")).includes("index.js"));

  const tsc = spawnSync(process.execPath, [path.join(consumer, "node_modules", "typescript", "bin", "tsc"), "-p", consumer], { encoding: "utf8" });
  assert.equal(tsc.status, 0, `the consumer does not type-check:\n${tsc.stdout}${tsc.stderr}`);

  // The same code, run as JavaScript (types stripped by tsc into the consumer folder).
  const emit = spawnSync(process.execPath, [path.join(consumer, "node_modules", "typescript", "bin", "tsc"), "-p", consumer, "--noEmit", "false", "--outDir", path.join(consumer, "out")], { encoding: "utf8" });
  assert.equal(emit.status, 0, emit.stdout);
  const run = spawnSync(process.execPath, [path.join(consumer, "out", "index.js")], { cwd: consumer, encoding: "utf8", env: { ...process.env, HPOREC_PACK: "" } });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split("\n").pop()!);
  assert.equal(typeof out.model, "string");
  assert.equal(out.pass, true);
  assert.equal(out.refused, "constraints.fixed.lr");
});
