/**
 * The request-unit meter of `npm run bench` (scripts/bench/meter.ts) on items of known size, and
 * wired into a real SDK client whose HTTP layer answers canned DynamoDB responses: the bench's
 * cost figures are only as right as this.
 */
import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import {
  emptyWork,
  indexWriteUnits,
  installMeter,
  itemSize,
  Meter,
  numberSize,
  readUnits,
  toItem,
  writeUnits,
} from '../../../../scripts/bench/meter.ts';

describe('item size', () => {
  it('counts names and values as DynamoDB does', () => {
    // 'pk' 2 + 'APP#1' 5
    expect(itemSize({ pk: { S: 'APP#1' } })).toBe(7);
    // UTF-8: 醴陵 is 6 bytes
    expect(itemSize({ n: { S: '醴陵' } })).toBe(7);
    // Numbers: 1 byte per two significant digits, plus 1; zeros at either end do not count.
    expect(numberSize('5')).toBe(2);
    expect(numberSize('12345')).toBe(4);
    expect(numberSize('1200000')).toBe(2);
    expect(numberSize('-0.0012')).toBe(2);
    // Map: 3 + per element (name + 1 + value); list: 3 + per element (1 + value)
    expect(itemSize({ m: { M: { a: { S: 'xy' }, b: { BOOL: true } } } })).toBe(
      1 + 3 + (1 + 1 + 2) + (1 + 1 + 1),
    );
    expect(itemSize({ l: { L: [{ S: 'abc' }, { NULL: true }] } })).toBe(1 + 3 + (1 + 3) + (1 + 1));
  });

  it('sizes what the document client hands back the same as the wire form', () => {
    const plain = { pk: 'APP#1', version: 3, tags: ['a', 'bc'], ok: true, nested: { x: null } };
    const wire = {
      pk: { S: 'APP#1' },
      version: { N: '3' },
      tags: { L: [{ S: 'a' }, { S: 'bc' }] },
      ok: { BOOL: true },
      nested: { M: { x: { NULL: true } } },
    };
    expect(itemSize(toItem(plain))).toBe(itemSize(wire));
  });
});

describe('request units', () => {
  it('rounds per 1 KB written and 4 KB read, doubles in transactions, halves eventually consistent reads', () => {
    expect(writeUnits(1)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(writeUnits(1025, true)).toBe(4);
    expect(readUnits(0, true)).toBe(1);
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097, false)).toBe(1);
    expect(readUnits(4097, true, true)).toBe(4);
  });

  it('charges an index write per index the item is in, a delete and a put when its key moves', () => {
    const before = { pk: { S: 'A' }, sk: { S: 'A' }, gsi2pk: { S: 'STATE#DRAFT' }, gsi2sk: { S: 'k' } };
    const moved = { ...before, gsi2pk: { S: 'STATE#SUBMITTED' } };
    const withSweep = { ...moved, gsi7pk: { S: 'SWEEP' }, gsi7sk: { S: 'd' } };
    expect(indexWriteUnits(undefined, before)).toBe(1);
    expect(indexWriteUnits(before, before)).toBe(1);
    expect(indexWriteUnits(before, moved)).toBe(2);
    expect(indexWriteUnits(moved, withSweep)).toBe(2);
    expect(indexWriteUnits(undefined, { pk: { S: 'A' }, sk: { S: 'B' } })).toBe(0);
  });

  it('counts a transaction of puts: base table twice, indexes once, the larger of old and new', () => {
    const meter = new Meter();
    const big = 'x'.repeat(1500);
    const put = (item: Record<string, unknown>) => ({
      TransactItems: [{ Put: { TableName: 'p-eia-main', Item: item } }],
    });
    const first = {
      pk: { S: 'APP#1' },
      sk: { S: 'APP' },
      gsi3pk: { S: 'APP' },
      gsi3sk: { S: 'k' },
      d: { S: big },
    };
    meter.record('TransactWriteItems', put(first), {}, false);
    // ~1.5 KB: 2 units ×2 (transaction) + 2 for gsi3
    expect(meter.total).toMatchObject({ calls: 1, itemsWritten: 1, writeUnits: 6, indexWriteUnits: 2 });
    // Rewritten smaller: still charged on the old size.
    meter.record('TransactWriteItems', put({ ...first, d: { S: 'short' } }), {}, false);
    expect(meter.total.writeUnits).toBe(12);
  });
});

/** A client whose HTTP layer answers `body` to every request, and records the targets. */
function cannedClient(body: unknown) {
  const targets: string[] = [];
  const client = new DynamoDBClient({
    region: 'cn-north-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    requestHandler: {
      async handle(request: { headers: Record<string, string> }) {
        targets.push(request.headers['x-amz-target'] ?? '');
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    } as never,
  });
  return { client, targets };
}

describe('the metering middleware', () => {
  it('meters document and plain clients from their wire requests alike', async () => {
    const meter = installMeter();
    const item = { pk: { S: 'APP#1' }, sk: { S: 'APP' }, body: { S: 'y'.repeat(5000) } };
    const { client, targets } = cannedClient({ Item: item });
    const doc = DynamoDBDocumentClient.from(client);
    meter.enabled = true;
    try {
      const viaDoc = await meter.measure(() =>
        doc.send(new GetCommand({ TableName: 't', Key: { pk: 'APP#1', sk: 'APP' }, ConsistentRead: true })),
      );
      const viaPlain = await meter.measure(() =>
        client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'APP#1' }, sk: { S: 'APP' } } })),
      );
      expect(targets).toEqual(['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.GetItem']);
      // ~5 KB strongly consistent: 2 units; eventually consistent: 1.
      expect(viaDoc.work).toEqual({
        ...emptyWork(),
        calls: 1,
        itemsRead: 1,
        readUnits: 2,
        ops: { GetItem: 1 },
      });
      expect(viaPlain.work).toEqual({
        ...emptyWork(),
        calls: 1,
        itemsRead: 1,
        readUnits: 1,
        ops: { GetItem: 1 },
      });

      const { client: writer } = cannedClient({});
      const capture: { op: string; body: string }[] = [];
      meter.capture = capture;
      const wrote = await meter.measure(() =>
        DynamoDBDocumentClient.from(writer).send(
          new TransactWriteCommand({
            TransactItems: [{ Put: { TableName: 'p-eia-idempotency', Item: { pk: 'IDEM#1', n: 1 } } }],
          }),
        ),
      );
      expect(wrote.work).toMatchObject({ calls: 1, itemsWritten: 1, writeUnits: 2, indexWriteUnits: 0 });
      expect(capture.map((c) => c.op)).toEqual(['TransactWriteItems']);
      expect(JSON.parse(capture[0]?.body ?? '{}').TransactItems[0].Put.Item).toEqual({
        pk: { S: 'IDEM#1' },
        n: { N: '1' },
      });
    } finally {
      meter.capture = undefined;
      meter.enabled = false;
    }
  });

  it('counts S3 requests by operation, and a presigned URL being made as none', async () => {
    const meter = installMeter();
    const sent: string[] = [];
    const s3 = new S3Client({
      region: 'cn-north-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      forcePathStyle: true,
      endpoint: 'http://127.0.0.1:1',
      requestHandler: {
        async handle(request: { method: string; path: string }) {
          sent.push(`${request.method} ${request.path}`);
          return {
            response: {
              statusCode: 200,
              headers: { 'content-length': '3', etag: '"e"' },
              body: Readable.from([Buffer.from('abc')]),
            },
          };
        },
      } as never,
    });
    meter.enabled = true;
    const capture: { op: string; body: string }[] = [];
    meter.capture = capture;
    try {
      const { work } = await meter.measure(async () => {
        await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));
        const got = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k', Range: 'bytes=0-2' }));
        await got.Body?.transformToByteArray();
        // Made twice: the second time the client's stack already carries the meter.
        await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'b', Key: 'k' }), { expiresIn: 300 });
        await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'b', Key: 'k' }), { expiresIn: 300 });
        meter.recordS3('PUT (presigned)');
      });
      expect(sent).toEqual(['HEAD /b/k', 'GET /b/k']);
      expect(work).toEqual({ ...emptyWork(), s3: { HeadObject: 1, GetObject: 1, 'PUT (presigned)': 1 } });
      expect(capture.map((c) => c.op)).toEqual(['S3:HeadObject', 'S3:GetObject']);
      expect(JSON.parse(capture[1]?.body ?? '{}')).toMatchObject({
        Bucket: 'b',
        Key: 'k',
        Range: 'bytes=0-2',
      });
    } finally {
      meter.capture = undefined;
      meter.enabled = false;
      s3.destroy();
    }
  });
});
