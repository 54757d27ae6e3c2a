/**
 * The answer depends on the dataset where the data says it should (issue #13): with the built-in pack, the
 * predicted cost grows with the dataset, the learning rate of the top candidates falls with it as it does among
 * the past winners, the neighbours of a remote-sensing card are remote-sensing datasets whatever its image
 * size, and a card outside what the pack learnt from is flagged. The data facts are checked on the meta-dataset
 * itself first, so the test fails if the data stops saying it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { outcomeTargets } from "../../../src/learner/targets.ts";
import { deriveMetaFeatures } from "../../../src/metadata/meta-features.ts";
import { spearman } from "../../../src/util/stats.ts";
import { dataDir } from "../../helpers/env.ts";
import { DEFAULT_PACK } from "../cli/helpers.ts";
import { rankingScore, SMALL_DATA_HEAD_SHARE } from "../../../src/recommend/scoring.ts";
import { RegionShap } from "../../../src/explain/region-shap.ts";

const card = (n: number, k: number, extra: { image_size?: number; domain?: string } = {}) => ({
  metaFeatures: deriveMetaFeatures({ n_samples: n, n_classes: k, image_size: extra.image_size ?? 128, channels: 3 }),
  domain: extra.domain,
  modality: "image",
});
const logMean = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

describe("the pick responds to the dataset (built-in pack)", () => {
  let engine: Recommender;
  before(async () => {
    engine = (await loadEngine(DEFAULT_PACK)).recommender;
  });

  it("predicts longer training for a larger dataset", async () => {
    const small = await engine.recommend({ dataset: card(2_000, 30), samples: 600 });
    const large = await engine.recommend({ dataset: card(80_000, 30), samples: 600 });
    assert.ok(large.recommendation.predicted.seconds! > 3 * small.recommendation.predicted.seconds!, `${small.recommendation.predicted.seconds} s vs ${large.recommendation.predicted.seconds} s`);
  });

  // Known gap (issue #13 note): the data says it across datasets (Spearman about -0.4), the packs do not - their
  // top candidates are winners of similar datasets, and their learning rate follows the model, not the dataset's
  // size. Within one model the data says little (median Spearman -0.11 over 17 models; docs/eval-experiments.md),
  // so the fall is mostly which models win on large datasets. On the 22 past cards themselves (tenth session) the
  // pick's learning rate against n_samples has Spearman -0.37 at risk aversion 0, -0.07 at the shipped 1, +0.18 at
  // 3 (the winners' -0.53): the spread penalty favours low learning rates, on which members trained on other
  // datasets agree; risk 0 loses on the validation set (0.558 vs 0.607 over the same three draws). Kept as a todo
  // so the runner still reports it; make it a plain test when a recipe passes it.
  const todo = "the pack's top candidates do not yet lower the learning rate with the dataset's size";
  it("lowers the learning rate of its top candidates for large datasets, as the past winners do", { skip: !dataDir("quicktune-extended") && "data not available", todo }, async () => {
    const md = loadMetaDataset(dataDir("quicktune-extended")!);
    const ranks = outcomeTargets(md, "rank");
    const winners = md.datasets.map((d) => logMean(md.runs.filter((r, i) => r.datasetId === d.id && ranks[i] >= 0.9).map((r) => r.hyperparameters.lr as number)));
    const fact = spearman(md.datasets.map((d) => d.metaFeatures.n_samples), winners);
    assert.ok(fact < -0.3, `data: Spearman(n_samples, lr of the top decile) = ${fact}`);
    const topLr = async (n: number) => {
      const r = await engine.recommend({ dataset: card(n, 40), samples: 2000 });
      return logMean([r.recommendation, ...r.alternatives].map((c) => c.hyperparameters.lr as number));
    };
    const [small, large] = [await topLr(1_500), await topLr(60_000)];
    assert.ok(large < small, `lr of the top candidates: ${small} (1,500 images) vs ${large} (60,000 images)`);
  });

  // What the trees do carry: hold each past winner fixed and vary only its learning rate over the grid; the one
  // the pack scores best is lower, on average, for a larger dataset (the top candidates do not show it, above).
  it("scores a lower learning rate best for a larger dataset, for the past winners held fixed", { skip: !dataDir("quicktune-extended") && "data not available" }, async () => {
    const md = loadMetaDataset(dataDir("quicktune-extended")!);
    const ranks = outcomeTargets(md, "rank");
    const winners = md.runs.filter((_, i) => ranks[i] >= 0.95);
    const grid = (md.searchSpace.hyperparameters.lr as { values: number[] }).values;
    assert.ok(winners.length >= 50 && grid.length >= 5, `${winners.length} winners, ${grid.length} learning rates`);
    const bestLr = async (n: number) => {
      const req = { dataset: card(n, 40) };
      const neighbours = await engine.neighbours(req.dataset, 5);
      const best = winners.map((w) => {
        const variants = grid.map((lr, j) => ({ id: `${w.id}@${j}`, origin: "test", model: w.model, hyperparameters: { ...w.hyperparameters, lr } }));
        const scored = engine.score(req, variants, neighbours);
        return scored.reduce((a, b) => (b.risk > a.risk ? b : a)).candidate.hyperparameters.lr as number;
      });
      return logMean(best);
    };
    const [small, large] = [await bestLr(1_500), await bestLr(60_000)];
    assert.ok(Math.log10(small) - Math.log10(large) > 0.1, `best-scored lr of ${winners.length} winners: ${small} (1,500 images) vs ${large} (60,000 images)`);
  });

  it("finds remote-sensing neighbours for a 45-class remote-sensing card at 128 px and at 224 px", async () => {
    for (const image_size of [128, 224]) {
      const r = await engine.recommend({ dataset: card(20_000, 45, { image_size, domain: "remote_sensing" }), samples: 300 });
      const top2 = r.similarDatasets.slice(0, 2).map((d) => d.id);
      assert.ok(top2.every((id) => ["RESISC", "RSICB"].includes(id)), `${image_size} px: ${top2}`);
    }
  });

  it("flags extrapolation outside the past datasets, and not inside", async () => {
    const out = await engine.recommend({ dataset: card(480, 20, { image_size: 224 }), samples: 300 });
    assert.ok(out.warnings.some((w) => /samples = 480 is outside/.test(w)), out.warnings.join("\n"));
    assert.ok(out.warnings.some((w) => /image size = 224 is outside/.test(w)));
    assert.match(out.justification, /Warning: extrapolation/);
    assert.ok(out.extrapolation.includes("n_samples") && out.extrapolation.includes("image_size"), out.extrapolation.join(", "));
    const inside = await engine.recommend({ dataset: card(5_000, 40, { domain: "plants" }), samples: 300 });
    assert.deepEqual(inside.warnings.filter((w) => w.startsWith("extrapolation")), []);
    assert.deepEqual(inside.extrapolation, []);
  });

  it("tells a dataset smaller than every past one the record measured on the micro validation set, not the pack's own", async () => {
    const record = JSON.parse(readFileSync(path.join(DEFAULT_PACK, "calibration.json"), "utf8")).smallerThanPast;
    assert.equal(record?.source, "quicktune-micro-wandb", "npm run build:default-pack measures it on the six micro datasets");
    assert.equal(record.datasets, 6);
    const small = await engine.recommend({ dataset: card(480, 20), samples: 300 });
    assert.equal(small.trackRecord?.smallerThanPast?.catastrophic, record.catastrophic);
    assert.match(small.justification, new RegExp(`on 6 datasets that small \\(quicktune-micro-wandb, never trained on\\), picks made this way were acceptable on ${record.acceptable} and further off on ${record.catastrophic}, and scored ${record.meanScore.toFixed(2)}`));
    // Larger images but as many samples as the past datasets: outside the range, yet not smaller, so not this record.
    const bigImages = await engine.recommend({ dataset: card(5_000, 40, { image_size: 224 }), samples: 300 });
    assert.ok(bigImages.extrapolation.includes("image_size"));
    assert.equal(bigImages.trackRecord?.smallerThanPast, undefined);
    assert.match(bigImages.justification, /much less reliable than this record says/);
  });

  it("for a dataset smaller than every past one, the pick leans on the ranking head's order as well, and says so", async () => {
    const small = { dataset: card(480, 20), samples: 300 };
    const inside = { dataset: card(5_000, 20), samples: 300 };
    const share = async (req: typeof small) => {
      const ranked = (await engine.rank(req)).ranked;
      // Solve risk = (1 - s) x ranking score + s x order for s on the candidate where the two differ most.
      const s = ranked.reduce((a, b) => (Math.abs(b.order - rankingScore(b.mean, b.spread, b.prior)) > Math.abs(a.order - rankingScore(a.mean, a.spread, a.prior)) ? b : a));
      const score = rankingScore(s.mean, s.spread, s.prior);
      return (s.risk - score) / (s.order - score);
    };
    assert.ok(Math.abs((await share(small)) - SMALL_DATA_HEAD_SHARE) < 1e-9);
    assert.ok(Math.abs(await share(inside)) < 1e-9);
    const out = await engine.recommend(small);
    assert.ok(out.warnings.some((w) => /samples = 480 is outside.*leans mainly on the order of configurations within past datasets/.test(w)), out.warnings.join("\n"));
  });

  it("states as a small card's drivers the SHAP values of the blend its pick was chosen by (members' mean and ranking head)", async () => {
    const req = { dataset: card(480, 20), samples: 300 };
    const ranking = await engine.rank(req);
    assert.equal(ranking.headShare, SMALL_DATA_HEAD_SHARE);
    const pick = ranking.ranked[0];
    const shap = new RegionShap(engine.pack.learner);
    const blend = shap.grouped(req.dataset, pick.candidate, ranking.headShare);
    // Local accuracy on the shipped trees: the values add up to the blended prediction the pick was scored by.
    const sum = blend.values.reduce((a, v) => a + v, blend.expected);
    assert.ok(Math.abs(sum - ((1 - ranking.headShare) * pick.mean + ranking.headShare * pick.order)) < 1e-4, `${sum} vs mean ${pick.mean}, order ${pick.order}`);
    const rec = await engine.recommend(req);
    assert.equal(rec.recommendation.candidateId, pick.candidate.id);
    const members = shap.grouped(req.dataset, pick.candidate, 0);
    const at = (g: typeof blend, name: string) => g.values[g.groups.indexOf(name)];
    assert.ok(rec.drivers.length > 0);
    for (const d of rec.drivers) assert.ok(Math.abs(d.contribution - at(blend, d.name)) < 1e-4, `${d.name}: ${d.contribution} vs ${at(blend, d.name)}`);
    assert.ok(rec.drivers.some((d) => Math.abs(d.contribution - at(members, d.name)) > 1e-3), "the head moves the drivers, so the test tells the blend from the members alone");
    // Inside the past range the drivers stay the members' own.
    const inside = { dataset: card(5_000, 20), samples: 300 };
    const r2 = await engine.recommend(inside);
    const own = shap.grouped(inside.dataset, { model: r2.recommendation.model, hyperparameters: (await engine.rank(inside)).ranked[0].candidate.hyperparameters }, 0);
    for (const d of r2.drivers) assert.ok(Math.abs(d.contribution - at(own, d.name)) < 1e-4, d.name);
  });
});
