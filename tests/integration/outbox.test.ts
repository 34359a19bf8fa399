/**
 * The transactional outbox (GET /local/outbox) against DynamoDB Local: every notifiable step
 * writes its notification in the same transaction as its event, exactly once; a refused or
 * conflicting write leaves none.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPort } from '../../functions/publisher/publish.ts';
import { republish } from '../../functions/publisher/republish.ts';
import { createLocalClient } from '../../local/dynamodb.ts';
import { isDocumentOutboxItem } from '../../shared/domain/document-outbox.ts';
import type { Notification } from '../../shared/domain/notifications.ts';
import { applicationStore } from '../../shared/store/application-store.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { act, beijing, ok, submitted, sweep, uploadFile } from './helpers/scenario.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function outbox(): Promise<Notification[]> {
  const res = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=100');
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

const of = (items: Notification[], id: string, action: string) =>
  items.filter((n) => n.applicationId === id && n.action === action);

describe('the outbox', () => {
  it('holds each notifiable step once, newest first, and nothing for refused or lost writes', async () => {
    const id = await submitted(stack, '2026-03-02');
    expect(await outbox()).toEqual([]);

    await stack.setNow(beijing('2026-03-03'));
    await ok(stack, id, 'request_supplement', 'clerk', {
      items: [{ code: 'PUBLIC_VERSION', reason: '公开版本未删除商业秘密' }],
    });
    await stack.setNow(beijing('2026-03-04'));
    await ok(stack, id, 'resubmit', 'applicant', {
      materials: [await uploadFile(stack, id, 'applicant', 'PUBLIC_VERSION', { v: 2 })],
    });

    // A stale If-Match: 412, nothing written.
    await stack.setNow(beijing('2026-03-05'));
    const stale = await act(stack, id, 'accept', 'clerk', {}, { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(of(await outbox(), id, 'accept')).toEqual([]);

    // Two clerks accept at once: one transaction wins, the other is cancelled with its outbox item.
    const [a, b] = await Promise.all([act(stack, id, 'accept', 'clerk'), act(stack, id, 'accept', 'clerk')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const caseNumber = (a.status === 200 ? a : b).json.application.caseNumber;
    expect(caseNumber).toBeDefined();

    await stack.setNow(beijing('2026-03-06'));
    await ok(stack, id, 'start_review', 'reviewer');
    // Accepted 03-05: the public comments through 03-12 (5 working days); proposed the day after.
    await stack.setNow(beijing('2026-03-13'));
    await ok(stack, id, 'propose_decision', 'reviewer', {
      proposal: 'approve',
      conditions: ['颗粒物排放浓度不超过 10 mg/m³'],
    });
    await sweep(stack, '2026-03-23'); // the notice period (through 03-20) is over
    await stack.setNow(beijing('2026-03-23'));
    await ok(stack, id, 'approve', 'approver');

    // Another one left under review until long past its time limit.
    const late = await submitted(stack, '2026-04-01');
    await stack.setNow(beijing('2026-04-02'));
    await ok(stack, late, 'accept', 'clerk');
    await ok(stack, late, 'start_review', 'reviewer');
    const first = await sweep(stack, '2026-09-01');
    expect(first.steps.mark_overdue).toBe(1);
    // The sweeper again: nothing more.
    expect((await sweep(stack, '2026-09-01')).steps).toEqual({});

    const items = await outbox();
    for (const action of ['request_supplement', 'accept', 'propose_decision', 'approve']) {
      expect(of(items, id, action), action).toHaveLength(1);
    }
    expect(of(items, late, 'mark_overdue')).toHaveLength(1);
    expect(of(items, late, 'accept')).toHaveLength(1);

    const [accepted] = of(items, id, 'accept');
    expect(accepted?.subject.zh).toContain(caseNumber);
    expect(accepted?.subject.en).toContain(caseNumber);
    expect(accepted?.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(accepted?.recipients).toContainEqual({ kind: 'user', id: users.applicant.sub });
    const [overdue] = of(items, late, 'mark_overdue');
    expect(overdue?.recipients).toEqual([
      { kind: 'user', id: users.reviewer.sub },
      { kind: 'role', role: 'approver' },
    ]);
    for (const n of items) expect(JSON.stringify(n)).not.toContain('13873301234');

    // Newest first.
    const ats = items.map((n) => n.at);
    expect(ats).toEqual([...ats].sort().reverse());
    const limited = await stack.request<{ items: Notification[] }>('GET', '/local/outbox?limit=2');
    expect(limited.json.items).toEqual(items.slice(0, 2));
    expect((await stack.request('GET', '/local/outbox?limit=0')).status).toBe(400);
  });
});

describe('republishing the outbox (scripts/republish-outbox.ts)', () => {
  it("puts exactly the window's notifications on the bus again, oldest first, as the publisher did", async () => {
    const id = await submitted(stack, '2026-05-11');
    await stack.setNow(beijing('2026-05-12'));
    await ok(stack, id, 'request_supplement', 'clerk', {
      items: [{ code: 'PUBLIC_VERSION', reason: '未删除商业秘密' }],
    });
    await stack.setNow(beijing('2026-05-13'));
    await ok(stack, id, 'resubmit', 'applicant', {
      materials: [await uploadFile(stack, id, 'applicant', 'PUBLIC_VERSION', { v: 2 })],
    });
    await stack.setNow(beijing('2026-05-14'));
    await ok(stack, id, 'accept', 'clerk');

    const items = (await outbox()).filter((n) => n.applicationId === id);
    const all = items.filter((n) => !isDocumentOutboxItem(n));
    expect(all.map((n) => n.action).sort()).toEqual(['accept', 'request_supplement']);
    // Both acts also issued a written document: an outbox item each for the documents function.
    expect(
      items.flatMap((n) => (isDocumentOutboxItem(n) ? [n.documentId.replace(/-\d+$/, '')] : [])).sort(),
    ).toEqual(['ACCEPTANCE_NOTICE', 'SUPPLEMENT_NOTICE']);

    const doc = DynamoDBDocumentClient.from(createLocalClient(stack.dynamodbEndpoint));
    const store = applicationStore(doc, {
      table: stack.tables.main,
      idempotencyTable: stack.tables.idempotency,
    });
    const sent: [string, Notification][] = [];
    const port: EventPort = { publish: async (type, n) => void sent.push([type, n]) };
    const mine = () => sent.filter(([, n]) => n.applicationId === id);

    // The whole of 12–14 May (Beijing): both, oldest first, with the detail types the publisher uses.
    const report = await republish(store, port, {
      from: '2026-05-11T16:00:00.000Z',
      to: '2026-05-14T15:59:59.999Z',
    });
    expect(mine().map(([type]) => type)).toEqual([
      'eia.notification.request_supplement',
      'eia.document.issue',
      'eia.notification.accept',
      'eia.document.issue',
    ]);
    expect(mine().map(([, n]) => n)).toEqual([...items].reverse());
    expect(report.published).toBe(sent.length);
    expect(report.lastAt).toBe(mine().at(-1)?.[1].at);

    // A window ending at the supplement notice's exact instant includes it, and not the acceptance.
    sent.length = 0;
    const notice = all.find((n) => n.action === 'request_supplement');
    await republish(store, port, { from: '2026-05-11T16:00:00.000Z', to: notice?.at ?? '' });
    expect(mine().map(([type]) => type)).toEqual([
      'eia.notification.request_supplement',
      'eia.document.issue',
    ]);

    // A dry run (no port) sends nothing and still counts.
    expect(
      (
        await republish(store, undefined, {
          from: '2026-05-14T00:00:00.000Z',
          to: '2026-05-14T23:59:59.999Z',
        })
      ).published,
    ).toBeGreaterThan(0);
  });
});
