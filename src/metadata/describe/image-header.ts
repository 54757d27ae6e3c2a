/**
 * Image dimensions and channel count from the first bytes of a file, never decoding pixels: image-size for
 * width/height (all common formats), and the PNG IHDR colour type / JPEG SOF component count for channels
 * (image-size does not report them).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { imageSize } from "image-size";

export interface Header {
  width: number;
  height: number;
  channels?: number;
}

/** JPEG SOF can sit behind a large EXIF block: retry with a longer prefix before giving up. */
const PREFIXES = [4096, 65536, 1 << 20];
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

export function readHeader(file: string): Header | undefined {
  const fd = openSync(file, "r");
  try {
    let prev = -1;
    for (const n of PREFIXES) {
      const buf = Buffer.alloc(n);
      const got = readSync(fd, buf, 0, n, 0);
      if (got === prev) break; // the whole file was already read
      prev = got;
      const bytes = buf.subarray(0, got);
      try {
        const { width, height } = imageSize(bytes);
        return { width, height, channels: channels(bytes) };
      } catch {
        /* too short or not an image: try a longer prefix */
      }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function channels(b: Uint8Array): number | undefined {
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return PNG_CHANNELS[b[25]];
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  // Walk the JPEG segments to the first start-of-frame marker (C0-CF except C4 DHT, C8 JPG, CC DAC).
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return b[i + 9];
    i += 2 + ((b[i + 2] << 8) | b[i + 3]);
  }
  return undefined;
}
