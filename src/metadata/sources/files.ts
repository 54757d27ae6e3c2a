/** Source arguments as files: folders expand to the files inside them with the wanted extensions. */
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";

/** Every file named by `sources`: a file as given, a folder as its files matching `ext` (sorted). */
export function expandSources(sources: string[], ext: RegExp, what: string, fix: string, accept: (file: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const s of sources) {
    if (!existsSync(s)) throw new InputError(`${what} not found`, s, "pass an existing file or folder");
    if (statSync(s).isDirectory()) {
      const inside = readdirSync(s).filter((f) => ext.test(f)).sort().map((f) => path.join(s, f)).filter(accept);
      if (!inside.length) throw new InputError(`no ${what} in this folder`, s, fix);
      out.push(...inside);
    } else out.push(s);
  }
  return out;
}

/** The header row of a CSV, read from its first 64 KB (enough to recognise a format). */
export function csvHeader(file: string): string[] {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(65536);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8").replace(/^\uFEFF/, "").split(/\r?\n/)[0].split(",").map((h) => h.replace(/^"|"$/g, ""));
  } finally {
    closeSync(fd);
  }
}

/** True when the file starts with SQLite's magic header ("SQLite format 3\0"). */
export function isSqlite(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(16);
    return readSync(fd, buf, 0, 16, 0) === 16 && buf.toString("latin1") === "SQLite format 3\0";
  } finally {
    closeSync(fd);
  }
}
