import { ConfigError } from '../config.ts';

/** Where a deployed Recording API is, and the bearer token it wants (if any). */
export interface UpstreamConfig {
  /** http(s) origin plus any path prefix, without a trailing slash: `${baseUrl}/recordings` is the list. */
  readonly baseUrl: string;
  readonly token: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

const EXAMPLE = 'https://recordings.example.com';

/**
 * Reads `TAPEDECK_UPSTREAM_URL` and `TAPEDECK_UPSTREAM_TOKEN`; null when no upstream is configured.
 * Messages never quote the token.
 */
export function readUpstreamConfig(env: Env): UpstreamConfig | null {
  const raw = env.TAPEDECK_UPSTREAM_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`TAPEDECK_UPSTREAM_URL is not a URL: "${raw}". Use e.g. ${EXAMPLE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `TAPEDECK_UPSTREAM_URL must be http:// or https://, got "${raw}". Use e.g. ${EXAMPLE}`,
    );
  }
  // A password in the URL would end up in logs and messages; the token has its own variable.
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      'TAPEDECK_UPSTREAM_URL must not carry a user name or password; put a bearer token in TAPEDECK_UPSTREAM_TOKEN instead.',
    );
  }
  // `/recordings?limit=…` is appended to it, so a query or fragment here cannot work.
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(
      `TAPEDECK_UPSTREAM_URL must be the API's base address without "?…" or "#…", got "${raw}". Use e.g. ${EXAMPLE}`,
    );
  }
  return { baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, token: readToken(env) };
}

function readToken(env: Env): string | undefined {
  // People often paste the whole header value; "Bearer " is added when sending.
  const token = env.TAPEDECK_UPSTREAM_TOKEN?.trim().replace(/^bearer\s+/i, '');
  if (!token) return undefined;
  // eslint-disable-next-line no-control-regex -- exactly the characters a header value cannot hold
  if (/[\s\u0000-\u001f\u007f]/.test(token) || /[^\u0000-\u00ff]/.test(token)) {
    throw new ConfigError(
      'TAPEDECK_UPSTREAM_TOKEN contains spaces, line breaks or other characters an HTTP header cannot carry; ' +
        'set it to the token alone.',
    );
  }
  return token;
}
