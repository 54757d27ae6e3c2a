/** The server's body-depth check (errors.ts): the limit counts levels of objects and arrays alike, keys named like Object's own included. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deeperThan } from "../../../src/server/errors.ts";

/** `levels` containers nested, alternating objects (under `key`) and arrays, around a number. */
function nest(levels: number, key = "a"): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = i % 2 ? [0, v] : JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(v)}}`);
  return v;
}

describe("deeperThan", () => {
  it("lets a body of exactly `limit` levels through and refuses one more", () => {
    assert.equal(deeperThan(nest(4), 4), false);
    assert.equal(deeperThan(nest(5), 4), true);
  });

  it("finds the deep branch beside shallow ones, in arrays and under __proto__ or constructor keys", () => {
    assert.equal(deeperThan({ a: 1, b: [1, 2, { c: nest(10) }], d: null }, 8), true);
    assert.equal(deeperThan(nest(10, "__proto__"), 8), true);
    assert.equal(deeperThan(nest(10, "constructor"), 8), true);
    assert.equal(deeperThan({ a: [nest(3), nest(3)], b: "x".repeat(10) }, 8), false);
  });

  it("treats scalars and null as no depth", () => {
    for (const v of [null, 1, "s", true]) assert.equal(deeperThan(v, 0), false);
    assert.equal(deeperThan({}, 0), true);
  });

  it("measures a body too deep to recurse over without overflowing the stack", () => {
    assert.equal(deeperThan(JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), 64), true);
  });
});
