/**
 * The public write budget (shared/http/public-limit.ts) with the SDK mocked: the one conditional
 * UpdateItem it sends (a keyed hash, never the address), what a failed condition and a throttled
 * table become, the window and its Retry-After, IPv6 counted by its /64; and the public comment
 * handler answering 429 problem+json before it reads or writes anything else.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  countedAddress,
  counterHash,
  countPublicWrite,
  LOCAL_PUBLIC_WRITE_LIMIT,
  publicWriteLimitFromEnv,
  TooManyPublicWritesError,
  windowOf,
} from '../../../../shared/http/public-limit.ts';
import { ServiceUnavailableError } from '../../../../shared/store/errors.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import { type Handler, loadHandler, NOW, TABLE, useHandlerEnvironment } from '../../functions/fixtures.ts';

const ddb = useHandlerEnvironment();
const limit = { requests: 3, windowSeconds: 600 };
const options = { table: TABLE, secret: 'a-secret-of-this-deployment', limit };
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('countedAddress', () => {
  it('counts an IPv4 address as it is', () => {
    expect(countedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(countedAddress(' 203.0.113.7 ')).toBe('203.0.113.7');
  });

  it('counts an IPv6 address by its /64, however it is written', () => {
    const block = '2001:db8:85a3:8d3::/64';
    expect(countedAddress('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe(block);
    expect(countedAddress('2001:DB8:85A3:08D3::1')).toBe(block);
    expect(countedAddress('2001:0db8:85a3:08d3:ffff:ffff:ffff:ffff')).toBe(block);
    expect(countedAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(countedAddress('::1')).toBe('0:0:0:0::/64');
    expect(countedAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    // Another /64 is another subscriber.
    expect(countedAddress('2001:db8:85a3:8d4::1')).not.toBe(block);
  });
});

describe('windowOf', () => {
  it('starts windows at multiples of their length', () => {
    const at = new Date('2026-03-05T01:07:30Z');
    const { start, end } = windowOf(at, limit);
    expect(new Date(start * 1000).toISOString()).toBe('2026-03-05T01:00:00.000Z');
    expect(end - start).toBe(600);
    expect(windowOf(new Date('2026-03-05T01:09:59.999Z'), limit).start).toBe(start);
    expect(windowOf(new Date('2026-03-05T01:10:00Z'), limit).start).toBe(start + 600);
  });
});

describe('counterHash', () => {
  it('hides the address: keyed, and another for each window and each deployment', () => {
    const hash = counterHash('secret', '203.0.113.7', 1000);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('203');
    expect(counterHash('secret', '203.0.113.7', 1000)).toBe(hash);
    expect(counterHash('secret', '203.0.113.7', 1600)).not.toBe(hash);
    expect(counterHash('other secret', '203.0.113.7', 1000)).not.toBe(hash);
    expect(counterHash('secret', '203.0.113.8', 1000)).not.toBe(hash);
  });
});

describe('publicWriteLimitFromEnv', () => {
  it('reads the limit and window, each defaulting to the local one', () => {
    expect(publicWriteLimitFromEnv({})).toEqual(LOCAL_PUBLIC_WRITE_LIMIT);
    expect(
      publicWriteLimitFromEnv({ PUBLIC_WRITE_LIMIT: '120', PUBLIC_WRITE_WINDOW_SECONDS: '600' }),
    ).toEqual({
      requests: 120,
      windowSeconds: 600,
    });
    expect(publicWriteLimitFromEnv({ PUBLIC_WRITE_LIMIT: ' 5 ' }).requests).toBe(5);
  });

  it('names a bad variable', () => {
    for (const bad of ['0', '-1', '1.5', 'ten', '1e400']) {
      expect(() => publicWriteLimitFromEnv({ PUBLIC_WRITE_LIMIT: bad })).toThrow(/PUBLIC_WRITE_LIMIT/);
      expect(() => publicWriteLimitFromEnv({ PUBLIC_WRITE_WINDOW_SECONDS: bad })).toThrow(
        /PUBLIC_WRITE_WINDOW_SECONDS/,
      );
    }
  });
});

describe('countPublicWrite', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
  const at = new Date('2026-03-05T01:07:30Z');
  beforeEach(() => ddb.reset());

  it('sends one conditional UpdateItem on LIMIT#<hash>, never the address, with a TTL a day after the window', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await countPublicWrite(doc, options, '203.0.113.7', at)).toEqual({ allowed: true });
    const calls = ddb.calls();
    expect(calls).toHaveLength(1);
    const [call] = ddb.commandCalls(UpdateCommand);
    if (!call) throw new Error('no UpdateItem sent');
    const input = call.args[0].input;
    const { start, end } = windowOf(at, limit);
    expect(input).toEqual({
      TableName: TABLE,
      Key: { pk: `LIMIT#${counterHash(options.secret, '203.0.113.7', start)}`, sk: 'LIMIT' },
      UpdateExpression: 'ADD #n :one SET #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
      ExpressionAttributeNames: { '#n': 'n', '#ttl': 'removeAfter' },
      ExpressionAttributeValues: { ':one': 1, ':max': 3, ':ttl': end + 86_400 },
    });
    expect(JSON.stringify(input)).not.toContain('203.0.113');
  });

  it('answers "over the limit" when the condition fails, with the seconds left in the window', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await countPublicWrite(doc, options, '203.0.113.7', at)).toEqual({
      allowed: false,
      retryAfterSeconds: 150,
    });
    // The last instant of a window still waits a whole second.
    expect(await countPublicWrite(doc, options, '203.0.113.7', new Date('2026-03-05T01:09:59.900Z'))).toEqual(
      {
        allowed: false,
        retryAfterSeconds: 1,
      },
    );
  });

  it('turns a throttled table into 503, not into a refusal or a pass', async () => {
    ddb
      .on(UpdateCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(countPublicWrite(doc, options, '203.0.113.7', at)).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
  });

  it('counts two addresses apart, and the two halves of one /64 together', async () => {
    ddb.on(UpdateCommand).resolves({});
    for (const ip of ['203.0.113.7', '203.0.113.8', '2001:db8:1:2::a', '2001:db8:1:2::b'])
      await countPublicWrite(doc, options, ip, at);
    const keys = ddb.calls().map((c) => (c.args[0] as UpdateCommand).input.Key?.pk);
    expect(new Set(keys).size).toBe(3);
    expect(keys[2]).toBe(keys[3]);
  });
});

describe('TooManyPublicWritesError', () => {
  it('is 429 too-many-requests with Retry-After, saying what the limit is', () => {
    const error = new TooManyPublicWritesError({ requests: 120, windowSeconds: 600 }, 42);
    expect(error.status).toBe(429);
    expect(error.type).toBe('too-many-requests');
    expect(error.headers).toEqual({ 'retry-after': '42' });
    expect(error.message).toContain('120');
    expect(error.message).toContain('10 minutes');
    expect(error.message).toContain('42 s');
  });
});

describe('POST /public/notices/{noticeId}/comments over the limit', () => {
  let handler: Handler;
  beforeAll(async () => {
    handler = await loadHandler('public-comment');
  });
  beforeEach(() => ddb.reset());

  const send = (sourceIp = '198.51.100.20') => {
    const event = apiEvent({
      method: 'POST',
      route: '/public/notices/{noticeId}/comments',
      pathParameters: { noticeId: 'bm8tc3VjaC1ub3RpY2U' },
      body: { text: '意见', name: '刘建国', contact: 'liu@example.cn' },
    });
    event.requestContext.http.sourceIp = sourceIp;
    return invoke(handler, event);
  };

  it('answers 429 problem+json with Retry-After, and reads and writes nothing else', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    const res = await send();
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe(String(600 - ((NOW.getTime() / 1000) % 600)));
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/\/too-many-requests$/),
      status: 429,
      title: 'Too many requests',
    });
    expect(ddb.calls().map((c) => c.args[0].constructor.name)).toEqual(['UpdateCommand']);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('goes on to the notice once the address is under the limit, counting the caller’s address', async () => {
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const res = await send('198.51.100.21');
    // No such notice: the request got past the budget.
    expect(res.statusCode).toBe(404);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    const start = windowOf(NOW, LOCAL_PUBLIC_WRITE_LIMIT).start;
    expect(update?.Key?.pk).toBe(
      `LIMIT#${counterHash('unit-test-cursor-secret-0123456789', '198.51.100.21', start)}`,
    );
    expect(update?.ExpressionAttributeValues?.[':max']).toBe(LOCAL_PUBLIC_WRITE_LIMIT.requests);
  });
});
