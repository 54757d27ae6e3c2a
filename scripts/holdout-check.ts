/**
 * Held-out sanity check of the whole pipeline (train -> explanations -> index -> recommender): trains a pack
 * WITHOUT some Quick-Tune datasets, then for each held-out dataset ranks the configurations really run there
 * using only its meta-features, and reports where the top pick stands among those runs by true accuracy.
 *
 *   HPOREC_DATA=../shared/metadata node --import tsx scripts/holdout-check.ts [BCT,RESISC,FLW] [--seeds 5]
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadMetaDataset } from "../src/metadata/load.ts";
import { withoutDataset } from "../src/learner/cross-validate.ts";
import { trainPack } from "../src/learner/train-pack.ts";
import { orientedOutcome } from "../src/learner/targets.ts";
import { explanationsExtension } from "../src/explain/pack-explanations.ts";
import { buildPackIndex } from "../src/retrieval/pack-index.ts";
import { loadEngine } from "../src/recommend/engine.ts";
import type { Candidate } from "../src/recommend/candidates.ts";

const args = process.argv.slice(2);
const heldOut = (args.find((a) => !a.startsWith("--") && !/^\d+$/.test(a)) ?? "BCT,RESISC,FLW").split(",");
const seeds = Number(args[args.indexOf("--seeds") + 1] ?? 5) || 5;
const root = process.env.HPOREC_DATA ?? path.resolve("../shared/metadata");
const md = loadMetaDataset(path.join(root, "quicktune-extended"));
for (const id of heldOut) if (!md.datasets.some((d) => d.id === id)) throw new Error(`unknown dataset ${id}: ${md.datasets.map((d) => d.id).join(", ")}`);
const train = heldOut.reduce(withoutDataset, md);

const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "hporec-holdout-")), "pack");
const t0 = performance.now();
await trainPack(train, dir, { target: "rank", seeds }, [explanationsExtension()]);
await buildPackIndex(dir);
const { recommender } = await loadEngine(dir);
console.log(`pack without ${heldOut.join(", ")}: ${train.datasets.length} datasets, ${train.runs.length} runs, ${seeds} seeds, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const pct = (v: number) => `${(100 * v).toFixed(0)}%`;
console.log("dataset   runs  pick model                          pick acc  rank  top%   best  median  norm   regret  top-3 best rank  recommend() pick (predicted)");
for (const id of heldOut) {
  const d = md.datasets.find((x) => x.id === id)!;
  const runs = md.runs.filter((r) => r.datasetId === id);
  // Only what a new user would give: meta-features, domain, modality (never the outcomes).
  const dataset = { name: id, metaFeatures: d.metaFeatures, domain: d.domain, modality: d.modality };
  const candidates: Candidate[] = runs.map((r) => ({ id: r.id, model: r.model, hyperparameters: r.hyperparameters, origin: `run:${r.id}` }));
  const neighbours = await recommender.neighbours(dataset, 5);
  const ranked = recommender.score({ dataset }, candidates, neighbours).sort((a, b) => b.risk - a.risk);
  const y = new Map(runs.map((r) => [r.id, orientedOutcome(md, r)]));
  const sorted = [...y.values()].sort((a, b) => b - a);
  const rankOf = (v: number) => 1 + sorted.filter((s) => s > v).length;
  const pick = y.get(ranked[0].candidate.id)!;
  const best = sorted[0];
  const worst = sorted[sorted.length - 1];
  const median = sorted[Math.floor(sorted.length / 2)];
  const top3 = Math.min(...ranked.slice(0, 3).map((s) => rankOf(y.get(s.candidate.id)!)));
  const rec = await recommender.recommend({ dataset });
  console.log(
    [
      id.padEnd(9),
      String(runs.length).padStart(4),
      ` ${ranked[0].candidate.model.padEnd(38)}`,
      pick.toFixed(1).padStart(7),
      String(rankOf(pick)).padStart(5),
      pct(rankOf(pick) / runs.length).padStart(5),
      best.toFixed(1).padStart(6),
      median.toFixed(1).padStart(7),
      ((pick - median) / (best - median)).toFixed(2).padStart(6),
      ((best - pick) / (best - worst)).toFixed(3).padStart(7),
      String(top3).padStart(16),
      `  ${rec.recommendation.model} (≈ ${rec.recommendation.predicted.metric.toFixed(1)})`,
    ].join(" "),
  );
}
rmSync(path.dirname(dir), { recursive: true, force: true });
