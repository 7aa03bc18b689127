import { describe, expect, it } from 'vitest';
import { callContractMethod } from '../../../../electron/core/contract/call-contract-method.ts';
import type { Logger } from '../../../../electron/core/logger.ts';
import { ServiceError } from '../../../../electron/core/service-error.ts';
import {
  METHOD_NAMES,
  type ContractHandlers,
  type MethodName,
  type Reply,
} from '../../../../shared/contract.ts';

interface Received {
  readonly method: MethodName;
  readonly input: unknown;
}

function capturingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, warn() {}, error: (message) => errors.push(message) };
}

/** Handlers that record what they receive and answer `{ handled: method }`, with some replaced. */
function recordingHandlers(
  overrides: Partial<Record<MethodName, (input: unknown) => Promise<unknown>>> = {},
): { handlers: ContractHandlers; received: Received[] } {
  const received: Received[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((method) => [
      method,
      async (input: unknown) => {
        received.push({ method, input });
        const override = overrides[method];
        return override ? override(input) : { handled: method };
      },
    ]),
  ) as unknown as ContractHandlers;
  return { handlers, received };
}

function failureOf(reply: Reply<unknown>): { code: string; message: string } {
  if (reply.ok) throw new Error(`expected a failure, got ${JSON.stringify(reply.value)}`);
  return reply.error;
}

describe('calling a contract method', () => {
  it('answers with the handler value as { ok: true, value }', async () => {
    const { handlers } = recordingHandlers();
    await expect(callContractMethod(handlers, 'downloads:list', {}, capturingLogger())).resolves.toEqual({
      ok: true,
      value: { handled: 'downloads:list' },
    });
  });

  it.each([['recordings:delete'], ['toString'], ['__proto__'], [''], [42], [null]])(
    'refuses %j as unknown_method without calling any handler',
    async (method) => {
      const { handlers, received } = recordingHandlers();
      const error = failureOf(await callContractMethod(handlers, method, {}, capturingLogger()));

      expect(error.code).toBe('unknown_method');
      expect(error.message).toBe(`"${String(method)}" is not a Tapedeck method.`);
      expect(received).toEqual([]);
    },
  );

  it('cuts a very long unknown method name in its message', async () => {
    const { handlers } = recordingHandlers();
    const error = failureOf(await callContractMethod(handlers, 'x'.repeat(5000), {}, capturingLogger()));
    expect(error.message).toBe(`"${'x'.repeat(100)}" is not a Tapedeck method.`);
  });

  it('fills in the defaults, so the handler of recordings:list gets limit 200, offset 0, search ""', async () => {
    const { handlers, received } = recordingHandlers();
    await callContractMethod(handlers, 'recordings:list', { status: ['COMPLETED'] }, capturingLogger());

    expect(received).toEqual([
      {
        method: 'recordings:list',
        input: {
          search: '',
          status: ['COMPLETED'],
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
        },
      },
    ]);
  });

  it('takes a missing payload as an empty one', async () => {
    const { handlers, received } = recordingHandlers();
    const reply = await callContractMethod(handlers, 'library:status', undefined, capturingLogger());

    expect(reply.ok).toBe(true);
    expect(received).toEqual([{ method: 'library:status', input: {} }]);
  });
});

describe('a payload that does not match the schema', () => {
  it('is refused as invalid_input naming the field, before the handler runs', async () => {
    const { handlers, received } = recordingHandlers();
    const error = failureOf(
      await callContractMethod(handlers, 'recordings:list', { limit: 5000 }, capturingLogger()),
    );

    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^recordings:list: limit: .*1000/);
    expect(received).toEqual([]);
  });

  it('names every bad field of one payload', async () => {
    const { handlers } = recordingHandlers();
    const error = failureOf(
      await callContractMethod(handlers, 'recordings:list', { search: 42, offset: -1 }, capturingLogger()),
    );

    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('search: ');
    expect(error.message).toContain('offset: ');
  });

  it('refuses an unknown key for settings:update, which is strict, naming the key', async () => {
    const { handlers, received } = recordingHandlers();
    const error = failureOf(
      await callContractMethod(
        handlers,
        'settings:update',
        { bucket: 'calls', secretKey: 'typo of secretAccessKey' },
        capturingLogger(),
      ),
    );

    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(/^settings:update: input: .*"secretKey"/);
    expect(error.message).not.toContain('typo of secretAccessKey');
    expect(received).toEqual([]);
  });

  it('names a nested field by its path', async () => {
    const { handlers } = recordingHandlers();
    const error = failureOf(
      await callContractMethod(handlers, 'downloads:start', { interactionIds: ['a', 7] }, capturingLogger()),
    );
    expect(error.message).toMatch(/^downloads:start: interactionIds\.1: /);
  });

  it('lists at most five problems and says how many more there are', async () => {
    const { handlers } = recordingHandlers();
    const error = failureOf(
      await callContractMethod(
        handlers,
        'recordings:list',
        {
          search: 1,
          status: 'x',
          outcome: 'y',
          from: 'yesterday',
          to: 'today',
          hasRecording: 'yes',
          limit: 0,
        },
        capturingLogger(),
      ),
    );
    expect(error.message.split('; ')).toHaveLength(5);
    expect(error.message).toMatch(/ \(and 2 more\)\.$/);
  });
});

describe('a handler that fails', () => {
  it('passes on a ServiceError as its code and message', async () => {
    const { handlers } = recordingHandlers({
      'downloads:reveal': async () => {
        throw new ServiceError(
          'conflict',
          'Louis Smith_15103455686_2025-08-08_114445.mp4 is not finished yet.',
        );
      },
    });
    const log = capturingLogger();
    const error = failureOf(await callContractMethod(handlers, 'downloads:reveal', { id: 'd1' }, log));

    expect(error).toEqual({
      code: 'conflict',
      message: 'Louis Smith_15103455686_2025-08-08_114445.mp4 is not finished yet.',
    });
    expect(log.errors).toEqual([]);
  });

  it('hides an unexpected error behind a generic internal message, logging the details', async () => {
    const { handlers } = recordingHandlers({
      'sync:start': async () => {
        throw new Error('SQLITE_CORRUPT at /home/louis/.tapedeck/catalog.sqlite');
      },
    });
    const log = capturingLogger();
    const error = failureOf(await callContractMethod(handlers, 'sync:start', {}, log));

    expect(error).toEqual({
      code: 'internal',
      message: 'Something went wrong inside Tapedeck; the log has the details.',
    });
    expect(error.message).not.toContain('SQLITE_CORRUPT');
    expect(log.errors).toHaveLength(1);
    expect(log.errors[0]).toMatch(/^sync:start failed: Error: SQLITE_CORRUPT at \/home\/louis/);
  });

  it('treats a thrown non-Error the same way', async () => {
    const { handlers } = recordingHandlers({
      'settings:get': async () => {
        throw 'a bare string';
      },
    });
    const log = capturingLogger();
    const error = failureOf(await callContractMethod(handlers, 'settings:get', {}, log));

    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('a bare string');
    expect(log.errors).toEqual(['settings:get failed: a bare string']);
  });
});
