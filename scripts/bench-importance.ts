/**
 * Benchmark and cross-check of `hporec importance` on the real default pack (Quick-Tune).
 *  1. Speed: the exact 10-player tunability game with 2,000 samples (target < 20 s) and the 10-player ablation
 *     game (target < 1 s), against the plain prediction of the same 2^10 x 2,000 rows (extrapolated from 20,000).
 *  2. Peer check: per Quick-Tune dataset, Spearman correlation between hporec's tunability (and sensitivity)
 *     Shapley values and Optuna's fANOVA importance from that dataset's real runs, over the same 10 players.
 * fANOVA is the slow part (~30 s per dataset here: Optuna's pure-Python marginals): --datasets k checks the first k.
 * Usage: npx tsx scripts/bench-importance.ts [--samples-check 1000] [--datasets 22] [--skip-check]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { datasetImportance, defaultConfiguration } from "../src/explain/games/index.ts";
import { loadPack } from "../src/learner/pack.ts";
import { predictTrees } from "../src/learner/trees.ts";
import { loadMetaDataset } from "../src/metadata/load.ts";
import { sampleConfigurations } from "../src/recommend/candidates.ts";
import { createRng } from "../src/util/random.ts";
import { rankPercentiles, spearman } from "../src/util/stats.ts";

const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const arg = (flag: string, dflt: number) => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : dflt);
const pack = loadPack(path.resolve("models/default"));
const dataset = pack.datasets.find((d) => d.id === "BCT")!;

// --- 1. speed -------------------------------------------------------------------------------------------
const ROWS = 2 ** 10 * 2000;
const probe = 20_000;
const rows = pack.learner.encoder.encodeForDataset(dataset, sampleConfigurations(pack.space.searchSpace, pack.space.models, probe, createRng(9)));
const plain = (models: number) => {
  const t = performance.now();
  for (const m of pack.learner.outcome.slice(0, models)) predictTrees(m, rows, probe);
  return ((performance.now() - t) / 1000) * (ROWS / probe);
};
console.log(`reference: plain prediction of ${ROWS.toLocaleString("en")} rows (2^10 x 2,000), extrapolated from ${probe.toLocaleString("en")}:`);
console.log(`  1 ensemble member  ${plain(1).toFixed(1)} s`);
console.log(`  5 members (mean)   ${plain(5).toFixed(1)} s`);

const config = { model: dataset.topRuns[0].model, hyperparameters: dataset.topRuns[0].hyperparameters };
for (const members of [5, 1]) {
  const r = datasetImportance(pack, dataset, { game: "tunability", samples: 2000, members });
  console.log(`tunability, exact, 10 players x 2,000 samples, ${members} member(s): ${r.seconds.toFixed(2)} s (target < 20 s)`);
}
const abl = datasetImportance(pack, dataset, { game: "ablation", config, baseline: defaultConfiguration(pack) });
console.log(`ablation, exact, 10 players (2^10 coalitions), 5 members: ${abl.seconds.toFixed(3)} s (target < 1 s)`);
const big = datasetImportance(pack, dataset, { game: "tunability", samples: 10_000 });
console.log(`tunability, exact, 10 players x 10,000 samples (the CLI default), 5 members: ${big.seconds.toFixed(2)} s`);

if (process.argv.includes("--skip-check")) process.exit(0);

// --- 2. fANOVA cross-check ------------------------------------------------------------------------------
const md = loadMetaDataset(path.resolve("../shared/metadata/quicktune-extended"));
const space = md.searchSpace.hyperparameters;
// Numeric hyperparameters are grids: fANOVA sees the grid index (uniform over the values runs used, as hporec
// samples them, and ordered, so the forest can split); categoricals and the model stay categorical.
const distributions: Record<string, object> = { model: { type: "categorical", choices: md.models } };
for (const [name, hp] of Object.entries(space)) {
  distributions[name] = hp.type === "categorical" ? { type: "categorical", choices: hp.values } : hp.type === "bool" ? { type: "categorical", choices: [false, true] } : { type: "int", low: 0, high: hp.values!.length - 1 };
}
const encode = (name: string, v: unknown) => {
  const hp = space[name];
  return hp && (hp.type === "float" || hp.type === "int") ? hp.values!.indexOf(v as number) : v;
};
const checked = pack.datasets.slice(0, arg("--datasets", pack.datasets.length));
const input = {
  distributions,
  datasets: md.datasets.filter((d) => checked.some((c) => c.id === d.id)).map((d) => {
    const runs = md.runs.filter((r) => r.datasetId === d.id);
    const ranks = rankPercentiles(runs.map((r) => r.outcome.best), 0.5); // the meta-learner's target: rank within the dataset
    return {
      id: d.id,
      runs: runs.map((r, i) => ({ params: { model: r.model, ...Object.fromEntries(Object.entries(r.hyperparameters).map(([k, v]) => [k, encode(k, v)])) }, value: ranks[i] })),
    };
  }),
};
// hporec first: its players (the pack's 10 most important overall) are the hyperparameters compared. fANOVA's
// forest is fitted on all of them (+ the model), as a user would; fitted on the 10 alone it ran > 18 CPU-minutes here without finishing.
const samples = arg("--samples-check", 1000);
let t = performance.now();
const games = checked.map((d) => ({
  id: d.id,
  tun: datasetImportance(pack, d, { game: "tunability", samples }).explanation,
  sen: datasetImportance(pack, d, { game: "sensitivity", samples }).explanation,
}));
const hporecSeconds = (performance.now() - t) / 1000;
const players = games[0].tun.players;

const dir = mkdtempSync(path.join(tmpdir(), "hporec-fanova-"));
writeFileSync(path.join(dir, "runs.json"), JSON.stringify(input));
t = performance.now();
const py = spawnSync("/usr/bin/python3", ["scripts/reference/fanova_importance.py", path.join(dir, "runs.json"), path.join(dir, "out.json")], { encoding: "utf8" });
if (py.status !== 0) throw new Error(`fanova_importance.py failed: ${py.stderr}`);
const fanova = JSON.parse(readFileSync(path.join(dir, "out.json"), "utf8")) as Record<string, Record<string, number>>;
console.log(`\nfANOVA (Optuna's FanovaImportanceEvaluator, seed 0, all hyperparameters) over ${checked.length} datasets: ${((performance.now() - t) / 1000).toFixed(1)} s`);
console.log(`hporec: exact 10-player games, ${samples} samples, 5 members, default baseline: ${hporecSeconds.toFixed(0)} s; Spearman over the 10 players\n`);
console.log(`${"dataset".padEnd(10)} ${"tunab.".padStart(7)} ${"sensit.".padStart(7)}  fANOVA top-3 | tunability top-3 | sensitivity top-3`);
const rhoT: number[] = [];
const rhoS: number[] = [];
for (const { id, tun, sen } of games) {
  const f = players.map((p) => fanova[id]?.[p] ?? 0);
  const s = players.map((p) => sen.shapley[sen.players.indexOf(p)]);
  rhoT.push(rho(tun.shapley, f));
  rhoS.push(rho(s, f));
  const top = (v: ArrayLike<number>) => players.map((p, i) => ({ p, v: v[i] })).sort((a, b) => b.v - a.v).slice(0, 3).map((x) => x.p).join(",");
  console.log(`${id.padEnd(10)} ${rhoT.at(-1)!.toFixed(2).padStart(7)} ${rhoS.at(-1)!.toFixed(2).padStart(7)}  ${top(f)} | ${top(tun.shapley)} | ${top(s)}`);
}
console.log(`${"mean".padEnd(10)} ${mean(rhoT).toFixed(2).padStart(7)} ${mean(rhoS).toFixed(2).padStart(7)}`);

/** Spearman with values equal up to float noise tied; 0 when a side is constant (e.g. an all-zero game). */
function rho(a: ArrayLike<number>, b: number[]): number {
  const r = spearman(Array.from(a, (v) => Math.round(v * 1e9) / 1e9), b);
  return Number.isNaN(r) ? 0 : r;
}
