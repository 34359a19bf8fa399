// @ts-nocheck
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../../local/demo.ts';
import { consoleIsStale, staticSite } from '../../../local/static.ts';

/** local/static.ts: the web console's files at `/` for `npm start`, never in the API's way. */
let root: string;
let serve: ReturnType<typeof staticSite>;
const html = { accept: 'text/html,application/xhtml+xml' };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'eia-static-'));
  await mkdir(join(root, 'dist', 'assets'), { recursive: true });
  await writeFile(join(root, 'dist', 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(root, 'dist', 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(root, 'dist', 'assets', 'index-abc.css'), 'body{}');
  await writeFile(join(root, 'secret.txt'), 'outside dist');
  serve = staticSite(join(root, 'dist'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('staticSite', () => {
  it('serves index.html at / with the security headers and no caching', async () => {
    const res = await serve('GET', '/', html);
    expect(res?.status).toBe(200);
    expect(res?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res?.headers['cache-control']).toBe('no-cache');
    expect(res?.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res?.headers['x-content-type-options']).toBe('nosniff');
    expect(res?.body.toString()).toContain('<title>console</title>');
  });

  it('serves hashed assets with their content type, cached for good', async () => {
    const js = await serve('GET', '/assets/index-abc.js', {});
    expect(js?.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js?.headers['cache-control']).toContain('immutable');
    expect((await serve('GET', '/assets/index-abc.css', {}))?.headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it('falls back to index.html only for a browser navigation to a path without extension', async () => {
    expect((await serve('GET', '/some/page', html))?.status).toBe(200);
    // An API client asking for a path that does not exist still gets the server's 404.
    expect(await serve('GET', '/some/page', { accept: 'application/json' })).toBeUndefined();
    expect(await serve('GET', '/assets/missing.js', html)).toBeUndefined();
  });

  it('never answers /local routes, other methods, or paths that climb out of the folder', async () => {
    expect(await serve('GET', '/local/outbox', html)).toBeUndefined();
    expect(await serve('POST', '/', html)).toBeUndefined();
    expect(await serve('GET', '/../secret.txt', {})).toBeUndefined();
    expect(await serve('GET', '/%2e%2e/secret.txt', {})).toBeUndefined();
    expect(await serve('GET', '/%E0%A4%A', {})).toBeUndefined();
    // A NUL (the server hands over /%00 decoded) is a miss, not an fs error that becomes a 500.
    expect(await serve('GET', '/index.html\0.js', html)).toBeUndefined();
    expect(await serve('GET', '/%00', html)).toBeUndefined();
  });

  it('generates console-config.json: local sign-in with the demo users', async () => {
    const res = await serve('GET', '/console-config.json', {});
    const config = JSON.parse(res?.body.toString() ?? '{}');
    expect(config.mode).toBe('local');
    expect(config.demoUsers.map((u: { role: string }) => u.role).sort()).toEqual(
      Object.keys(DEMO_USERS).sort(),
    );
    expect(config.demoUsers.find((u: { role: string }) => u.role === 'applicant').orgCode).toBe(
      DEMO_USERS.applicant.orgCode,
    );
  });
});

describe('consoleIsStale', () => {
  it('is stale without a build, fresh after one, and stale again when a source changes', async () => {
    const web = join(root, 'web');
    await mkdir(join(web, 'src'), { recursive: true });
    await writeFile(join(web, 'index.html'), 'x');
    await writeFile(join(web, 'src', 'main.ts'), 'x');
    expect(await consoleIsStale(web)).toBe(true);
    await mkdir(join(web, 'dist'), { recursive: true });
    await writeFile(join(web, 'dist', 'index.html'), 'built');
    const old = new Date(Date.now() - 60_000);
    await utimes(join(web, 'index.html'), old, old);
    await utimes(join(web, 'src', 'main.ts'), old, old);
    expect(await consoleIsStale(web)).toBe(false);
    await writeFile(join(web, 'src', 'main.ts'), 'changed');
    const later = new Date(Date.now() + 60_000);
    await utimes(join(web, 'src', 'main.ts'), later, later);
    expect(await consoleIsStale(web)).toBe(true);
  });
});
