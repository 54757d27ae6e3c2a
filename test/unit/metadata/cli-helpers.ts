import { spawnSync } from "node:child_process";
import path from "node:path";

/** Runs the real CLI (`node bin/hporec.js ...`) in a child process. */
export function runCli(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.resolve("bin/hporec.js"), ...args], {
    encoding: "utf8",
    env: { ...process.env, HPOREC_PROGRESS: "0", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
