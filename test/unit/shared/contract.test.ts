import { describe, expect, it } from 'vitest';
import {
  EVENT_NAMES,
  METHOD_NAMES,
  callQuerySchema,
  clientFrom,
  contract,
  isEventName,
  isMethodName,
  settingsViewSchema,
  type MethodName,
} from '../../../shared/contract.ts';

const DOMAIN_VERB = /^[a-z]+:[a-z][a-zA-Z]*$/;

describe('the contract', () => {
  it('names every method and event domain:verb', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(0);
    for (const name of [...METHOD_NAMES, ...EVENT_NAMES]) expect(name).toMatch(DOMAIN_VERB);
  });

  it('lists exactly the methods and events it declares', () => {
    expect(METHOD_NAMES).toEqual(Object.keys(contract.methods));
    expect(EVENT_NAMES).toEqual(Object.keys(contract.events));
    expect(METHOD_NAMES).toContain('recordings:list');
    expect(EVENT_NAMES).toContain('downloads:progress');
  });

  it('never lets a key out in the settings the renderer sees', () => {
    const view = settingsViewSchema.parse({
      bucket: 'calls',
      prefix: '',
      region: 'us-west-2',
      endpoint: '',
      forcePathStyle: false,
      credentialSource: 'stored-keys',
      profile: '',
      hasStoredKeys: true,
      downloadsDir: '/home/louis/Downloads',
      apiPort: 8000,
      syncIntervalMinutes: 15,
      lockedByEnvironment: [],
      pinnedByEnvironment: [],
      storedKeys: { available: true, reason: null },
      reviewerName: 'louis',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });
    expect(JSON.stringify(view)).not.toContain('EXAMPLE');
    expect(view.hasStoredKeys).toBe(true);
  });

  it('fills a list query with its defaults: the first 200 calls, unfiltered', () => {
    expect(callQuerySchema.parse({})).toEqual({
      search: '',
      status: [],
      outcome: [],
      from: null,
      to: null,
      hasRecording: null,
      review: [],
      scoreMin: null,
      scoreMax: null,
      reviewTag: null,
      reviewer: null,
      reviewForm: null,
      said: null,
      saidBy: null,
      offset: 0,
      limit: 200,
    });
  });
});

describe('isMethodName and isEventName', () => {
  it('accept the declared names', () => {
    for (const name of METHOD_NAMES) expect(isMethodName(name)).toBe(true);
    for (const name of EVENT_NAMES) expect(isEventName(name)).toBe(true);
  });

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'])(
    'reject the inherited name %j',
    (name) => {
      expect(isMethodName(name)).toBe(false);
      expect(isEventName(name)).toBe(false);
    },
  );

  it('reject an event as a method, a method as an event, and what is not a string', () => {
    expect(isMethodName('downloads:progress')).toBe(false);
    expect(isEventName('downloads:start')).toBe(false);
    expect(isMethodName(undefined)).toBe(false);
    expect(isMethodName({ toString: () => 'downloads:list' })).toBe(false);
    expect(isMethodName('Downloads:list')).toBe(false);
  });
});

describe('clientFrom', () => {
  function clientWithLog() {
    const invoked: { method: MethodName; input: unknown }[] = [];
    const on = () => () => {};
    const client = clientFrom(async (method, input) => {
      invoked.push({ method, input });
      return { ok: true, value: method };
    }, on);
    return { client, invoked, on };
  }

  it('has exactly one function per method, plus on', () => {
    const { client, on } = clientWithLog();
    expect(Object.keys(client).sort()).toEqual([...METHOD_NAMES, 'on'].sort());
    expect(client.on).toBe(on);
  });

  it('invokes each method under its own name, with its input', async () => {
    const { client, invoked } = clientWithLog();
    for (const method of METHOD_NAMES) {
      const call = client[method] as (input: unknown) => Promise<unknown>;
      await expect(call({ marker: method })).resolves.toEqual({ ok: true, value: method });
    }
    expect(invoked).toEqual(METHOD_NAMES.map((method) => ({ method, input: { marker: method } })));
  });

  it('sends an empty object when a method is called without input', async () => {
    const { client, invoked } = clientWithLog();
    const call = client['downloads:list'] as (input?: unknown) => Promise<unknown>;
    await call();
    expect(invoked).toEqual([{ method: 'downloads:list', input: {} }]);
  });
});
