import { generic } from "./generic.ts";
import { hpob } from "./hpob.ts";
import { medquicktune } from "./medquicktune.ts";
import { quicktune } from "./quicktune.ts";
import { saved } from "../saved.ts";
import type { Importer } from "./types.ts";

/** In detection order: a saved folder first; a folder with a mapping file is generic even if it holds other files. */
export const IMPORTERS: readonly Importer[] = [saved, generic, quicktune, medquicktune, hpob];

export type { Format, ImportedHistory, Importer } from "./types.ts";
