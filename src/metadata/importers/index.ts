import { generic } from "./generic.ts";
import { hpob } from "./hpob.ts";
import { medquicktune } from "./medquicktune.ts";
import { quicktune } from "./quicktune.ts";
import type { Importer } from "./types.ts";

/** In detection order: a folder with a mapping file is generic even if it also holds other files. */
export const IMPORTERS: readonly Importer[] = [generic, quicktune, medquicktune, hpob];

export type { Format, Importer } from "./types.ts";
