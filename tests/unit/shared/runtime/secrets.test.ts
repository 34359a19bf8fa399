/**
 * The cursor key at run time (shared/runtime/secrets.ts) with Secrets Manager mocked: the ring
 * (AWSCURRENT, AWSPREVIOUS when there is one) read once per five minutes per container, read again
 * once for a cursor it did not sign, kept when a later read fails, and a 503 problem when there is
 * none; cursors signed with the current key and verified with either; CURSOR_SECRET outside AWS.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { open } from '../../../../shared/http/api.ts';
import { encodeCursor } from '../../../../shared/http/cursor.ts';
import { pageBody, startKeyOf } from '../../../../shared/http/paging.ts';
import { json } from '../../../../shared/http/respond.ts';
import { logger } from '../../../../shared/runtime/logger.ts';
import {
  CursorKeyUnavailableError,
  cursorKeyRing,
  cursorKeys,
  forgetCursorKeys,
  KEY_RING_MAX_AGE_MS,
  KEY_RING_MISS_SPACING_MS,
  loadCursorKeys,
} from '../../../../shared/runtime/secrets.ts';
// The key's users import it: it gives secrets.ts its way to read Secrets Manager.
import '../../../../shared/runtime/secrets-manager.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';

const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:CursorSecret-AbCdEf';
const K0 = 'key-zero-0123456789abcdefghijklmnopqrstuvwxyz';
const K1 = 'key-one-0123456789abcdefghijklmnopqrstuvwxyz';
const K2 = 'key-two-0123456789abcdefghijklmnopqrstuvwxyz';
const T0 = new Date('2026-03-05T01:00:00.000Z');

const sm = mockClient(SecretsManagerClient);
const notFound = () =>
  new ResourceNotFoundException({
    message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    $metadata: {},
  });

/** The secret's versions as Secrets Manager holds them now. */
function holds(current: string, previous?: string): void {
  sm.reset();
  sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSCURRENT' }).resolves({
    SecretString: current,
  });
  const old = sm.on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' });
  if (previous === undefined) old.rejects(notFound());
  else old.resolves({ SecretString: previous });
}
const reads = () => sm.commandCalls(GetSecretValueCommand).length;

/** The middleware alone, on a request that may carry a cursor. */
const loadBefore = (cursor?: string) =>
  cursorKeys().before?.({
    event: { queryStringParameters: cursor === undefined ? {} : { cursor } },
  } as never);

describe('in AWS (CURSOR_KEY_SECRET_ARN)', () => {
  beforeAll(() => {
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    vi.stubEnv('CURSOR_KEY_SECRET_ARN', ARN);
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  beforeEach(() => {
    vi.setSystemTime(T0);
    forgetCursorKeys();
    holds(K1, K0);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => {
    vi.useRealTimers();
    vi.unstubAllEnvs();
    forgetCursorKeys();
  });

  it('reads AWSCURRENT and AWSPREVIOUS of the secret, then serves the ring from its cache', async () => {
    await loadBefore();
    expect(cursorKeyRing()).toEqual({ current: K1, previous: K0 });
    expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual(
      expect.arrayContaining([
        { SecretId: ARN, VersionStage: 'AWSCURRENT' },
        { SecretId: ARN, VersionStage: 'AWSPREVIOUS' },
      ]),
    );
    holds(K2, K1);
    vi.setSystemTime(T0.getTime() + KEY_RING_MAX_AGE_MS - 1);
    await loadBefore();
    await loadBefore();
    expect(reads()).toBe(0);
    expect(cursorKeyRing()).toEqual({ current: K1, previous: K0 });
  });

  it('reads the ring again once it is five minutes old', async () => {
    await loadBefore();
    holds(K2, K1);
    vi.setSystemTime(T0.getTime() + KEY_RING_MAX_AGE_MS);
    await loadBefore();
    expect(reads()).toBe(2);
    expect(cursorKeyRing()).toEqual({ current: K2, previous: K1 });
  });

  it('has no previous key before the first rotation', async () => {
    holds(K0);
    await loadBefore();
    expect(cursorKeyRing()).toEqual({ current: K0 });
    expect(cursorKeyRing()).not.toHaveProperty('previous');
  });

  it('signs with the current key and takes cursors of the current and the previous key, no other', async () => {
    await loadBefore();
    const key = { pk: 'NOTICES', sk: 'n-1' };
    const { cursor } = pageBody([], key, 'q');
    expect(cursor).toBe(encodeCursor(key, 'q', K1));
    expect(startKeyOf(encodeCursor(key, 'q', K1), 'q')).toEqual(key);
    expect(startKeyOf(encodeCursor(key, 'q', K0), 'q')).toEqual(key);
    expect(() => startKeyOf(encodeCursor(key, 'q', K2), 'q')).toThrow('Invalid cursor');
    expect(() => startKeyOf(encodeCursor(key, 'other', K1), 'q')).toThrow('Invalid cursor');
  });

  it('reads the ring again once for a cursor of a key rotated in after it was read', async () => {
    await loadBefore();
    holds(K2, K1);
    vi.setSystemTime(T0.getTime() + KEY_RING_MISS_SPACING_MS);
    const key = { pk: 'NOTICES', sk: 'n-2' };
    // Another container already signs with K2.
    await loadBefore(encodeCursor(key, 'q', K2));
    expect(reads()).toBe(2);
    expect(startKeyOf(encodeCursor(key, 'q', K2), 'q')).toEqual(key);
    // A cursor the new ring signed costs nothing more.
    await loadBefore(encodeCursor(key, 'q', K2));
    await loadBefore(encodeCursor(key, 'q', K1));
    expect(reads()).toBe(2);
  });

  it('reads again at most once per request and once per few seconds for cursors no key signed', async () => {
    await loadBefore();
    sm.resetHistory();
    vi.setSystemTime(T0.getTime() + KEY_RING_MISS_SPACING_MS);
    const forged = encodeCursor({ pk: 'APP#x' }, 'q', 'a-key-nobody-has-0123456789');
    await loadBefore(forged);
    expect(reads()).toBe(2);
    await loadBefore(forged);
    await loadBefore(forged);
    expect(reads()).toBe(2);
    vi.setSystemTime(T0.getTime() + 2 * KEY_RING_MISS_SPACING_MS);
    await loadBefore(forged);
    expect(reads()).toBe(4);
    expect(() => startKeyOf(forged, 'q')).toThrow('Invalid cursor');
  });

  it('without a ring, a failed read is logged and the key’s users answer 503', async () => {
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: secretsmanager:GetSecretValue'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400, requestId: 'sm-1' },
      }),
    );
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});
    await expect(loadBefore()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(
      'cursor key unavailable',
      expect.objectContaining({ fault: expect.objectContaining({ name: 'AccessDeniedException' }) }),
    );
    expect(() => cursorKeyRing()).toThrow(CursorKeyUnavailableError);

    const handler = open(async () => json(200, pageBody([], { pk: 'NOTICES' }, 'q')));
    const res = await invoke(handler, apiEvent({ method: 'GET', route: '/public/notices' }));
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ status: 503, title: 'Service unavailable' });
  });

  it('a secret value too short to be a key is a failed read, not a key', async () => {
    holds('short');
    vi.spyOn(logger, 'error').mockImplementation(() => {});
    await loadBefore();
    expect(() => cursorKeyRing()).toThrow(CursorKeyUnavailableError);
  });

  it('keeps the ring it has when a later read fails, and tries again after a pause', async () => {
    await loadBefore();
    sm.reset();
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('timeout'), { name: 'TimeoutError' }));
    const warned = vi.spyOn(logger, 'warn').mockImplementation(() => {});
    vi.setSystemTime(T0.getTime() + KEY_RING_MAX_AGE_MS);
    await loadBefore();
    expect(warned).toHaveBeenCalledOnce();
    expect(cursorKeyRing()).toEqual({ current: K1, previous: K0 });
    const tried = reads();
    await loadBefore();
    expect(reads()).toBe(tried);
    holds(K2, K1);
    vi.setSystemTime(T0.getTime() + KEY_RING_MAX_AGE_MS + 30_000);
    await loadCursorKeys();
    expect(cursorKeyRing()).toEqual({ current: K2, previous: K1 });
  });
});

describe('locally and in tests (CURSOR_SECRET)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('the one key is CURSOR_SECRET, and nothing is read from Secrets Manager', async () => {
    vi.resetModules();
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_KEY_SECRET_ARN', undefined);
    vi.stubEnv('CURSOR_SECRET', K0);
    sm.reset();
    const secrets = await import('../../../../shared/runtime/secrets.ts');
    await secrets.cursorKeys().before?.({ event: {} } as never);
    expect(secrets.cursorKeyRing()).toEqual({ current: K0 });
    expect(reads()).toBe(0);
  });

  it('a function that uses no key (imports no key user) reads nothing, even with the ARN', async () => {
    vi.resetModules();
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_KEY_SECRET_ARN', ARN);
    vi.stubEnv('CURSOR_SECRET', undefined);
    holds(K1, K0);
    const secrets = await import('../../../../shared/runtime/secrets.ts');
    await secrets.cursorKeys().before?.({ event: { queryStringParameters: { cursor: 'a.b' } } } as never);
    expect(reads()).toBe(0);
  });

  it('refuses an environment with both the key and the secret’s ARN', async () => {
    vi.resetModules();
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_KEY_SECRET_ARN', ARN);
    vi.stubEnv('CURSOR_SECRET', K0);
    const { env } = await import('../../../../shared/runtime/config.ts');
    expect(() => env()).toThrow(
      'Missing or invalid environment: CURSOR_SECRET or CURSOR_KEY_SECRET_ARN, not both',
    );
  });

  it('names both variables when a function that needs the key has neither', async () => {
    vi.resetModules();
    vi.stubEnv('TABLE_NAME', 'test-eia-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'test-eia-idempotency');
    vi.stubEnv('CURSOR_KEY_SECRET_ARN', undefined);
    vi.stubEnv('CURSOR_SECRET', undefined);
    const secrets = await import('../../../../shared/runtime/secrets.ts');
    expect(() => secrets.cursorKeyRing()).toThrow(
      'Missing or invalid environment: CURSOR_KEY_SECRET_ARN or CURSOR_SECRET',
    );
  });
});
