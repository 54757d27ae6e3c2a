/**
 * The built-in pack says when a driver's effect is how long past runs trained (explain/training-length.ts): the
 * data fact is checked on the meta-dataset first (every linear-probing run of Quick-Tune extended stopped after
 * one epoch), then the pack's explanations, the evidence document and an answer whose drivers include it.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { loadEngine } from "../../../src/recommend/engine.ts";
import type { Recommender } from "../../../src/recommend/recommender.ts";
import { loadMetaDataset } from "../../../src/metadata/load.ts";
import { deriveMetaFeatures } from "../../../src/metadata/meta-features.ts";
import { evidenceFromPack } from "../../../src/retrieval/evidence-from-pack.ts";
import { ruleJudge } from "../../../src/judge/rule-judge.ts";
import { dataDir } from "../../helpers/env.ts";
import { DEFAULT_PACK } from "../cli/helpers.ts";

describe("training-length caveats in the built-in pack", () => {
  let engine: Recommender;
  before(async () => {
    engine = (await loadEngine(DEFAULT_PACK)).recommender;
  });

  it("rests on the data: every linear-probing run stopped after its first epoch", { skip: !dataDir("quicktune-extended") && "data not available" }, () => {
    const md = loadMetaDataset(dataDir("quicktune-extended")!);
    const probing = md.runs.filter((r) => r.hyperparameters.linear_probing === 1);
    assert.ok(probing.length > 1000, `${probing.length} linear-probing runs`);
    assert.ok(probing.every((r) => r.epochs === 1));
    const c = engine.explanations.trainingLength?.find((x) => x.name === "linear_probing");
    assert.equal(c?.runs, probing.length);
  });

  it("states the caveat in the evidence document and beside the driver, and the answer still passes the judge", async () => {
    const doc = evidenceFromPack(engine.pack, engine.explanations).find((d) => d.id === "hp:linear_probing");
    assert.match(doc?.text ?? "", /Caveat: all [\d,]+ past runs with linear_probing = 1 stopped after 1 epoch/);
    const rec = await engine.recommend({ dataset: { metaFeatures: deriveMetaFeatures({ n_samples: 3000, n_classes: 30, image_size: 128, channels: 3 }), modality: "image" }, samples: 600 });
    const driver = rec.drivers.find((d) => d.name === "linear_probing");
    assert.ok(driver, `drivers: ${rec.drivers.map((d) => d.name).join(", ")}`);
    assert.match(driver.caveat ?? "", /how far runs got/);
    assert.ok(rec.drivers.filter((d) => d.caveat).every((d) => ["linear_probing", "batch_size"].includes(d.name)));
    const place = rec.drivers.filter((d) => d.contribution > 0).indexOf(driver);
    assert.ok(place >= 0 && place < 3, `a stated driver (top 3 in favour), place ${place}`);
    assert.match(rec.justification, /Read (\w+ and )?linear_probing( and \w+)? with care/);
    const verdict = ruleJudge(rec, { pack: engine.pack, recommender: engine });
    assert.ok(verdict.pass, JSON.stringify(verdict));
  });
});
