import { generic } from "./generic.ts";
import { hpob } from "./hpob.ts";
import { medquicktune } from "./medquicktune.ts";
import { quicktune } from "./quicktune.ts";
import { saved } from "../saved.ts";
import { wandbFolder } from "./wandb-folder.ts";
import type { Importer } from "./types.ts";

/**
 * In detection order: a saved folder first; a folder with a mapping file is generic even if it holds other files
 * (W&B exports included: only a folder of exports without a mapping is read as wandb).
 */
export const IMPORTERS: readonly Importer[] = [saved, generic, quicktune, medquicktune, hpob, wandbFolder];

export type { Format, ImportedHistory, Importer } from "./types.ts";
