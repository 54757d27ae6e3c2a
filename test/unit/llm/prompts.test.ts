import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { PROMPT_NAMES, loadPrompt, renderPrompt } from "../../../src/llm/prompts.ts";
import { InputError } from "../../../src/util/errors.ts";

test("every template renders with exactly its declared variables, and has a version", () => {
  for (const name of PROMPT_NAMES) {
    const t = loadPrompt(name);
    assert.match(t.version, new RegExp(`^${name}@\\d+$`));
    const vars = Object.fromEntries(t.vars.map((v) => [v, `<${v}>`]));
    const r = renderPrompt(name, vars);
    assert.equal(r.version, t.version);
    for (const v of t.vars) assert.ok(r.text.includes(`<${v}>`), `${name}: ${v} not rendered`);
    assert.ok(!r.text.includes("{{"), `${name}: a placeholder is left`);
    assert.ok(!r.text.startsWith("#"), `${name}: the header leaked into the text`);
  }
});

test("the recommend template declares what the brief requires", () => {
  assert.deepEqual(loadPrompt("recommend").vars, ["dataset", "candidates", "evidence", "constraints", "candidateIds", "evidenceIds", "metric", "feedback"]);
  assert.match(loadPrompt("judge").body, /format[\s\S]*accuracy[\s\S]*completeness/);
  assert.match(loadPrompt("judge").body, /1 \(bad\) to 5/);
});

test("an unbound variable and an unused one are both errors", () => {
  const vars = { message: "m", domains: "d", modalities: "x" };
  assert.doesNotThrow(() => renderPrompt("extract", vars));
  assert.throws(() => renderPrompt("extract", { message: "m", domains: "d" }), /unbound: modalities/);
  assert.throws(() => renderPrompt("extract", { ...vars, extra: 1 }), /unused: extra/);
});

test("values are inserted once, never expanded again", () => {
  const r = renderPrompt("extract", { message: "{{domains}}", domains: "D", modalities: "M" });
  assert.ok(r.text.includes("{{domains}}"));
});

const dir = mkdtempSync(path.join(tmpdir(), "hporec-prompts-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a template whose header and body disagree is rejected when loaded", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["undeclared", "# version: 1\n# vars: a\n{{a}} {{b}}", /not declared in vars: b/],
    ["unused", "# version: 1\n# vars: a, b\n{{a}}", /never used: b/],
    ["noversion", "# vars: a\n{{a}}", /no version line/],
    ["malformed", "# version: 1\n# vars:\n{{ not-a-name }}", /not a plain name/],
  ];
  for (const [name, text, message] of cases) {
    writeFileSync(path.join(dir, `${name}.txt`), text);
    assert.throws(() => loadPrompt(name, dir), (e) => e instanceof InputError && message.test(e.message));
  }
  assert.throws(() => loadPrompt("absent", dir), /no prompt template "absent"/);
});
