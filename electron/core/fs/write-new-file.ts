import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Writes a new file atomically from a stream: a hidden temporary file beside it is filled, then
 * linked into place, so a crash or a full disk never leaves half a file under the real name. An
 * existing file is never replaced: the new one takes `name (2).ext`, and so on. Returns its path.
 */
export async function writeNewFileAtomically(file: string, body: Readable): Promise<string> {
  const temporary = join(dirname(file), `.${randomBytes(6).toString('hex')}${extname(file)}.tmp`);
  try {
    await pipeline(body, createWriteStream(temporary, { flush: true }));
    return await linkUnder(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

/** Links `temporary` as `file`, or `file (2)`, `file (3)`… when taken (a link never replaces). */
async function linkUnder(temporary: string, file: string): Promise<string> {
  const extension = extname(file);
  const stem = file.slice(0, file.length - extension.length);
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? file : `${stem} (${attempt})${extension}`;
    try {
      await link(temporary, candidate);
      return candidate;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST' || attempt >= 1000) throw error;
    }
  }
}
