/**
 * The act right after a document-issuing act, while the documents function records that document
 * (`issue_document` by `system`, which moves the application's version): without If-Match the act
 * runs once more on the new version and succeeds (shared/http/command.ts rerunOnConcurrentChange);
 * with If-Match naming the version it read it is 412. Against DynamoDB Local and the local S3 store,
 * with the documents core called directly (the server does not issue them here).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { issuePending } from '../../functions/documents/issue.ts';
import { runtimeIssuePorts } from '../../functions/documents/runtime.ts';
import type { AuditEvent } from '../../shared/domain/types.ts';
import { getStore } from '../../shared/runtime/clients.ts';
import type { Commit } from '../../shared/store/ports.ts';
import { type LocalStack, startLocalStack } from './helpers/local-stack.ts';
import { act, beijing, draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(async () => {
  await stack?.stop();
});

/** A submitted application the clerk has just accepted: its acceptance notice not yet stored. */
async function justAccepted(): Promise<{ id: string; version: number }> {
  const id = await draft(stack);
  await ok(stack, id, 'submit', 'applicant');
  const accepted = await ok(stack, id, 'accept', 'clerk');
  return { id, version: (accepted.json as { application: { version: number } }).application.version };
}

/**
 * Lets the documents core record the pending document at the moment the first `action` commit
 * goes to the table: after that act read and decided on the version before it.
 */
function documentsCommitFirst(id: string, action: string): { actCommits: () => number } {
  const store = getStore();
  const original = store.commit.bind(store);
  let actCommits = 0;
  vi.spyOn(store, 'commit').mockImplementation(async (change: Commit) => {
    if (change.event.action === action) {
      actCommits += 1;
      if (actCommits === 1) {
        const outcomes = await issuePending(runtimeIssuePorts(stack.baseUrl), id, 'race-documents');
        expect(outcomes).toEqual([expect.objectContaining({ outcome: 'issued' })]);
      }
    }
    return original(change);
  });
  return { actCommits: () => actCommits };
}

async function trail(id: string): Promise<AuditEvent[]> {
  const res = await stack.request<{ items: AuditEvent[] }>('GET', `/applications/${id}/events?limit=100`, {
    as: 'auditor',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

async function verified(id: string) {
  const res = await stack.request<{ ok: boolean; events: number }>(
    'GET',
    `/audit/applications/${id}/verify`,
    {
      as: 'auditor',
    },
  );
  expect(res.status, res.text).toBe(200);
  return res.json;
}

describe('an act while the previous act’s document is being recorded', () => {
  it('without If-Match: runs again after the issue_document and succeeds, written once', async () => {
    const { id, version } = await justAccepted();
    const race = documentsCommitFirst(id, 'start_review');

    const res = await act(stack, id, 'start_review', 'reviewer');

    expect(res.status, res.text).toBe(200);
    expect(race.actCommits()).toBe(2);
    expect(res.json.application.version).toBe(version + 2);
    const events = await trail(id);
    expect(events.slice(-3).map((e) => [e.seq, e.action, e.actor.role])).toEqual([
      [version, 'accept', 'clerk'],
      [version + 1, 'issue_document', 'system'],
      [version + 2, 'start_review', 'reviewer'],
    ]);
    expect(await verified(id)).toMatchObject({ ok: true, events: version + 2 });
    const docs = await stack.request<{ items: { kind: string; sha256?: string }[] }>(
      'GET',
      `/applications/${id}/documents`,
      { as: 'clerk' },
    );
    expect(docs.json.items).toEqual([
      expect.objectContaining({ kind: 'ACCEPTANCE_NOTICE', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
  });

  it('with If-Match naming the version read: 412 stale-version, nothing written by the act', async () => {
    const { id, version } = await justAccepted();
    const race = documentsCommitFirst(id, 'start_review');

    const res = await act(stack, id, 'start_review', 'reviewer', {}, { 'if-match': `"${version}"` });

    expect(res.status, res.text).toBe(412);
    expect((res.json as unknown as { type: string }).type).toMatch(/\/stale-version$/);
    expect(race.actCommits()).toBe(1);
    const events = await trail(id);
    expect(events.map((e) => e.action).slice(-2)).toEqual(['accept', 'issue_document']);
    expect(await verified(id)).toMatchObject({ ok: true, events: version + 1 });
  });

  it('with an Idempotency-Key: the second run writes once, and a replay answers that response', async () => {
    const { id, version } = await justAccepted();
    documentsCommitFirst(id, 'start_review');
    const headers = { 'idempotency-key': `review-${id}` };

    const first = await act(stack, id, 'start_review', 'reviewer', {}, headers);
    vi.restoreAllMocks();
    const again = await act(stack, id, 'start_review', 'reviewer', {}, headers);

    expect(first.status, first.text).toBe(200);
    expect(again.status, again.text).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json).toEqual(first.json);
    expect((await trail(id)).filter((e) => e.action === 'start_review')).toHaveLength(1);
    expect(await verified(id)).toMatchObject({ ok: true, events: version + 2 });
  });

  it('the documents core and the next act sent at the same time: both succeed, in either order', async () => {
    const { id, version } = await justAccepted();

    const [outcomes, res] = await Promise.all([
      issuePending(runtimeIssuePorts(stack.baseUrl), id, 'race-documents'),
      act(stack, id, 'start_review', 'reviewer'),
    ]);

    expect(res.status, res.text).toBe(200);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'issued' })]);
    const actions = (await trail(id)).slice(-2).map((e) => e.action);
    expect(actions.sort()).toEqual(['issue_document', 'start_review']);
    expect(await verified(id)).toMatchObject({ ok: true, events: version + 2 });
  });
});
