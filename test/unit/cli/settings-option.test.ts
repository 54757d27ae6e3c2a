import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "commander";
import { settingsOption } from "../../../src/cli/options.ts";

const defaults = { margin: 1, strict: false, mode: "blend" as "blend" | "zero-shot" };
const parse = settingsOption("--learn", defaults, { mode: ["blend", "zero-shot"] });

test("key=value pairs take the type of their default", () => {
  assert.deepEqual(parse("margin=2.5, strict=true,mode=zero-shot"), { margin: 2.5, strict: true, mode: "zero-shot" });
  assert.deepEqual(parse(""), {});
});

test("an unknown key, a bad number, a bad boolean or a value outside the choices names the flag, the key and the value", () => {
  const cases: [string, RegExp][] = [
    ["marign=2", /--learn: unknown setting "marign"; known: margin, strict, mode/],
    ["margin=lots", /--learn: margin must be a number, got "lots"/],
    ["margin=", /--learn: margin must be a number, got ""/],
    ["strict=yes", /--learn: strict must be true or false, got "yes"/],
    ["mode=greedy", /--learn: mode must be one of blend, zero-shot, got "greedy"/],
  ];
  for (const [input, message] of cases)
    assert.throws(() => parse(input), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message), input);
});
