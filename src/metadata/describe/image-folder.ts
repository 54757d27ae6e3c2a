/**
 * Meta-features of an image classification folder (one sub-folder per class, as Meta-Album and torchvision's
 * ImageFolder expect): class counts and class-size statistics from file counts, resolution from the headers
 * of at most `maxImagesPerClass` images per class (the first ones in name order, so results are reproducible).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { classStats, deriveMetaFeatures } from "../meta-features.ts";
import { readHeader } from "./image-header.ts";
import { stats, type DatasetDescription } from "./types.ts";

export const IMAGE_EXTENSIONS = /\.(jpe?g|png|gif|bmp|webp|tiff?)$/i;
export const DEFAULT_MAX_IMAGES_PER_CLASS = 20;

export function describeImageFolder(dir: string, maxImagesPerClass = DEFAULT_MAX_IMAGES_PER_CLASS): DatasetDescription {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError("folder not found", dir, "pass an existing folder with one sub-folder per class");
  const visible = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith("."));
  const classDirs = visible.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  if (!classDirs.length) {
    const what = visible.length ? `no class sub-folders (found ${visible.length} files)` : "the folder is empty";
    throw new InputError(what, dir, "put the images in one sub-folder per class: <dir>/<class>/<image>.jpg");
  }
  const classCounts: Record<string, number> = {};
  const widths: number[] = [];
  const heights: number[] = [];
  const channelCounts = new Map<number, number>();
  let unreadable = 0;
  for (const cls of classDirs) {
    const images = readdirSync(path.join(dir, cls)).filter((f) => IMAGE_EXTENSIONS.test(f) && !f.startsWith(".")).sort();
    if (!images.length) throw new InputError(`class folder ${JSON.stringify(cls)} has no images`, path.join(dir, cls), "remove the empty class folder or add its images (jpg, png, ...)");
    classCounts[cls] = images.length;
    for (const f of images.slice(0, maxImagesPerClass)) {
      const h = readHeader(path.join(dir, cls, f));
      if (!h) {
        unreadable++;
        continue;
      }
      widths.push(h.width);
      heights.push(h.height);
      if (h.channels) channelCounts.set(h.channels, (channelCounts.get(h.channels) ?? 0) + 1);
    }
  }
  if (classDirs.length < 2) throw new InputError(`only one class folder (${classDirs[0]})`, dir, "a classification dataset needs at least 2 class sub-folders");
  if (!widths.length) throw new InputError("no readable image among the sampled files", dir, "check that the files are images (jpg, png, ...), not renamed other files");
  const counts = Object.values(classCounts);
  const n = counts.reduce((a, b) => a + b, 0);
  const w = stats(widths);
  const h = stats(heights);
  // The most common channel count among the sampled images.
  const channels = [...channelCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  // image_size: the mean side of a square with each image's area, comparable to a card's imageSize.
  const side = stats(widths.map((x, i) => Math.sqrt(x * heights[i]))).mean;
  return {
    kind: "image-folder",
    name: path.basename(path.resolve(dir)),
    metaFeatures: { ...deriveMetaFeatures({ n_samples: n, n_classes: counts.length, image_size: side, channels }), ...classStats(counts) },
    modality: "image",
    classCounts,
    images: { sampled: widths.length, unreadable, width: w, height: h, channels },
  };
}
