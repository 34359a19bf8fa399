/**
 * The access log of applicants' personal data, against DynamoDB Local through the real handlers:
 * officials' and the auditor's reads of applications, lists and trails, and of the comments the
 * public sent, are each one entry naming the ids they returned; the owner's are not; masked exports show no applicant's real name or
 * phone anywhere; the auditor exports the log itself as CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack, users, type Who } from './helpers/local-stack.ts';
import { draft, ok } from './helpers/scenario.ts';

let stack: LocalStack;
let id: string;

interface Entry {
  kind: string;
  route?: string;
  applicationIds?: string[];
  applications?: { id: string; caseNumber?: string; projectName: string }[];
  actor: { id: string; name: string };
  filter?: Record<string, string>;
}

/** The whole access log, newest first. */
async function log(): Promise<Entry[]> {
  const res = await stack.request<{ items: Entry[] }>('GET', '/audit/access-log?limit=100', {
    as: 'auditor',
  });
  expect(res.status, res.text).toBe(200);
  return res.json.items;
}

/** The entries a request added (the log read before and after it). */
async function added(read: () => Promise<{ status: number; text: string }>): Promise<Entry[]> {
  const before = (await log()).length;
  const res = await read();
  expect(res.status, res.text).toBe(200);
  const after = await log();
  return after.slice(0, after.length - before);
}

const get = (path: string, as: Who) => stack.request('GET', path, { as });

beforeAll(async () => {
  stack = await startLocalStack();
  id = await draft(stack);
  await ok(stack, id, 'submit', 'applicant');
  await ok(stack, id, 'accept', 'clerk');
});
afterAll(async () => {
  await stack?.stop();
});

describe('reads of applicants’ personal data', () => {
  it("an auditor's list read is one entry naming the ids returned", async () => {
    const entries = await added(() => get('/applications?limit=50', 'auditor'));
    expect(entries).toEqual([
      expect.objectContaining({
        kind: 'PERSONAL_DATA_READ',
        route: 'GET /applications',
        applicationIds: [id],
        // As people name it: the case number it was given on acceptance, the project's name.
        applications: [
          { id, caseNumber: expect.stringMatching(/\S/), projectName: expect.stringMatching(/\S/) },
        ],
        actor: expect.objectContaining({ id: users.auditor.sub }),
        filter: { limit: '50' },
      }),
    ]);
  });

  it("an official's read of the application and of its trail, and the auditor's search", async () => {
    expect(await added(() => get(`/applications/${id}`, 'reviewer'))).toEqual([
      expect.objectContaining({ route: 'GET /applications/{id}', applicationIds: [id] }),
    ]);
    expect(await added(() => get(`/applications/${id}/events`, 'clerk'))).toEqual([
      expect.objectContaining({ route: 'GET /applications/{id}/events', applicationIds: [id] }),
    ]);
    expect(await added(() => get('/applications?q=陶瓷', 'auditor'))).toEqual([
      expect.objectContaining({ route: 'GET /applications', applicationIds: [id], filter: { q: '陶瓷' } }),
    ]);
  });

  it("the owner's reads are not logged", async () => {
    expect(await added(() => get('/applications', 'applicant'))).toEqual([]);
    expect(await added(() => get(`/applications/${id}`, 'applicant'))).toEqual([]);
    expect(await added(() => get(`/applications/${id}/events`, 'applicant'))).toEqual([]);
  });
});

describe("reads of the public's names and contacts", () => {
  it("an official's read of the comments is one entry naming the application; an empty list of hearing requests none", async () => {
    const notices = await stack.request<{
      items: { noticeId: string; applicationId: string; kind: string }[];
    }>('GET', '/public/notices?limit=100');
    const notice = notices.json.items.find((n) => n.applicationId === id && n.kind === 'ACCEPTANCE');
    expect(notice, notices.text).toBeDefined();
    const sent = await stack.request('POST', `/public/notices/${notice?.noticeId}/comments`, {
      body: { text: '请说明窑炉噪声如何控制。', name: '王秀英', contact: '13900001111' },
    });
    expect(sent.status, sent.text).toBe(202);
    expect(await added(() => get(`/applications/${id}/comments`, 'reviewer'))).toEqual([
      expect.objectContaining({
        kind: 'PERSONAL_DATA_READ',
        route: 'GET /applications/{id}/comments',
        applicationIds: [id],
        actor: expect.objectContaining({ id: users.reviewer.sub }),
      }),
    ]);
    expect(await added(() => get(`/applications/${id}/hearing-requests`, 'auditor'))).toEqual([]);
  });
});

describe('masked exports', () => {
  it.each(['json', 'ndjson', 'csv'])(
    'show no applicant’s real name or phone anywhere (%s)',
    async (format) => {
      const res = await stack.request('GET', `/audit/events?applicationId=${id}&format=${format}`, {
        as: 'auditor',
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(res.status, res.text).toBe(200);
      const bytes = Buffer.from(res.text, 'utf8');
      // The applicant who created it (刘建国, the actor of create, edit and submit), its contact person.
      for (const real of [users.applicant.name, '黄秀英', '13873301234'])
        expect(bytes.includes(Buffer.from(real, 'utf8')), real).toBe(false);
      expect(res.text).toContain('刘**');
      expect(res.text).toContain('黄**');
      // An official acts in office: named.
      expect(res.text).toContain(users.clerk.name);
    },
  );
});

describe('GET /audit/access-log?format=csv', () => {
  it('exports the log for a spreadsheet: BOM, Chinese headers, Beijing time', async () => {
    // The raw bytes, as a spreadsheet reads the file (a text decoder would drop the byte order mark).
    const res = await fetch(`${stack.baseUrl}/audit/access-log?format=csv&limit=100`, {
      headers: { authorization: `Bearer ${await stack.token('auditor')}`, 'accept-language': 'zh-CN' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(rows[1]).toBe(
      '时间（北京时间）,类型,访问人,角色,访问内容,查询条件,涉及申请（案号 项目名称）,申请编号（系统）,访问人账号（系统）,请求编号',
    );
    const reads = rows.filter((r) => r.includes(',查阅个人信息,'));
    const entries = await log();
    expect(reads.length).toBe(entries.filter((e) => e.kind === 'PERSONAL_DATA_READ').length);
    expect(reads.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,/.test(r) && r.includes(id))).toBe(true);
    // In words: what was read, the conditions, the application by case number and project name.
    const named = entries.find((e) => e.applications?.[0]?.caseNumber)?.applications?.[0];
    expect(named).toBeDefined();
    expect(reads.every((r) => r.includes(`${named?.caseNumber} ${named?.projectName}`))).toBe(true);
    expect(reads.some((r) => r.includes(',申请列表,关键词=陶瓷,'))).toBe(true);
    expect(reads.some((r) => r.includes(',办理记录,'))).toBe(true);
    expect(bytes.includes(Buffer.from('GET /applications', 'utf8'))).toBe(false);
    expect((await stack.request('GET', '/audit/access-log?format=csv', { as: 'reviewer' })).status).toBe(403);
  });
});
