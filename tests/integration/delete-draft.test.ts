/**
 * Deleting a draft (DELETE /applications/{id}) against DynamoDB Local: the owner deletes a draft
 * never submitted (204); it leaves every list and answers 404 to everyone, a second DELETE too;
 * the auditor still reads its trail, ending in `delete_draft`, and the chain verifies. A submitted
 * application is 409, another applicant's 404, an official's 403, a stale If-Match 412, and a
 * retry with the same Idempotency-Key the first 204 again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { beijing, draftBody, otherApplicant, submitted } from './helpers/scenario.ts';

interface Listed {
  items: { id: string }[];
}
interface Event {
  seq: number;
  action: string;
  from: string | null;
  to: string;
  actor: { id: string; role: string };
  changes: Record<string, unknown>;
}

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
  await stack.setNow(beijing('2026-03-02', '09:00'));
});
afterAll(async () => {
  await stack?.stop();
});

async function create(as: Who = 'applicant', body: unknown = draftBody('REPORT_FORM', '待删除的草稿')) {
  const res = await stack.request<{ id: string; version: number }>('POST', '/applications', { as, body });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

const remove = (id: string, as: Who, headers: Record<string, string> = {}) =>
  stack.request('DELETE', `/applications/${id}`, { as, headers });

async function listed(path: string, as: Who): Promise<string[]> {
  const res = await stack.request<Listed>('GET', path, { as });
  expect(res.status, res.text).toBe(200);
  return res.json.items.map((a) => a.id);
}

/** Every list the draft could be in, as the caller who would see it there. */
const lists: [string, Who][] = [
  ['/applications?limit=100', 'applicant'],
  ['/applications?mine=true&limit=100', 'applicant'],
  ['/applications?state=DRAFT&limit=100', 'clerk'],
  ['/applications?limit=100', 'auditor'],
  ['/applications?queue=mine&limit=100', 'applicant'],
  ['/applications?queue=mine&limit=100', 'clerk'],
];

describe('the owner deletes a draft never submitted', () => {
  let id = '';
  let version = 0;

  beforeAll(async () => {
    id = await create();
    const edit = await stack.request<{ version: number }>('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { project: { description: '先存个草稿' } },
    });
    expect(edit.status, edit.text).toBe(200);
    version = edit.json.version;
  });

  it('is listed before', async () => {
    expect(await listed('/applications?limit=100', 'applicant')).toContain(id);
    expect(await listed('/applications?state=DRAFT&limit=100', 'clerk')).toContain(id);
    expect(await listed('/applications?limit=100', 'auditor')).toContain(id);
  });

  it('refuses another applicant (404, as for none), an official (403) and a stale If-Match (412)', async () => {
    expect((await remove(id, otherApplicant)).status).toBe(404);
    for (const who of ['clerk', 'reviewer', 'approver', 'auditor', 'admin'] as const) {
      const res = await remove(id, who);
      expect(res.status, `${who}: ${res.text}`).toBe(403);
    }
    const stale = await remove(id, 'applicant', { 'if-match': `"${version - 1}"` });
    expect(stale.status, stale.text).toBe(412);
    const got = await stack.request('GET', `/applications/${id}`, { as: 'applicant' });
    expect(got.status, got.text).toBe(200);
  });

  it('answers 204 with If-Match naming the current version, and the same 204 to a retry with its key', async () => {
    const headers = { 'if-match': `"${version}"`, 'idempotency-key': `delete-${id}` };
    const res = await remove(id, 'applicant', headers);
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    const again = await remove(id, 'applicant', headers);
    expect(again.status, again.text).toBe(204);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('is in no list any more', async () => {
    for (const [path, who] of lists)
      expect(await listed(path, who), `${path} as ${JSON.stringify(who)}`).not.toContain(id);
  });

  it('is 404 to everyone, and a second DELETE is 404', async () => {
    for (const who of ['applicant', 'clerk', 'reviewer', 'auditor'] as const) {
      const res = await stack.request('GET', `/applications/${id}`, { as: who });
      expect(res.status, `${who}: ${res.text}`).toBe(404);
    }
    const patch = await stack.request('PATCH', `/applications/${id}`, {
      as: 'applicant',
      body: { project: { description: '还想改' } },
    });
    expect(patch.status, patch.text).toBe(404);
    const submit = await stack.request('POST', `/applications/${id}/actions/submit`, {
      as: 'applicant',
      body: {},
    });
    expect(submit.status, submit.text).toBe(404);
    expect((await remove(id, 'applicant')).status).toBe(404);
    const events = await stack.request('GET', `/applications/${id}/events`, { as: 'applicant' });
    expect(events.status, events.text).toBe(404);
  });

  it('leaves its trail to the auditor, ending in delete_draft, and the chain verifies', async () => {
    const res = await stack.request<{ items: Event[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.items.map((e) => e.action)).toEqual(['create', 'edit', 'delete_draft']);
    const last = res.json.items.at(-1);
    expect(last).toMatchObject({
      seq: 3,
      from: 'DRAFT',
      to: 'DRAFT',
      actor: { id: users.applicant.sub, role: 'applicant' },
    });
    expect(typeof last?.changes.deletedAt).toBe('string');
    const verify = await stack.request<{ ok: boolean; events: number }>(
      'GET',
      `/audit/applications/${id}/verify`,
      { as: 'auditor' },
    );
    expect(verify.status, verify.text).toBe(200);
    expect(verify.json).toMatchObject({ ok: true, events: 3 });
    const search = await stack.request<{ items: Event[] }>(
      'GET',
      `/audit/events?applicationId=${id}&limit=100`,
      { as: 'auditor' },
    );
    expect(search.status, search.text).toBe(200);
    expect(search.json.items.map((e) => e.action)).toContain('delete_draft');
  });
});

describe('what cannot be deleted', () => {
  it('a submitted application: 409 not-allowed-in-state, and it stays', async () => {
    const id = await submitted(stack, '2026-03-02');
    const res = await stack.request<{ type: string }>('DELETE', `/applications/${id}`, { as: 'applicant' });
    expect(res.status, res.text).toBe(409);
    expect(res.json.type).toMatch(/\/not-allowed-in-state$/);
    const got = await stack.request('GET', `/applications/${id}`, { as: 'applicant' });
    expect(got.status).toBe(200);
  });

  it('a walk-in: the clerk who took it in may delete it, another clerk may not', async () => {
    const orgCode = users.applicant.orgCode ?? '';
    const body = {
      ...draftBody('REPORT_FORM', '窗口代录后作废'),
      onBehalfOf: { orgName: '醴陵市某陶瓷有限公司', orgCode },
    };
    const id = await create('clerk', body);
    const colleague: TokenSubject = { sub: 'delete-other-clerk', name: '另一窗口', groups: ['clerk'] };
    expect((await remove(id, colleague)).status).toBe(403);
    const res = await remove(id, 'clerk');
    expect(res.status, res.text).toBe(204);
    expect((await stack.request('GET', `/applications/${id}`, { as: 'applicant' })).status).toBe(404);
  });
});

describe('two deletes at once, and what a deleted draft refuses', () => {
  it('exactly one 204 and one delete_draft event; uploads and materials are 404 and write nothing', async () => {
    const id = await create();
    const answers = await Promise.all([
      remove(id, 'applicant'),
      remove(id, 'applicant'),
      remove(id, 'applicant'),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses, answers.map((r) => r.text).join('\n')).toEqual([204, 404, 404]);
    const upload = await stack.request('POST', `/applications/${id}/uploads`, {
      as: 'applicant',
      body: {
        code: 'EIA_DOCUMENT',
        fileName: 'a.pdf',
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
        contentType: 'application/pdf',
      },
    });
    expect(upload.status, upload.text).toBe(404);
    for (const path of ['materials', 'documents', 'comments', 'hearing-requests']) {
      const res = await stack.request('GET', `/applications/${id}/${path}`, { as: 'applicant' });
      expect(res.status, `${path}: ${res.text}`).toBe(404);
    }
    const trail = await stack.request<{ items: Event[] }>('GET', `/applications/${id}/events?limit=100`, {
      as: 'auditor',
    });
    expect(trail.json.items.map((e) => e.action)).toEqual(['create', 'delete_draft']);
    const verify = await stack.request<{ ok: boolean }>('GET', `/audit/applications/${id}/verify`, {
      as: 'auditor',
    });
    expect(verify.json.ok).toBe(true);
  });
});
