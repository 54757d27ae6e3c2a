import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extrapolationCheck, ignoredFeatures, leaningOnOrder, smallerThanPast } from "../../../src/recommend/extrapolation.ts";

const past = [
  { id: "a", metaFeatures: { n_samples: 1000, n_classes: 20, image_size: 128, channels: 3 }, domain: "plants", modality: "image" },
  { id: "b", metaFeatures: { n_samples: 50000, n_classes: 300, image_size: 128, channels: 3 }, domain: "vehicles", modality: "image" },
];

const check = extrapolationCheck(past);
/** The features flagged and the warnings, apart. */
const flagged = (dataset: Parameters<typeof check>[0]) => {
  const out = check(dataset);
  return { features: out.map((e) => e.feature), w: out.map((e) => e.warning) };
};

describe("extrapolation warnings", () => {
  it("say nothing inside the past datasets' range", () => {
    assert.deepEqual(check({ metaFeatures: { n_samples: 3000, n_classes: 7 * 10, image_size: 128, channels: 3 }, domain: "plants", modality: "image" }), []);
  });
  it("name each meta-feature outside the range, with the range and the value trees will assume", () => {
    const { features, w } = flagged({ metaFeatures: { n_samples: 480, n_classes: 20, image_size: 224, channels: 3 } });
    assert.deepEqual(features, ["n_samples", "image_size"], w.join("\n"));
    assert.ok(w.every((x) => x.startsWith("extrapolation: ")));
    assert.match(w[0], /samples = 480 .*from 1,?000 to 50,?000.*1,?000/);
    assert.match(w[1], /image size = 224 .*every past dataset has 128/);
  });
  it("flag a domain or modality never seen", () => {
    const { features, w } = flagged({ metaFeatures: { n_samples: 3000, n_classes: 45 }, domain: "ocr", modality: "xray" });
    assert.deepEqual(features, ["domain", "modality"]);
    assert.match(w[0], /domain "ocr" is not among .*plants, vehicles/);
    assert.match(w[1], /modality "xray"/);
  });
  it("tell a dataset smaller than every past one (samples or samples per class) from one outside the range otherwise", () => {
    const small = check({ metaFeatures: { n_samples: 480, n_classes: 20, image_size: 128, channels: 3 } });
    assert.deepEqual(small.map((e) => e.side), ["below"]);
    assert.ok(smallerThanPast(small));
    assert.doesNotMatch(small[0].warning, /leans/, "the check alone does not know whether the pick leans on a head");
    assert.match(leaningOnOrder(small)[0].warning, /^extrapolation: samples = 480 .*, so the pick leans mainly on the order of configurations within past datasets/);
    const large = check({ metaFeatures: { n_samples: 200_000, n_classes: 20, image_size: 128, channels: 3 } });
    assert.deepEqual(large.map((e) => e.side), ["above"]);
    assert.ok(!smallerThanPast(large));
    assert.deepEqual(leaningOnOrder(large), large, "only the warnings of a smaller size say it");
    // Fewer classes than any past dataset is not less data to fine-tune on.
    const fewClasses = check({ metaFeatures: { n_samples: 3000, n_classes: 5, image_size: 128, channels: 3 } });
    assert.deepEqual(fewClasses.map((e) => [e.feature, e.side]), [["n_classes", "below"]]);
    assert.ok(!smallerThanPast(fewClasses));
    // Below in samples and in samples per class: said once, on the first.
    const both = extrapolationCheck([
      { id: "a", metaFeatures: { n_samples: 1000, samples_per_class: 50 } },
      { id: "b", metaFeatures: { n_samples: 9000, samples_per_class: 300 } },
    ])({ metaFeatures: { n_samples: 480, samples_per_class: 24 } });
    assert.deepEqual(leaningOnOrder(both).map((e) => /leans/.test(e.warning)), [true, false]);
    const perClass = extrapolationCheck([
      { id: "a", metaFeatures: { n_samples: 1000, samples_per_class: 50 } },
      { id: "b", metaFeatures: { n_samples: 9000, samples_per_class: 300 } },
    ])({ metaFeatures: { n_samples: 2000, samples_per_class: 20 } });
    assert.ok(smallerThanPast(perClass), "fewer samples per class than any past dataset counts too");
  });
});


describe("meta-features no past dataset has", () => {
  it("are said to be ignored, by name; the known ones are not", () => {
    const ignored = ignoredFeatures(past);
    assert.deepEqual(ignored({ metaFeatures: { n_samples: 3000, n_classes: 70, image_size: 128, channels: 3 } }), []);
    const [w, ...rest] = ignored({ metaFeatures: { n_samples: 3000, n_classes: 70, foo: 3, n_sample: 5 } });
    assert.deepEqual(rest, []);
    assert.match(w, /^foo, n_sample: no past dataset has these meta-features, so they are ignored \(known: channels, image_size, n_classes, n_samples\)$/);
    assert.deepEqual(ignoredFeatures([])({ metaFeatures: { foo: 1 } }), [], "a pack without past datasets says nothing");
  });
});
