import path from "node:path";
import { fileURLToPath } from "node:url";

/** The project's own folder, so built-in files (models/default, metadata/examples) are found from any directory. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
