/** Minimal valid image files of known size, built byte by byte (image-size only needs the headers). */
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A black PNG; colorType 0 = grey (1 channel), 2 = RGB (3), 6 = RGBA (4). */
export function png(width: number, height: number, colorType: 0 | 2 | 6 = 2): Buffer {
  const bpp = { 0: 1, 2: 3, 6: 4 }[colorType];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = colorType;
  const raw = Buffer.alloc((width * bpp + 1) * height); // filter byte 0 + zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** SOI, APP segments totalling `padding` bytes (push the SOF further in, like EXIF), SOF0 with `components` channels, EOI. */
export function jpeg(width: number, height: number, components = 3, padding = 16): Buffer {
  const apps: Buffer[] = [];
  for (let left = padding; left > 0; left -= 60000) {
    const n = Math.min(left, 60000);
    const app = Buffer.alloc(4 + n);
    app.writeUInt16BE(0xffe1, 0);
    app.writeUInt16BE(2 + n, 2);
    apps.push(app);
  }
  const sof = Buffer.alloc(2 + 2 + 6 + 3 * components);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(8 + 3 * components, 2);
  sof[4] = 8; // precision
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  sof[9] = components;
  for (let i = 0; i < components; i++) [sof[10 + 3 * i], sof[11 + 3 * i], sof[12 + 3 * i]] = [i + 1, 0x11, 0];
  return Buffer.concat([Buffer.from([0xff, 0xd8]), ...apps, sof, Buffer.from([0xff, 0xd9])]);
}
