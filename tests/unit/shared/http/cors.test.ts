/** CORS answered by the functions: only for the console's own origin, never `*`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleOrigin, corsHeaders, withCors } from '../../../../shared/http/cors.ts';

const CONSOLE = 'https://eia.example.cn';
const EXPOSED = 'etag, location, idempotent-replayed, content-disposition, x-next-cursor, retry-after';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('corsHeaders', () => {
  it("allows the console's origin back, with the headers it may read", () => {
    expect(corsHeaders(CONSOLE, CONSOLE)).toEqual({
      'access-control-allow-origin': CONSOLE,
      'access-control-expose-headers': EXPOSED,
      vary: 'Origin',
    });
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['a look-alike', 'https://eia.example.cn.evil.example'],
    ['another scheme', 'http://eia.example.cn'],
    ['the string null', 'null'],
    ['a wildcard', '*'],
    ['no Origin header', undefined],
  ])('allows nothing for %s, but says the answer varies by Origin', (_what, origin) => {
    expect(corsHeaders(origin, CONSOLE)).toEqual({ vary: 'Origin' });
  });

  it('adds nothing where no console origin is set (locally)', () => {
    expect(corsHeaders(CONSOLE, undefined)).toEqual({});
    expect(corsHeaders(undefined, undefined)).toEqual({});
    expect(corsHeaders('', '')).toEqual({});
  });

  it('never answers *', () => {
    expect(Object.values(corsHeaders(CONSOLE, CONSOLE))).not.toContain('*');
    expect(Object.values(corsHeaders('*', CONSOLE))).not.toContain('*');
  });
});

describe('withCors', () => {
  it('adds Origin to a vary already there, once', () => {
    const headers = withCors(
      { 'content-type': 'application/problem+json', vary: 'Accept-Language' },
      CONSOLE,
      CONSOLE,
    );
    expect(headers).toEqual({
      'content-type': 'application/problem+json',
      vary: 'Accept-Language, Origin',
      'access-control-allow-origin': CONSOLE,
      'access-control-expose-headers': EXPOSED,
    });
    expect(withCors({ Vary: 'origin' }, CONSOLE, CONSOLE).vary).toBe('origin');
  });

  it('leaves the headers as they are without a console origin', () => {
    const headers = { vary: 'Accept-Language' };
    expect(withCors(headers, CONSOLE, undefined)).toBe(headers);
  });
});

describe('consoleOrigin', () => {
  it('is CONSOLE_ORIGIN, without a trailing slash; undefined when unset or empty', () => {
    vi.stubEnv('CONSOLE_ORIGIN', `${CONSOLE}/`);
    expect(consoleOrigin()).toBe(CONSOLE);
    vi.stubEnv('CONSOLE_ORIGIN', '');
    expect(consoleOrigin()).toBeUndefined();
    vi.stubEnv('CONSOLE_ORIGIN', undefined);
    expect(consoleOrigin()).toBeUndefined();
  });
  it("prefers the REST stage's variable consoleOrigin (AWS) to the environment", () => {
    vi.stubEnv('CONSOLE_ORIGIN', 'https://elsewhere.example.cn');
    expect(consoleOrigin({ consoleOrigin: `${CONSOLE}/` })).toBe(CONSOLE);
    expect(consoleOrigin({})).toBe('https://elsewhere.example.cn');
    expect(consoleOrigin(null)).toBe('https://elsewhere.example.cn');
  });
});
