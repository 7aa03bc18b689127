import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../electron/core/config.ts';
import { readUpstreamConfig } from '../../../../electron/core/upstream/upstream-config.ts';
import {
  UPSTREAM_PAGE_SIZE_DEFAULT,
  UpstreamSync,
  upstreamSyncStatusSchema,
} from '../../../../electron/core/upstream/upstream-sync.ts';
import { LIST_LIMIT_MAX } from '../../../../shared/recording.ts';

const read = (url: string | undefined, token?: string) =>
  readUpstreamConfig({ TAPEDECK_UPSTREAM_URL: url, TAPEDECK_UPSTREAM_TOKEN: token });

function configError(url: string, token?: string): string {
  try {
    read(url, token);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected a ConfigError for ${url}`);
}

describe('readUpstreamConfig', () => {
  it('is null when TAPEDECK_UPSTREAM_URL is unset or blank', () => {
    expect(readUpstreamConfig({})).toBeNull();
    expect(read('   ')).toBeNull();
    expect(read('', 'a-token')).toBeNull();
  });

  it('strips trailing slashes and keeps a path prefix', () => {
    expect(read('https://recordings.example.com')).toEqual({
      baseUrl: 'https://recordings.example.com',
      token: undefined,
    });
    expect(read(' https://recordings.example.com/// ')?.baseUrl).toBe('https://recordings.example.com');
    expect(read('https://host.example/api/')?.baseUrl).toBe('https://host.example/api');
    expect(read('http://127.0.0.1:8000/v1/recordings-api')?.baseUrl).toBe(
      'http://127.0.0.1:8000/v1/recordings-api',
    );
  });

  it('reads the token, dropping a pasted "Bearer " and surrounding spaces', () => {
    expect(read('https://h.example', '  abc.DEF-123_~+/=  ')?.token).toBe('abc.DEF-123_~+/=');
    expect(read('https://h.example', 'Bearer abc123')?.token).toBe('abc123');
    expect(read('https://h.example', '   ')?.token).toBeUndefined();
  });

  it('refuses a URL that is not http(s), saying what to use', () => {
    expect(configError('ftp://files.example.com')).toBe(
      'TAPEDECK_UPSTREAM_URL must be http:// or https://, got "ftp://files.example.com". ' +
        'Use e.g. https://recordings.example.com',
    );
    expect(configError('recordings.example.com')).toBe(
      'TAPEDECK_UPSTREAM_URL is not a URL: "recordings.example.com". Use e.g. https://recordings.example.com',
    );
  });

  it('refuses credentials, a query or a fragment in the URL, without repeating a password', () => {
    const withPassword = configError('https://user:hunter2@h.example');
    expect(withPassword).toContain('TAPEDECK_UPSTREAM_TOKEN instead');
    expect(withPassword).not.toContain('hunter2');
    expect(configError('https://h.example/?key=1')).toContain('without "?…" or "#…"');
    expect(configError('https://h.example/#list')).toContain('without "?…" or "#…"');
  });

  it('refuses a token a header cannot carry, without quoting it', () => {
    const message = configError('https://h.example', 'secret-part\nsecond-line');
    expect(message).toContain('TAPEDECK_UPSTREAM_TOKEN contains spaces, line breaks');
    expect(message).not.toContain('secret-part');
    expect(configError('https://h.example', 'two words')).toContain('set it to the token alone');
  });
});

describe('UpstreamSync before it runs', () => {
  const store = { upsertInteractions: () => {} };

  it('is idle, in the shape its schema describes', () => {
    const status = new UpstreamSync({ baseUrl: 'https://h.example', store }).status();
    expect(upstreamSyncStatusSchema.parse(status)).toEqual({
      state: 'idle',
      startedAt: null,
      finishedAt: null,
      pagesFetched: 0,
      interactionsCached: 0,
      itemsSkipped: 0,
      error: null,
      resumedFromOffset: null,
    });
  });

  it('pages by 100 by default and refuses a page size the API would cap', () => {
    expect(UPSTREAM_PAGE_SIZE_DEFAULT).toBe(100);
    expect(
      () => new UpstreamSync({ baseUrl: 'https://h.example', store, pageSize: LIST_LIMIT_MAX }),
    ).not.toThrow();
    for (const pageSize of [0, LIST_LIMIT_MAX + 1, 2.5]) {
      expect(() => new UpstreamSync({ baseUrl: 'https://h.example', store, pageSize })).toThrow(RangeError);
    }
  });
});
