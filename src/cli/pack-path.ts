import path from "node:path";
import { PROJECT_ROOT } from "../util/project-root.ts";

export { PROJECT_ROOT };

/** The built-in default pack, trained from the Quick-Tune data by `npm run build:default-pack`. */
export const DEFAULT_PACK = path.join(PROJECT_ROOT, "models", "default");

/** --pack flag, else env HPOREC_PACK, else the built-in default pack. */
export function resolvePackDir(flag?: string): string {
  return path.resolve(flag ?? process.env.HPOREC_PACK ?? DEFAULT_PACK);
}

export const PACK_HELP = "pack folder (default: env HPOREC_PACK, else the built-in models/default)";
