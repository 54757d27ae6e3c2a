import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../util/errors.ts";

/** An output file must be writable as a file: not an existing folder, its parent folder creatable. Checked before any work. */
export function checkOutFile(file: string, flag: string): void {
  if (existsSync(file) && statSync(file).isDirectory())
    throw new InputError(`${file} is a folder, not a file`, flag, `name a file inside it, e.g. ${flag} ${path.join(file, "out.json")}`);
  const parent = path.dirname(path.resolve(file));
  if (existsSync(parent) && !statSync(parent).isDirectory()) throw new InputError(`${parent} is a file, not a folder`, flag, "name a file in an existing folder");
}

/**
 * An output of one kind (a .svg plot, a .json space) may replace an earlier file of that kind, never one of the
 * command's own inputs nor a file of another kind (a card, a CSV): those are the user's. Checked before any work.
 */
export function checkOutKind(file: string, flag: string, extension: string, inputs: readonly (string | undefined)[] = []): void {
  checkOutFile(file, flag);
  const instead = `${flag} ${path.join(path.dirname(file), path.basename(file, path.extname(file)))}-out${extension}`;
  if (inputs.some((i) => i !== undefined && path.resolve(i) === path.resolve(file)))
    throw new InputError(`${file} is also an input of this command: writing it would replace it`, flag, `name another file, e.g. ${instead}`);
  if (existsSync(file) && path.extname(file).toLowerCase() !== extension)
    throw new InputError(`${file} exists and is not a ${extension} file: writing would replace it`, flag, `name a ${extension} file, e.g. ${instead}`);
}

/**
 * A pack folder to (re)write: only an existing pack (it has a manifest.json) or an empty folder may be
 * replaced; any other file or folder is the user's, kept unless `force`.
 */
export function checkPackOut(dir: string, flag: string, force = false): void {
  if (!existsSync(dir)) {
    checkOutFile(dir, flag);
    return;
  }
  if (!statSync(dir).isDirectory()) throw new InputError(`${dir} is a file, not a pack folder`, flag, "name a new folder or an existing pack");
  if (force || existsSync(path.join(dir, "manifest.json")) || readdirSync(dir).length === 0) return;
  throw new InputError(`${dir} exists and is not a pack (no manifest.json): training would replace its contents`, flag, `name a new folder, or add --force to replace ${dir}`);
}
