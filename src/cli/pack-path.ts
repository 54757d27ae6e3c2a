import path from "node:path";
import { env } from "../config.ts";
import { DEFAULT_PACK } from "../package-info.ts";

export { DEFAULT_PACK, PROJECT_ROOT } from "../package-info.ts";

/** --pack flag, else env HPOREC_PACK, else the built-in default pack. */
export function resolvePackDir(flag?: string): string {
  return path.resolve(flag ?? env().pack ?? DEFAULT_PACK);
}

export const PACK_HELP = "pack folder (default: env HPOREC_PACK, else the built-in models/default)";
