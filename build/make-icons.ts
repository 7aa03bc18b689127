/**
 * Draws Tapedeck's icon (a cassette on a sunset tile) and writes build/icon.png (1024×1024),
 * build/icon.ico (16–256 px) and build/icon.icns (16–1024 px, PNG entries). No image tools needed:
 * shapes are signed distance fields (so edges are anti-aliased at any size), smaller sizes are
 * box-filtered down from 1024, and the three file formats are written here.
 *
 *   npx tsx build/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];
/** Premultiplied RGBA, 0..1. */
type Pixels = Float32Array;

export interface Image {
  readonly size: number;
  readonly rgba: Uint8Array;
}

const SIZE = 1024;

const hex = (value: string, alpha = 1): Rgba => [
  parseInt(value.slice(1, 3), 16) / 255,
  parseInt(value.slice(3, 5), 16) / 255,
  parseInt(value.slice(5, 7), 16) / 255,
  alpha,
];

// ---- shapes as signed distances (negative inside), in pixels --------------------------------------

type Sdf = (x: number, y: number) => number;

const roundedRect =
  (cx: number, cy: number, width: number, height: number, radius: number): Sdf =>
  (x, y) => {
    const qx = Math.abs(x - cx) - (width / 2 - radius);
    const qy = Math.abs(y - cy) - (height / 2 - radius);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
  };

const circle =
  (cx: number, cy: number, radius: number): Sdf =>
  (x, y) =>
    Math.hypot(x - cx, y - cy) - radius;

/** A trapezoid, wider at the bottom (the cassette's head opening). */
const trapezoid =
  (cx: number, top: number, bottom: number, topWidth: number, bottomWidth: number): Sdf =>
  (x, y) => {
    const t = Math.min(Math.max((y - top) / (bottom - top), 0), 1);
    const half = (topWidth + (bottomWidth - topWidth) * t) / 2;
    const slope = Math.cos(Math.atan2((bottomWidth - topWidth) / 2, bottom - top));
    return Math.max(top - y, y - bottom, (Math.abs(x - cx) - half) * slope);
  };

const ring =
  (inner: Sdf, width: number): Sdf =>
  (x, y) =>
    Math.abs(inner(x, y)) - width / 2;

// ---- painting ---------------------------------------------------------------------------------------

function paint(pixels: Pixels, shape: Sdf, color: (x: number, y: number) => Rgba, softness = 1): void {
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < SIZE; x += 1) {
      const d = shape(x + 0.5, y + 0.5);
      if (d > softness) continue;
      const coverage = Math.min(Math.max(0.5 - d / softness, 0), 1);
      const [r, g, b, a] = color(x + 0.5, y + 0.5);
      const alpha = a * coverage;
      const i = (y * SIZE + x) * 4;
      pixels[i] = r * alpha + pixels[i]! * (1 - alpha);
      pixels[i + 1] = g * alpha + pixels[i + 1]! * (1 - alpha);
      pixels[i + 2] = b * alpha + pixels[i + 2]! * (1 - alpha);
      pixels[i + 3] = alpha + pixels[i + 3]! * (1 - alpha);
    }
  }
}

const solid = (color: Rgba) => (): Rgba => color;

const verticalGradient =
  (top: Rgba, bottom: Rgba, from: number, to: number) =>
  (_x: number, y: number): Rgba => {
    const t = Math.min(Math.max((y - from) / (to - from), 0), 1);
    return [0, 1, 2, 3].map((c) => top[c]! + (bottom[c]! - top[c]!) * t) as unknown as Rgba;
  };

/** The 1024×1024 master, premultiplied. */
export function drawIcon(): Pixels {
  const pixels: Pixels = new Float32Array(SIZE * SIZE * 4);
  const ink = hex('#2a2140');
  const cream = hex('#fff7ee');
  const paper = hex('#f3e6d8');
  const sunsetTop = hex('#ff9a4d');
  const sunsetBottom = hex('#e3386a');

  // The tile: macOS's icon grid (824 px inside a 1024 canvas), a sunset gradient, a soft top light.
  paint(pixels, roundedRect(512, 512, 824, 824, 186), verticalGradient(sunsetTop, sunsetBottom, 100, 924));
  paint(
    pixels,
    roundedRect(512, 300, 760, 380, 170),
    verticalGradient(hex('#ffffff', 0.16), hex('#ffffff', 0), 110, 480),
  );

  // The cassette, with a soft shadow under it.
  const body = roundedRect(512, 536, 664, 432, 48);
  paint(pixels, (x, y) => body(x, y - 18) - 6, solid(hex('#5a1030', 0.28)), 36);
  paint(pixels, body, solid(cream));

  // The label, its stripe, and the window the reels show through.
  paint(pixels, roundedRect(512, 470, 580, 236, 26), solid(ink));
  paint(pixels, roundedRect(512, 386, 500, 14, 7), solid(sunsetTop));
  paint(pixels, roundedRect(512, 386 + 22, 500, 8, 4), solid(sunsetBottom));
  paint(pixels, roundedRect(512, 492, 376, 124, 62), solid(paper));
  // Tape wound on each reel (more on the left: it has been played a while), and the hubs.
  paint(pixels, circle(416, 492, 52), solid(hex('#4a3a5e')));
  paint(pixels, circle(608, 492, 38), solid(hex('#4a3a5e')));
  for (const cx of [416, 608]) {
    paint(pixels, circle(cx, 492, 26), solid(cream));
    paint(pixels, ring(circle(cx, 492, 16), 7), solid(ink));
  }

  // The head opening at the bottom, with its two guide holes.
  paint(pixels, trapezoid(512, 652, 752, 380, 470), solid(paper));
  for (const cx of [452, 572]) paint(pixels, circle(cx, 712, 15), solid(ink));
  // Corner screws.
  for (const [cx, cy] of [
    [216, 352],
    [808, 352],
    [216, 720],
    [808, 720],
  ] as const) {
    paint(pixels, circle(cx, cy, 11), solid(paper));
  }
  return pixels;
}

/** For each target index, the source indices it covers and how much of each (area averaging). */
function areaWeights(from: number, to: number): Array<Array<readonly [number, number]>> {
  const scale = from / to;
  return Array.from({ length: to }, (_, index) => {
    const start = index * scale;
    const end = start + scale;
    const weights: Array<readonly [number, number]> = [];
    for (let source = Math.floor(start); source < Math.ceil(end); source += 1) {
      const covered = Math.min(end, source + 1) - Math.max(start, source);
      if (covered > 0) weights.push([source, covered / scale]);
    }
    return weights;
  });
}

/** Area-averages the premultiplied master down to `size` × `size` and un-premultiplies it. */
export function resize(master: Pixels, size: number): Image {
  const weights = areaWeights(SIZE, size);
  // Rows first (SIZE rows × size columns), then columns.
  const rows = new Float32Array(SIZE * size * 4);
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < size; x += 1) {
      for (const [source, weight] of weights[x]!) {
        for (let c = 0; c < 4; c += 1)
          rows[(y * size + x) * 4 + c]! += master[(y * SIZE + source) * 4 + c]! * weight;
      }
    }
  }
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const sum = [0, 0, 0, 0];
      for (const [source, weight] of weights[y]!) {
        for (let c = 0; c < 4; c += 1) sum[c]! += rows[(source * size + x) * 4 + c]! * weight;
      }
      const alpha = Math.min(sum[3]!, 1);
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c += 1) {
        rgba[o + c] = alpha > 0 ? Math.round(Math.min(sum[c]! / alpha, 1) * 255) : 0;
      }
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
  return { size, rgba };
}

// ---- file formats -----------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function encodePng({ size, rgba }: Image): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    rows[y * (size * 4 + 1)] = 0; // no filter
    rows.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

/** A 32-bit BMP entry for an .ico: bottom-up BGRA, then an all-clear AND mask (alpha does the work). */
function icoBitmap({ size, rgba }: Image): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour rows + mask rows
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2]!;
      pixels[to + 1] = rgba[from + 1]!;
      pixels[to + 2] = rgba[from]!;
      pixels[to + 3] = rgba[from + 3]!;
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

/** Windows icon: BMP entries below 256 px (what every reader understands), PNG at 256 (Vista and later). */
export function encodeIco(images: readonly Image[]): Buffer {
  const entries = images.map((image) => ({
    size: image.size,
    data: image.size >= 256 ? encodePng(image) : icoBitmap(image),
  }));
  const directory = Buffer.alloc(6 + 16 * entries.length);
  directory.writeUInt16LE(0, 0);
  directory.writeUInt16LE(1, 2);
  directory.writeUInt16LE(entries.length, 4);
  let offset = directory.length;
  entries.forEach((entry, index) => {
    const at = 6 + 16 * index;
    directory[at] = entry.size >= 256 ? 0 : entry.size; // 0 means 256
    directory[at + 1] = entry.size >= 256 ? 0 : entry.size;
    directory.writeUInt16LE(1, at + 4); // planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(entry.data.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += entry.data.length;
  });
  return Buffer.concat([directory, ...entries.map((entry) => entry.data)]);
}

/** The PNG-backed ICNS types and the pixel size of each (as iconutil writes them). */
export const ICNS_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic13', 256], // 128@2x
  ['ic08', 256],
  ['ic14', 512], // 256@2x
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
];

/** macOS icon: a header, then one (type, length, PNG) element per size. */
export function encodeIcns(pngOfSize: (size: number) => Buffer): Buffer {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const data = pngOfSize(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([head, data]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + elements.reduce((total, element) => total + element.length, 0), 4);
  return Buffer.concat([header, ...elements]);
}

export function makeIcons(outDir: string): void {
  const master = drawIcon();
  const pngs = new Map<number, Buffer>();
  const pngOfSize = (size: number) => {
    if (!pngs.has(size)) pngs.set(size, encodePng(resize(master, size)));
    return pngs.get(size)!;
  };
  writeFileSync(join(outDir, 'icon.png'), pngOfSize(SIZE));
  writeFileSync(join(outDir, 'icon.icns'), encodeIcns(pngOfSize));
  writeFileSync(
    join(outDir, 'icon.ico'),
    encodeIco([16, 24, 32, 48, 64, 128, 256].map((size) => resize(master, size))),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  makeIcons(dirname(fileURLToPath(import.meta.url)));
  console.log('wrote build/icon.png, build/icon.icns, build/icon.ico');
}
