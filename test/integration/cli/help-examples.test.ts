/**
 * Every example a `--help` shows must run as written: each flag it uses is one the command defines, and a flag the
 * command requires is there (a newcomer copies these lines first).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runCli } from "./helpers.ts";

const COMMANDS = [
  ["recommend"], ["batch"], ["explain"], ["importance"], ["judge"], ["eval"], ["compare"], ["train"], ["index"], ["shap"], ["serve"], ["chat"],
  ["data", "inspect"], ["data", "import"], ["data", "check"], ["data", "describe"], ["data", "space"],
  ["study", "new"], ["study", "ask"], ["study", "tell"], ["study", "show"], ["study", "forget"],
];

/** The long flags of a help text's Options section (`--no-x` also defines `--x`'s negation only). */
function definedFlags(help: string): Set<string> {
  const options = help.split(/\nOptions:\n/)[1]?.split(/\n\n/)[0] ?? "";
  return new Set([...options.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]));
}

/** Example lines of a help text that call this command, e.g. `  hporec data check data/micro --json`. */
function examples(help: string, command: string[]): string[] {
  const call = new RegExp(`^\\s*(?:\\$ )?(?:\\S+=\\S+ )?hporec ${command.join(" ")}(?: |$)`);
  return help.split("\n").filter((l) => call.test(l));
}

describe("--help examples use the command's own flags", () => {
  for (const command of COMMANDS) {
    test(`hporec ${command.join(" ")} --help`, () => {
      const r = runCli([...command, "--help"]);
      assert.equal(r.status, 0, r.stderr);
      const flags = definedFlags(r.stdout);
      assert.ok(flags.size > 0, "an Options section");
      for (const line of examples(r.stdout, command)) {
        const used = [...line.split(/\s+#/)[0].matchAll(/(?<=\s)(--[\w-]+)/g)].map((m) => m[1]);
        for (const flag of used) assert.ok(flags.has(flag), `${line.trim()}: ${flag} is not an option of hporec ${command.join(" ")}`);
        if (command[0] === "train") assert.match(line, /--out /, `${line.trim()}: train needs --out`);
      }
    });
  }
});

test("hporec --help's summary of data names import and check, its most used subcommands", () => {
  const r = runCli(["--help"]);
  const data = r.stdout.split("\n").findIndex((l) => /^\s+data\s/.test(l));
  assert.match(r.stdout.split("\n").slice(data, data + 3).join(" "), /import[\s\S]*check/);
});

test("eval --help gives --depth's default as train --help does", () => {
  const depth = (cmd: string) => runCli([cmd, "--help"]).stdout.replace(/\s+/g, " ").match(/--depth <n> maximum tree depth[^-]*?default: (\d+)/)?.[1];
  assert.equal(depth("eval"), depth("train"));
  assert.ok(depth("train"));
});

test("hporec --help says which flags take a meta-dataset (eval has --train/--test, not --data)", () => {
  const note = runCli(["--help"]).stdout.replace(/\s+/g, " ");
  assert.match(note, /train --data, eval --train\/--test, data inspect\|check\|space \[dir\]/);
  assert.doesNotMatch(note, /commands that read a meta-dataset take --data/);
});

test("an unknown command is refused (exit 2, naming the commands), with --help too", () => {
  // constructor: a name every object answers to, not a command.
  for (const args of [["card"], ["card", "--help"], ["help", "card"], ["constructor", "--help"]]) {
    const r = runCli(args);
    assert.equal(r.status, 2, `${args.join(" ")}: exit ${r.status}`);
    assert.match(r.stderr, new RegExp(`unknown command '${args[0] === "help" ? args[1] : args[0]}'\\n  fix: one of recommend, batch, .*study, chat`), args.join(" "));
  }
});
