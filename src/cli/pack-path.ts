import path from "node:path";
import { fileURLToPath } from "node:url";
import { env } from "../config.ts";

/** The project's own folder, so the built-in pack is found whatever the working directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The built-in default pack, trained from the Quick-Tune data by `npm run build:default-pack`. */
export const DEFAULT_PACK = path.join(PROJECT_ROOT, "models", "default");

/** --pack flag, else env HPOREC_PACK, else the built-in default pack. */
export function resolvePackDir(flag?: string): string {
  return path.resolve(flag ?? env().pack ?? DEFAULT_PACK);
}

export const PACK_HELP = "pack folder (default: env HPOREC_PACK, else the built-in models/default)";
