/** The installed package: its folder, its built-in pack, its version (package.json is the one place it is written). */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The package's own folder (src/ and dist/ both sit one level below it). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The built-in default pack, trained from the Quick-Tune data by `npm run build:default-pack`. */
export const DEFAULT_PACK = path.join(PROJECT_ROOT, "models", "default");

export const VERSION: string = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).version;
