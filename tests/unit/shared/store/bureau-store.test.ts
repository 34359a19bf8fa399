/**
 * The bureau stream as verify reads it (DynamoDB mocked): the head first, then the events up to
 * it, so a change committed between the two reads is not taken for tampering; an event past the
 * head that no head covers still is.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BureauEvent,
  type BureauHead,
  chainBureauEvent,
  emptyHead,
  verifyBureau,
} from '../../../../shared/domain/bureau.ts';
import { bureauStore } from '../../../../shared/store/bureau-store.ts';
import { bureauEventKey, bureauHeadKey } from '../../../../shared/store/keys.ts';

const TABLE = 'test-eia-main';
const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'cn-north-1' }));
const store = bureauStore(doc, TABLE);

/** Three calendar entries, chained. */
const events: BureauEvent[] = [];
for (const year of [2026, 2027, 2028]) {
  events.push(
    chainBureauEvent(
      {
        action: 'set_calendar_year',
        actor: { id: 'demo-admin', role: 'admin', name: '李明' },
        at: `2026-12-0${events.length + 1}T02:00:00.000Z`,
        subject: `calendar/${year}`,
        payload: { year, holidays: [`${year}-01-01`], workdays: [] },
        changes: { before: null, after: { holidays: [`${year}-01-01`], workdays: [] } },
        requestId: `req-${year}`,
      },
      events.at(-1) ?? emptyHead,
    ),
  );
}
const headItem = (e: BureauEvent) => ({ ...bureauHeadKey, seq: e.seq, hash: e.hash, at: e.at });
const stored = (n: number) => events.slice(0, n).map((e) => ({ ...e, ...bureauEventKey(e.seq) }));

/** The head item as read first, then (if read again) second; the stream holds `n` events. */
function table(first: BureauEvent, second: BureauEvent, n: number) {
  ddb
    .on(GetCommand)
    .resolvesOnce({ Item: headItem(first) })
    .resolves({ Item: headItem(second) });
  ddb.on(QueryCommand).resolves({ Items: stored(n) });
}

const verified = async () => {
  const { head, trail } = await store.trail();
  return { head, ...verifyBureau(trail, head) };
};

beforeEach(() => {
  ddb.reset();
});

describe('bureauStore.trail', () => {
  it('an event committed between the head and the events read is left out: the stream verifies', async () => {
    // The head read named seq 2; seq 3 was committed (head and event together) before the Query.
    table(events[1] as BureauEvent, events[2] as BureauEvent, 3);
    const result = await verified();
    expect(result).toMatchObject({ ok: true, events: 2, headHash: events[1]?.hash });
    expect(result.head).toEqual<BureauHead>({ seq: 2, hash: String(events[1]?.hash) });
  });

  it('an event past the head that the head still does not name is reported', async () => {
    table(events[1] as BureauEvent, events[1] as BureauEvent, 3);
    expect(await verified()).toMatchObject({
      ok: false,
      events: 3,
      firstBrokenSeq: 3,
      reason: "the stream goes on past the head's seq 2",
    });
  });
});
