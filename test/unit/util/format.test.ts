import assert from "node:assert/strict";
import { test } from "node:test";
import { extractClaims } from "../../../src/judge/claims/extract.ts";
import { fmt, formatDriver, formatValueRange, signed } from "../../../src/util/format.ts";

test("signed writes the sign of positive numbers and zero, keeps the minus, and rounds as asked", () => {
  assert.equal(signed(0.12345), "+0.123");
  assert.equal(signed(-0.0456), "-0.046");
  assert.equal(signed(0), "+0.000");
  assert.equal(signed(0.5, 2), "+0.50");
  assert.equal(signed(-1.23456, 4), "-1.2346");
  assert.equal(signed(0.0123, (x) => fmt(x, 2)), "+0.012");
  assert.equal(signed(-0.25, String), "-0.25");
});

test("a driver reads 'name = value (±contribution)', with another separator or precision when asked", () => {
  const lr = { name: "lr", value: "0.001", contribution: 0.02215 };
  assert.equal(formatDriver(lr), "lr = 0.001 (+0.022)");
  assert.equal(formatDriver({ ...lr, contribution: -0.1 }), "lr = 0.001 (-0.100)");
  assert.equal(formatDriver(lr, { sep: "=" }), "lr=0.001 (+0.022)");
  assert.equal(formatDriver(lr, { digits: (x) => fmt(x, 2) }), "lr = 0.001 (+0.022)");
  assert.equal(formatDriver({ ...lr, contribution: 0.1234 }, { digits: 2 }), "lr = 0.001 (+0.12)");
});

test("the judge reads a driver as written back: its name and its contribution", () => {
  const vocab = { models: ["net_a"], datasetIds: [], hyperparameters: { lr: { type: "float" as const, low: 1e-5, high: 0.1, log: true } }, metricName: "accuracy" };
  const drivers = [
    { name: "lr", value: "0.001", contribution: 0.0221 },
    { name: "model", value: "net_a", contribution: -0.058 },
  ];
  const text = `net_a is recommended. It is driven by ${drivers.map((d) => formatDriver(d)).join(", ")}.`;
  const found = extractClaims(text, vocab, [{ candidateId: "s1", model: "net_a" }]).claims.flatMap((c) => (c.kind === "driver" ? [[c.name, c.stated.value]] : [])).sort();
  assert.deepEqual(found, [
    ["lr", 0.022],
    ["model", -0.058],
  ]);
});

test("a good value reads as its category, one number for a one-value interval, else low..high", () => {
  assert.equal(formatValueRange({ category: "adamw" }), "adamw");
  assert.equal(formatValueRange({ low: 0, high: 0 }), "0");
  assert.equal(formatValueRange({ low: 0.0001, high: 0.005 }), "1.00e-4..0.005");
  assert.equal(formatValueRange({ low: 2, high: 16 }, "–"), "2–16");
});
