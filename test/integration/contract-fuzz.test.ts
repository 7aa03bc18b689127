import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessPorts } from '../../electron/core/app/app-ports.ts';
import { startTapedeckApp, type TapedeckApp } from '../../electron/core/app/tapedeck-app.ts';
import type { Logger } from '../../electron/core/logger.ts';
import { contract, METHOD_NAMES, type MethodName, type Reply } from '../../shared/contract.ts';

const ERROR_CODES = new Set([
  'invalid_input',
  'unknown_method',
  'forbidden',
  'not_found',
  's3_config_missing',
  'config_invalid',
  'credentials_unavailable',
  's3_refused',
  's3_unavailable',
  'conflict',
  'io_error',
  'internal',
]);
const PAYLOADS_PER_METHOD = 150;

/** mulberry32: a seeded generator, so a failure names a payload that can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRANGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '../../etc/passwd',
  '%00',
  'dispatch_1754653479_15103455686',
  '__proto__',
  'constructor',
  '😀'.repeat(50),
  'x'.repeat(1_000_000),
  "'; DROP TABLE interactions; --",
  '<script>alert(1)</script>',
];
const STRANGE_NUMBERS = [
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e308,
  Number.NaN,
  Infinity,
];

function anyValue(next: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  switch (Math.floor(next() * (depth > 2 ? 5 : 7))) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return pick(STRANGE_NUMBERS);
    case 3:
      return pick(STRANGE_STRINGS);
    case 4:
      return undefined;
    case 5:
      // Now and then one oversized list of scalars; otherwise short lists that nest.
      return depth === 0 && next() < 0.1
        ? Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? i : STRANGE_STRINGS[i % 9]))
        : Array.from({ length: Math.floor(next() * 4) }, () => anyValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(next() * 4); i += 1)
        object[pick(FIELD_NAMES)] = anyValue(next, depth + 1);
      return object;
    }
  }
}

/** Every field name the contract's inputs use, plus a few that should never be trusted. */
const FIELD_NAMES = [
  ...new Set(
    METHOD_NAMES.flatMap((method) => {
      const shape = (contract.methods[method].input as { shape?: Record<string, unknown> }).shape;
      return shape ? Object.keys(shape) : [];
    }),
  ),
  '__proto__',
  'constructor',
  'prototype',
];

/** A valid-looking payload with one field of the wrong kind: the cases a schema most often lets through. */
function nearlyValid(method: MethodName, next: () => number): unknown {
  const shape = (contract.methods[method].input as { shape?: Record<string, unknown> }).shape ?? {};
  const names = Object.keys(shape);
  if (names.length === 0) return anyValue(next);
  const name = names[Math.floor(next() * names.length)]!;
  return { [name]: anyValue(next) };
}

let dir: string;
let app: TapedeckApp;
const logged: string[] = [];
const log: Logger = {
  info: () => {},
  warn: (message) => logged.push(message),
  error: (message) => logged.push(message),
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-fuzz-'));
  app = await startTapedeckApp({
    dataDir: join(dir, 'data'),
    env: { TAPEDECK_DOWNLOADS_DIR: join(dir, 'downloads') },
    ports: headlessPorts(join(dir, 'unused')),
    log,
    demo: 'force',
    listen: false,
  });
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('every contract method under random, oversized and wrongly typed payloads', () => {
  it.each(METHOD_NAMES)('%s answers each with a typed reply, never a throw or a crash', async (method) => {
    const next = random(METHOD_NAMES.indexOf(method) + 1);
    for (let i = 0; i < PAYLOADS_PER_METHOD; i += 1) {
      const payload = i % 2 === 0 ? anyValue(next) : nearlyValid(method, next);
      const reply = (await app.call(method, payload)) as Reply<unknown>;
      if (reply.ok) {
        expect(() => contract.methods[method].output.parse(reply.value)).not.toThrow();
      } else {
        expect(ERROR_CODES.has(reply.error.code), `code ${reply.error.code} for payload #${i}`).toBe(true);
        expect(reply.error.message.length).toBeGreaterThan(0);
        expect(reply.error.message.length).toBeLessThan(2000); // an oversized input is not echoed back
        expect(reply.error.message).not.toMatch(/\n\s+at /); // no stack trace
      }
    }
    // Still answering, still the demo, nothing unexpected logged.
    const status = (await app.call('library:status', {})) as Reply<{ mode: string }>;
    expect(status).toMatchObject({ ok: true, value: { mode: 'demo' } });
    expect(logged.filter((line) => /failed: /.test(line))).toEqual([]);
  });

  it('refuses names outside the contract, including inherited ones', async () => {
    for (const name of [
      'toString',
      '__proto__',
      'constructor',
      'recordings:delete',
      '',
      null,
      42,
      { method: 'x' },
    ]) {
      const reply = (await app.call(name, {})) as Reply<unknown>;
      expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });
});
