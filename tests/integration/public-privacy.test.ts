/**
 * What the public routes (no token) give away: no applicant's personal data (docs/audit.md: the
 * contact person's name and phone; also the owner's account, the organisation code and who acted),
 * and no way to find applications that are not public, by paging, by cursor or by id.
 */
import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenSubject } from '../../local/tokens.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import type { Category } from '../../shared/domain/types.ts';
import { usccCheckChar } from '../../shared/domain/uscc.ts';
import { routes } from '../../shared/http/routes.ts';
import {
  type LocalStack,
  type StackResponse,
  startLocalStack,
  users,
  type Who,
} from './helpers/local-stack.ts';
import { withFiles } from './helpers/uploads.ts';

type Json = Record<string, unknown>;

/** Everything personal this file puts in, each unlikely to occur by chance. */
const owner: TokenSubject = {
  sub: 'owner-7f3a9c',
  name: '欧阳秘密',
  groups: ['applicant'],
  orgCode: `92430281MA4PR7W1X${usccCheckChar('92430281MA4PR7W1X')}`,
};
const outsider: TokenSubject = {
  sub: 'outsider-2b81',
  name: '路人甲',
  groups: ['applicant'],
  orgCode: `91430281MA4QT8E1X${usccCheckChar('91430281MA4QT8E1X')}`,
};
const CONTACT_NAME = '欧阳秘密';
const CONTACT_PHONE = '13911112222';
const personal = [CONTACT_NAME, CONTACT_PHONE, owner.sub, owner.orgCode ?? ''];
/** The keys of a notice (shared/domain/types.ts Notice): anything else is a leak until reviewed. */
const NOTICE_KEYS = new Set([
  // Its own key, encoded: the publishing instant, the application and the kind, all public.
  'noticeId',
  'kind',
  'applicationId',
  'publishedAt',
  'publishedOn',
  'endsOn',
  'category',
  'projectName',
  'location',
  'industry',
  'orgName',
  'number',
  'outcome',
  'conditions',
  'reasons',
  // A period's last day counted through an unpublished year (docs/clocks.md#provisional-dates).
  'provisional',
  'provisionalDates',
  'provisionalNote',
  // How many comments came in on it: a count, nobody's name.
  'commentCount',
]);

let stack: LocalStack;
/** Application id → whether it must be public (has a notice). */
const apps = new Map<string, { state: string; project: string; public: boolean }>();

/**
 * The public write budget of this file's functions: a handful per address and window, so that
 * the limit is met in a few requests (each test below writes from addresses of its own).
 */
const PUBLIC_WRITE_LIMIT = 4;
const savedLimit = process.env.PUBLIC_WRITE_LIMIT;

beforeAll(async () => {
  // Read by the handlers on their first public write (as at a cold start), after this.
  process.env.PUBLIC_WRITE_LIMIT = String(PUBLIC_WRITE_LIMIT);
  stack = await startLocalStack();
  await stack.setNow('2026-04-01T09:00:00+08:00');
  // Not public: a draft, a preview request, a submitted one, one declined, one withdrawn.
  await make('DRAFT', 'REPORT_FORM', []);
  await make('PREVIEW_REQUESTED', 'REPORT_FORM', [['request_preview', owner, { question: '类别？' }]]);
  await make('SUBMITTED', 'REPORT_FORM', [['submit', owner]]);
  await make('NOT_ACCEPTED', 'REPORT_FORM', [
    ['submit', owner],
    ['decline', 'clerk', { reason: '不属于本局管辖' }],
  ]);
  await make('WITHDRAWN', 'REPORT', [
    ['submit', owner],
    ['withdraw', owner, { reason: '项目取消' }],
  ]);
  // Public: one accepted (acceptance notice), one filed (filing notice).
  await make('ACCEPTED', 'REPORT_FORM', [
    ['submit', owner],
    ['accept', 'clerk'],
  ]);
  await make('FILED', 'REGISTRATION', [['submit', owner]]);
});
afterAll(async () => {
  await stack?.stop();
  if (savedLimit === undefined) delete process.env.PUBLIC_WRITE_LIMIT;
  else process.env.PUBLIC_WRITE_LIMIT = savedLimit;
});

async function make(state: string, category: Category, steps: [string, Who, Json?][]) {
  const project = `隐私测试项目-${state}`;
  const res = await stack.request<Json>('POST', '/applications', {
    as: owner,
    body: {
      category,
      project: {
        name: project,
        location: '醴陵市孙家湾镇',
        industry: '陶瓷制品制造',
        investmentCny: 800_000,
      },
      applicant: {
        orgName: '醴陵市欧阳瓷器店',
        orgCode: owner.orgCode,
        contactName: CONTACT_NAME,
        contactPhone: CONTACT_PHONE,
      },
      materials: defaultConfig.required[category].map((code) => ({
        code,
        fileName: `${code.toLowerCase()}.pdf`,
        sha256: createHash('sha256').update(code).digest('hex'),
        sizeBytes: 4096,
      })),
    },
  });
  expect(res.status, res.text).toBe(201);
  const id = String(res.json.id);
  // A submission names files.
  if (steps.some(([action]) => action === 'submit')) await withFiles(stack, id, owner);
  let last = res.json;
  for (const [action, as, body] of steps) {
    const step = await stack.request<{ application: Json }>('POST', `/applications/${id}/actions/${action}`, {
      as,
      body: body ?? {},
    });
    expect(step.status, `${action}: ${step.text}`).toBe(200);
    last = step.json.application;
  }
  expect(last.state).toBe(state);
  apps.set(id, { state, project, public: state === 'ACCEPTED' || state === 'FILED' });
}

/** Every notice, one per page, following the cursors; with every raw body seen on the way. */
async function allNotices(): Promise<{ items: Json[]; bodies: string[]; cursors: string[] }> {
  const items: Json[] = [];
  const bodies: string[] = [];
  const cursors: string[] = [];
  let cursor: string | undefined;
  do {
    const q = cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await stack.request<{ items: Json[]; cursor?: string }>('GET', `/public/notices?limit=1${q}`);
    expect(res.status, res.text).toBe(200);
    items.push(...res.json.items);
    bodies.push(res.text);
    cursor = res.json.cursor;
    if (cursor !== undefined) cursors.push(cursor);
    expect(items.length).toBeLessThan(50);
  } while (cursor !== undefined);
  return { items, bodies, cursors };
}

/** `keys`: also no field that holds personal data (schemas, such as /openapi.json, name them). */
function expectNoPersonalData(text: string, what: string, keys = true) {
  for (const value of personal) expect(text, `${what} contains ${value}`).not.toContain(value);
  if (!keys) return;
  for (const key of ['contactName', 'contactPhone', 'ownerId', 'orgCode', 'actor', 'caseOfficerId']) {
    expect(text, `${what} has a ${key}`).not.toContain(`"${key}"`);
  }
}

describe('GET /public/notices', () => {
  it('lists the public applications only, whichever way it is paged', async () => {
    const { items } = await allNotices();
    const listed = new Set(items.map((n) => String(n.applicationId)).filter((id) => apps.has(id)));
    const expected = [...apps].filter(([, a]) => a.public).map(([id]) => id);
    expect([...listed].sort()).toEqual(expected.sort());
    expect(items.map((n) => n.kind).sort()).toEqual(['ACCEPTANCE', 'FILING']);
    // And by name, too: no project that is not public appears anywhere.
    const text = JSON.stringify(items);
    for (const a of apps.values()) {
      if (a.public) expect(text).toContain(a.project);
      else expect(text, a.state).not.toContain(a.project);
    }
  });

  it('carries no personal data, in the notices, the page bodies or the cursors', async () => {
    const { items, bodies, cursors } = await allNotices();
    for (const notice of items) {
      expect(Object.keys(notice).filter((key) => !NOTICE_KEYS.has(key))).toEqual([]);
    }
    for (const [i, body] of bodies.entries()) expectNoPersonalData(body, `page ${i + 1}`);
    // Cursors are signed, not encrypted: what they carry is readable, so it must be public too.
    for (const cursor of cursors) {
      const data = Buffer.from(cursor.split('.')[0] ?? '', 'base64url').toString('utf8');
      expectNoPersonalData(data, 'a cursor');
    }
    // The organisation's name is public (it is on the paper notice); its contact is not.
    expect(items.find((n) => n.kind === 'FILING')).toMatchObject({ orgName: '醴陵市欧阳瓷器店' });
  });

  it('takes no filter that could select by state, owner or id', async () => {
    for (const query of [
      'state=DRAFT',
      'ownerId=owner-7f3a9c',
      'applicationId=x',
      'mine=true',
      'queue=mine',
    ]) {
      const res = await stack.request<{ issues?: { path: string }[] }>('GET', `/public/notices?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json.issues?.map((i) => i.path).join(' '), query).toContain(query.split('=')[0]);
    }
  });

  it('refuses forged, edited and borrowed cursors, naming the cursor', async () => {
    const { cursors } = await allNotices();
    const first = cursors[0] ?? '';
    expect(first).not.toBe('');
    const [data = '', mac = ''] = first.split('.');
    // A key of the caller's choosing, e.g. the partition of applications, with the old signature.
    const forgedKey = Buffer.from(
      JSON.stringify({ k: { pk: 'APP#x', sk: 'APP' }, q: '["notices"]' }),
    ).toString('base64url');
    // A genuine cursor of a signed-in list, where the applicant's own applications are.
    const own = await stack.request<{ cursor?: string }>('GET', '/applications?limit=1', { as: owner });
    expect(own.json.cursor).toBeDefined();
    for (const bad of [
      `${forgedKey}.${mac}`,
      `${data}.${mac.slice(0, -2)}AA`,
      `${data}x.${mac}`,
      forgedKey,
      own.json.cursor ?? '',
    ]) {
      const res = await stack.request<{ issues?: { path: string }[] }>(
        'GET',
        `/public/notices?cursor=${encodeURIComponent(bad)}`,
      );
      expect(res.status, bad).toBe(400);
      expect(res.json.issues?.map((i) => i.path)).toContain('cursor');
    }
  });

  it('bounds the page size', async () => {
    for (const limit of ['0', '101', '1e3', '-1']) {
      const res = await stack.request<{ issues?: { path: string }[] }>(
        'GET',
        `/public/notices?limit=${limit}`,
      );
      expect(res.status, limit).toBe(400);
      expect(res.json.issues?.map((i) => i.path)).toContain('limit');
    }
  });
});

describe('the other public routes', () => {
  it('/workflow and /openapi.json hold nothing of any application', async () => {
    for (const path of ['/workflow', '/openapi.json']) {
      const res = await stack.request('GET', path);
      expect(res.status, path).toBe(200);
      expectNoPersonalData(res.text, path, false);
      for (const [id, a] of apps) {
        expect(res.text, path).not.toContain(id);
        expect(res.text, path).not.toContain(a.project);
      }
    }
  });

  it('are exactly the public routes without a token', () => {
    expect(routes.filter((r) => !r.auth).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /public/notices',
      'GET /public/notices/{noticeId}',
      'GET /public/notices/{noticeId}/public-version',
      'POST /public/notices/{noticeId}/comments',
      'POST /public/notices/{noticeId}/hearing-requests',
      'GET /public/documents/{number}',
      'GET /public/documents/{number}/file',
      'GET /workflow',
      'GET /openapi.json',
    ]);
  });
});

/** A response with the id it was asked about blanked out, and the per-request parts dropped. */
function comparable(res: StackResponse, id: string) {
  const { 'apigw-requestid': _r, date: _d, 'content-length': _l, ...headers } = res.headers;
  return { status: res.status, headers, body: res.text.replaceAll(id, '<id>') };
}

describe('an application that is not the caller’s', () => {
  const privateId = () => {
    const found = [...apps].find(([, a]) => a.state === 'DRAFT');
    if (!found) throw new Error('no draft made');
    return found[0];
  };
  const probes: [string, string, Json?][] = [
    ['GET', ''],
    ['GET', '/events'],
    ['PATCH', '', { project: { name: '改名' } }],
    ['POST', '/actions/withdraw', {}],
    ['POST', '/actions/submit', {}],
  ];

  it('answers an anonymous caller exactly as for an id that does not exist', async () => {
    const unknown = randomUUID();
    for (const [method, suffix, body] of probes) {
      const real = await stack.request(method, `/applications/${privateId()}${suffix}`, { body });
      const none = await stack.request(method, `/applications/${unknown}${suffix}`, { body });
      expect(real.status, `${method} ${suffix}`).toBe(401);
      expect(comparable(real, privateId()), `${method} ${suffix}`).toEqual(comparable(none, unknown));
    }
  });

  it('answers another applicant exactly as for an id that does not exist', async () => {
    const unknown = randomUUID();
    for (const [method, suffix, body] of probes) {
      const real = await stack.request(method, `/applications/${privateId()}${suffix}`, {
        as: outsider,
        body,
      });
      const none = await stack.request(method, `/applications/${unknown}${suffix}`, { as: outsider, body });
      expect(real.status, `${method} ${suffix}: ${real.text}`).toBe(404);
      expect(comparable(real, privateId()), `${method} ${suffix}`).toEqual(comparable(none, unknown));
      expectNoPersonalData(real.text, `${method} ${suffix}`);
    }
    // And the draft is untouched.
    const seen = await stack.request<Json>('GET', `/applications/${privateId()}`, { as: owner });
    expect(seen.json).toMatchObject({ state: 'DRAFT', version: 1 });
  });

  it('never appears in another applicant’s list, however it is paged or filtered', async () => {
    for (const query of ['', '?mine=true', '?state=DRAFT', '?state=ACCEPTED', '?category=REPORT_FORM']) {
      const res = await stack.request<{ items: Json[] }>('GET', `/applications${query}`, { as: outsider });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
      expect(
        res.json.items.filter((a) => apps.has(String(a.id))),
        query,
      ).toEqual([]);
    }
  });

  it('is the owner’s to see, with the personal data the public does not get', async () => {
    const res = await stack.request<Json>('GET', `/applications/${privateId()}`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.text).toContain(CONTACT_PHONE);
    // The demo applicant (another account of the same kind) does not see it either.
    expect((await stack.request('GET', `/applications/${privateId()}`, { as: users.applicant })).status).toBe(
      404,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The public write routes: the budget per source address, and the public's names in the trail.

/**
 * A POST sent from `address` (any 127.x.y.z reaches the server on Linux): the source address the
 * local server hands the function, as API Gateway hands it the TCP peer's.
 */
function postFrom(
  address: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<StackResponse<Json>> {
  const url = new URL(stack.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        localAddress: address,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Json = {};
          try {
            json = JSON.parse(text) as Json;
          } catch {}
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
            ),
            json,
            text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The accepted application's acceptance notice (open for comments from 04-01). */
async function acceptanceNotice(): Promise<{ applicationId: string; noticeId: string }> {
  const { items } = await allNotices();
  const notice = items.find((n) => n.kind === 'ACCEPTANCE');
  if (!notice) throw new Error('no acceptance notice');
  return { applicationId: String(notice.applicationId), noticeId: String(notice.noticeId) };
}

const commentsPath = (noticeId: string) => `/public/notices/${encodeURIComponent(noticeId)}/comments`;

interface EventJson {
  action: string;
  actor: { id: string };
  payload: Record<string, unknown>;
}
async function receivedComments(
  id: string,
  who: Who,
): Promise<{ personalData: unknown; events: EventJson[] }> {
  const res = await stack.request<{ items: EventJson[]; personalData: string }>(
    'GET',
    `/applications/${id}/events?limit=100`,
    { as: who },
  );
  expect(res.status, res.text).toBe(200);
  return {
    personalData: res.json.personalData,
    events: res.json.items.filter((e) => e.action === 'receive_comment'),
  };
}

describe('the public write budget per source address', () => {
  it('answers 429 problem+json with Retry-After over the limit, storing nothing; another address is unaffected', async () => {
    // 10:00 Beijing is the start of a 10-minute window: the whole test falls in it.
    await stack.setNow('2026-04-02T10:00:00+08:00');
    const { applicationId, noticeId } = await acceptanceNotice();
    const path = commentsPath(noticeId);
    const before = (
      await stack.request<{ received: number }>('GET', `/applications/${applicationId}/comments`, {
        as: 'reviewer',
      })
    ).json.received;

    // A bad body counts too: the budget is spent by requests, not by comments stored.
    const bad = await postFrom('127.0.0.2', path, { text: '' });
    expect(bad.status, bad.text).toBe(400);
    for (let i = 1; i < PUBLIC_WRITE_LIMIT; i++) {
      const res = await postFrom('127.0.0.2', path, { text: `限额内的意见 ${i}` });
      expect(res.status, res.text).toBe(202);
    }
    // Over it: 429, whatever X-Forwarded-For claims (API Gateway's source address is the peer's).
    for (const headers of [{}, { 'x-forwarded-for': '198.51.100.77' }]) {
      const refused = await postFrom('127.0.0.2', path, { text: '超出限额的意见', name: '超限者' }, headers);
      expect(refused.status, refused.text).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json).toMatchObject({
        type: expect.stringMatching(/\/too-many-requests$/),
        status: 429,
        title: 'Too many requests',
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(600);
    }

    // The budget is for the public write routes together: a hearing request is refused too.
    const hearing = await postFrom(
      '127.0.0.2',
      `/public/notices/${encodeURIComponent(noticeId)}/hearing-requests`,
      {
        name: '超限者',
        contact: '13900000000',
        reason: '要求听证',
      },
    );
    expect(hearing.status, hearing.text).toBe(429);

    // Nothing of the refused comments was stored: the count, the list and the trail.
    const listed = await stack.request<{ received: number; items: { text: string }[] }>(
      'GET',
      `/applications/${applicationId}/comments`,
      { as: 'reviewer' },
    );
    expect(listed.json.received).toBe(before + PUBLIC_WRITE_LIMIT - 1);
    expect(listed.text).not.toContain('超出限额的意见');
    const { events } = await receivedComments(applicationId, 'auditor');
    expect(JSON.stringify(events)).not.toContain('超限者');

    // Another address has its own budget.
    const other = await postFrom('127.0.0.3', path, { text: '另一个地址的意见' });
    expect(other.status, other.text).toBe(202);
    // And the next window starts afresh.
    await stack.setNow('2026-04-02T10:10:00+08:00');
    const next = await postFrom('127.0.0.2', path, { text: '下一个时段的意见' });
    expect(next.status, next.text).toBe(202);
  });
});

describe('the public’s names and contacts in the trail', () => {
  it('shows them to officials and the auditor as given, and to the applicant masked', async () => {
    await stack.setNow('2026-04-02T11:00:00+08:00');
    const { applicationId, noticeId } = await acceptanceNotice();
    const given = await postFrom('127.0.0.4', commentsPath(noticeId), {
      text: '请说明废水去向',
      name: '刘建国',
      contact: 'liuwei@x',
    });
    expect(given.status, given.text).toBe(202);
    const phone = await postFrom('127.0.0.4', commentsPath(noticeId), {
      text: '噪声怎么控制',
      name: '欧阳',
      contact: '13911113333',
    });
    expect(phone.status, phone.text).toBe(202);
    const ours = (events: EventJson[]) =>
      events.filter(
        (e) => e.payload.commentId === given.json.commentId || e.payload.commentId === phone.json.commentId,
      );

    for (const who of ['reviewer', 'clerk', 'approver', 'auditor'] as const) {
      const { events, personalData } = await receivedComments(applicationId, who);
      expect(personalData, who).toBe('included');
      expect(
        ours(events).map((e) => e.payload),
        who,
      ).toEqual([
        expect.objectContaining({ name: '刘建国', contact: 'liuwei@x' }),
        expect.objectContaining({ name: '欧阳', contact: '13911113333' }),
      ]);
    }

    const seen = await receivedComments(applicationId, owner);
    expect(seen.personalData).toBe('masked');
    expect(ours(seen.events).map((e) => e.payload)).toEqual([
      expect.objectContaining({ name: '刘**', contact: 'l*****@x', noticeId }),
      expect.objectContaining({ name: '欧*', contact: '139****3333' }),
    ]);
    const all = await stack.request('GET', `/applications/${applicationId}/events?limit=100`, { as: owner });
    for (const secret of ['刘建国', 'liuwei@x', '13911113333', '请说明废水去向'])
      expect(all.text).not.toContain(secret);

    // The trail as stored still verifies.
    const verify = await stack.request<{ ok: boolean }>(
      'GET',
      `/audit/applications/${applicationId}/verify`,
      {
        as: 'auditor',
      },
    );
    expect(verify.json.ok, verify.text).toBe(true);

    // Exports mask them like the applicant's contact, unless the auditor asks (and is logged).
    const masked = await stack.request(
      'GET',
      `/audit/events?applicationId=${applicationId}&action=receive_comment`,
      {
        as: 'auditor',
      },
    );
    expect(masked.status, masked.text).toBe(200);
    expect(masked.text).toContain('刘**');
    expect(masked.text).not.toContain('liuwei@x');
    const full = await stack.request(
      'GET',
      `/audit/events?applicationId=${applicationId}&action=receive_comment&includePersonalData=true`,
      { as: 'auditor' },
    );
    expect(full.text).toContain('liuwei@x');
  });

  it('counts them on the notice, for anyone, without a name', async () => {
    const { noticeId } = await acceptanceNotice();
    const detail = await stack.request<Json>('GET', `/public/notices/${encodeURIComponent(noticeId)}`);
    expect(detail.status, detail.text).toBe(200);
    const listed = (await allNotices()).items.find((n) => n.noticeId === noticeId);
    expect(listed?.commentCount).toBe(detail.json.commentCount);
    // Every comment this file had stored on it: the budget's 3 + 1 + 1, and the two above.
    expect(detail.json.commentCount).toBe(PUBLIC_WRITE_LIMIT - 1 + 2 + 2);
    expectNoPersonalData(detail.text, 'the notice');
    for (const name of ['刘建国', 'liuwei', '1391111']) expect(detail.text).not.toContain(name);
    // The filing notice takes no comments: 0.
    expect((await allNotices()).items.find((n) => n.kind === 'FILING')?.commentCount).toBe(0);
  });
});
