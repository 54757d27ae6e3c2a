/**
 * What is publicly known about pretrained image models before anyone fine-tunes them: size, ImageNet-1k top-1
 * and pretraining resolution (timm's published model cards and results tables; rounded). One-hot model columns
 * let the trees learn each model apart; these let them share what models of a kind have in common (a large,
 * accurate model on a small dataset), which is what carries to datasets unlike the past ones (issue #13).
 * Models not listed get no values (NaN: the trees' default direction).
 */

export interface ModelDescriptor {
  /** Parameters, millions. */
  paramsM: number;
  /** ImageNet-1k top-1 accuracy (%) of the pretrained checkpoint. */
  imagenetTop1: number;
  /** Input resolution the checkpoint was trained at (pixels). */
  resolution: number;
}

const zoo = (paramsM: number, imagenetTop1: number, resolution: number): ModelDescriptor => ({ paramsM, imagenetTop1, resolution });

/** The Quick-Tune zoo (timm names). */
export const MODEL_ZOO: Readonly<Record<string, ModelDescriptor>> = {
  beit_base_patch16_384: zoo(86.7, 86.8, 384),
  beit_large_patch16_512: zoo(305.7, 88.6, 512),
  convnext_small_384_in22ft1k: zoo(50.2, 85.8, 384),
  deit3_small_patch16_384_in21ft1k: zoo(22.2, 84.8, 384),
  dla46x_c: zoo(1.07, 65.9, 224),
  edgenext_small: zoo(5.59, 79.4, 256),
  edgenext_x_small: zoo(2.34, 75.7, 256),
  edgenext_xx_small: zoo(1.33, 71.1, 256),
  mobilevit_xs: zoo(2.32, 74.6, 256),
  mobilevit_xxs: zoo(1.27, 68.9, 256),
  mobilevitv2_075: zoo(2.87, 75.6, 256),
  swinv2_base_window12to24_192to384_22kft1k: zoo(87.9, 87.1, 384),
  tf_efficientnet_b4_ns: zoo(19.3, 85.2, 380),
  tf_efficientnet_b6_ns: zoo(43.0, 86.5, 528),
  tf_efficientnet_b7_ns: zoo(66.4, 86.8, 600),
  volo_d1_384: zoo(26.8, 85.2, 384),
  volo_d3_448: zoo(86.3, 86.5, 448),
  volo_d4_448: zoo(193.0, 86.8, 448),
  volo_d5_448: zoo(296.0, 87.0, 448),
  volo_d5_512: zoo(296.0, 87.1, 512),
  xcit_nano_12_p8_384_dist: zoo(3.05, 77.8, 384),
  xcit_small_12_p8_384_dist: zoo(26.2, 85.1, 384),
  xcit_tiny_12_p8_384_dist: zoo(6.7, 82.4, 384),
  xcit_tiny_24_p8_384_dist: zoo(12.1, 83.7, 384),
};

/** The columns a descriptor becomes, in the units the trees read (size in orders of magnitude). */
export const DESCRIPTOR_COLUMNS = {
  log10_params: (d: ModelDescriptor) => Math.log10(d.paramsM * 1e6),
  imagenet_top1: (d: ModelDescriptor) => d.imagenetTop1,
  pretrain_resolution: (d: ModelDescriptor) => d.resolution,
} as const;
export type DescriptorColumn = keyof typeof DESCRIPTOR_COLUMNS;

/** Descriptor values of the models the zoo knows; undefined when it knows fewer than two (nothing to share). */
export function describeModels(models: string[]): Record<string, Record<DescriptorColumn, number>> | undefined {
  const known = models.filter((m) => Object.hasOwn(MODEL_ZOO, m));
  if (known.length < 2) return undefined;
  const cols = Object.entries(DESCRIPTOR_COLUMNS) as [DescriptorColumn, (d: ModelDescriptor) => number][];
  return Object.fromEntries(known.map((m) => [m, Object.fromEntries(cols.map(([k, f]) => [k, f(MODEL_ZOO[m])])) as Record<DescriptorColumn, number>]));
}
