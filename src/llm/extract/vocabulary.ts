/**
 * Words that name a domain or an imaging modality, mapped to the card's labels (src/metadata/domains.ts).
 * Meta-Album decides the borderline cases: birds are large_animals (BRD), plankton and insects small_animals
 * (PLK, INS_2), boats vehicles (BTS), textures manufacturing (TEX).
 */

export interface DomainRule {
  domain: string;
  pattern: RegExp;
  /** Higher wins when several domains are named: "leaf disease" beats "leaf", "histopathology" beats "cells". */
  strength: number;
}

export const DOMAIN_RULES: DomainRule[] = [
  { domain: "medical", strength: 3, pattern: /\b(mri|magnetic resonance|ct scans?|ct|computed tomography|x-?rays?|radiograph\w*|dermoscop\w*|dermatolog\w*|skin lesions?|melanoma|histopatholog\w*|patholog\w*|ultrasound|sonograph\w*|fundus|retina\w*|mammogra\w*|radiolog\w*|tumou?rs?|medical|clinical|patients?|lesions?|oncolog\w*|chest)\b/i },
  { domain: "plant_diseases", strength: 3, pattern: /\b((plant|leaf|leaves|crop)\s+(diseases?|patholog\w*|infections?)|diseased (plants?|leaves|crops?)|blight|leaf spots?)\b/i },
  { domain: "remote_sensing", strength: 2, pattern: /\b(satellite|aerial|remote[\s-]sensing|drones?|uav|land[\s-](use|cover)|landsat|sentinel-?2?|earth observation|orthophotos?)\b/i },
  { domain: "microscopy", strength: 2, pattern: /\b(microscop\w*|cells?|bacteri\w*|protozoa\w*|proteins?|micro-?organisms?)\b/i },
  { domain: "small_animals", strength: 2, pattern: /\b(insects?|bugs?|plankton|beetles?|butterfl\w*|moths?|ants?|bees?|spiders?)\b/i },
  { domain: "large_animals", strength: 2, pattern: /\b(birds?|mammals?|wildlife|dogs?|cats?|horses?|elephants?|animals?)\b/i },
  { domain: "vehicles", strength: 2, pattern: /\b(cars?|vehicles?|trucks?|bus(es)?|airplanes?|aeroplanes?|aircraft|planes|boats?|ships?|motorcycles?|traffic)\b/i },
  { domain: "manufacturing", strength: 2, pattern: /\b(textures?|textiles?|fabrics?|surface defects?|defects?|industrial|manufactur\w*|materials?|steel)\b/i },
  { domain: "human_actions", strength: 2, pattern: /\b(human actions?|actions?|activit(y|ies)|sports?|poses?|gestures?|people (doing|playing))\b/i },
  { domain: "ocr", strength: 2, pattern: /\b(ocr|handwrit\w*|characters?|glyphs?|letters|text recognition)\b/i },
  { domain: "plants", strength: 1, pattern: /\b(plants?|flowers?|leaf|leaves|trees?|fung(i|us)|mushrooms?|weeds?|seeds?|botan\w*|herbarium)\b/i },
];

/** Imaging techniques the card knows as modalities; the other medical images (dermoscopy, histology) are "image". */
export const MODALITY_RULES: Array<{ modality: string; pattern: RegExp }> = [
  { modality: "mri", pattern: /\b(mri|magnetic resonance)\b/i },
  { modality: "ct", pattern: /\b(ct|computed tomography|cat scans?)\b/i },
  { modality: "xray", pattern: /\b(x-?rays?|radiograph\w*|mammogra\w*)\b/i },
  { modality: "ultrasound", pattern: /\b(ultrasound|sonograph\w*)\b/i },
  { modality: "tabular", pattern: /\b(tabular|csv|spreadsheet|table of features)\b/i },
  { modality: "image", pattern: /\b(images?|photos?|photographs?|pictures?|pixels?|px|jpe?g|png|dermoscop\w*|histopatholog\w*|microscop\w*|satellite|aerial)\b/i },
];

/** Hyperparameter names as users say them -> the Quick-Tune names the meta-dataset uses. */
export const HYPERPARAMETERS: Array<{ name: string; pattern: RegExp }> = [
  { name: "batch_size", pattern: /\bbatch[\s_-]?size\b|\bbatch\b|\bbs\b/i },
  { name: "lr", pattern: /\blearning[\s_-]?rate\b|\blr\b/i },
  { name: "weight_decay", pattern: /\bweight[\s_-]?decay\b|\bwd\b/i },
  { name: "momentum", pattern: /\bmomentum\b/i },
  { name: "drop", pattern: /\bdrop[\s_-]?out\b|\bdrop[\s_-]?rate\b/i },
  { name: "smoothing", pattern: /\blabel[\s_-]?smoothing\b/i },
];

/** Optimizers of the Quick-Tune space; "use AdamW" fixes opt. */
export const OPTIMIZERS = ["adamw", "adamp", "adam", "sgd"] as const;

/** Families of pretrained image models, to spot model names when the caller gives no list of known models. */
export const MODEL_FAMILY = /\b(resnet|resnext|wide_resnet|vit|deit|beit|swin|convnext|efficientnet|mobilenet|mobilevit|regnet|densenet|xcit|dla|volo|eva|cait|coat|levit|poolformer|twins|edgenext|inception|vgg|dino)[\w.-]*/gi;
