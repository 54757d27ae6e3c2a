/** `hporec serve` as a child process on one state directory, so tests can stop it for real (SIGTERM, SIGKILL). */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const BIN = path.resolve("bin/hporec.js");

export interface ChildServers {
  /** Starts a server on an ephemeral port; resolves with its URL once it listens. */
  serve(): Promise<{ child: ChildProcess; url: string }>;
  /** Kills every server still running (for `after`). */
  killAll(): void;
}

export function childServers(stateDir: string): ChildServers {
  const children: ChildProcess[] = [];
  return {
    serve() {
      const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--state-dir", stateDir, "--candidates", "300", "--log-level", "warn"], { stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      return new Promise((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /serving on (http:\/\/\S+)/.exec(out);
          if (m) resolve({ child, url: m[1] });
        });
        child.once("exit", (code) => reject(new Error(`server exited early (${code}): ${out}`)));
      });
    },
    killAll() {
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    },
  };
}

/** Resolves with the exit code once the process has exited. */
export const exited = (c: ChildProcess): Promise<number | null> => new Promise((r) => (c.exitCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));
