import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, invoke, lambdaContext, type Response, type User } from '../../support/api-events.ts';
import { APP_ID, clerk, type Handler, loadHandler, useHandlerEnvironment } from './fixtures.ts';

const ddb = useHandlerEnvironment();
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('audit-access-log');
});

const entries = [
  {
    pk: 'AUDITLOG',
    sk: '2025-06-10T01:00:00.000Z#req-9',
    kind: 'PERSONAL_DATA_READ',
    at: '2025-06-10T01:00:00.000Z',
    requestId: 'req-9',
    actor: { id: 'reviewer-1', name: 'Chen Jing', roles: ['reviewer'] },
    route: 'GET /applications',
    applicationIds: [APP_ID, 'b'],
    applications: [
      { id: APP_ID, caseNumber: 'LLHS-2025-0001', projectName: '醴陵陶瓷厂扩建' },
      { id: 'b', projectName: '株洲, 污水处理' },
    ],
    filter: { state: 'SUBMITTED', q: '醴陵', limit: '20' },
  },
  {
    pk: 'AUDITLOG',
    sk: '2025-06-10T00:00:00.000Z#req-7',
    kind: 'PERSONAL_DATA_READ',
    at: '2025-06-10T00:00:00.000Z',
    requestId: 'req-7',
    // Written before entries named the applications: the ids only.
    actor: { id: 'clerk-1', name: 'Li Na', roles: ['clerk'] },
    route: 'GET /applications/{id}/events',
    applicationIds: [APP_ID],
  },
  {
    pk: 'AUDITLOG',
    sk: '2025-06-09T23:00:00.000Z#req-8',
    kind: 'PERSONAL_DATA_EXPORT',
    at: '2025-06-09T23:00:00.000Z',
    requestId: 'req-8',
    actor: { id: 'auditor-1', name: '=cmd', role: 'auditor' },
    filter: { applicationId: APP_ID },
    format: 'csv',
    order: 'asc',
    continued: false,
  },
];

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: entries });
});

const event = (query: Record<string, string>, user: User, headers: Record<string, string>) =>
  apiEvent({ method: 'GET', route: '/audit/access-log', query, headers, user });

/** JSON answers parsed; a CSV kept as text (raw). */
async function get(
  query: Record<string, string>,
  user: User = auditor,
  headers: Record<string, string> = {},
): Promise<Response> {
  if (query.format !== 'csv') return invoke(handler, event(query, user, headers));
  const out = (await handler(event(query, user, headers), lambdaContext)) as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
  };
  const json = out.headers['content-type']?.includes('json') ? JSON.parse(out.body) : undefined;
  return { statusCode: out.statusCode, headers: out.headers, raw: out.body, body: json };
}

describe('GET /audit/access-log', () => {
  it('pages the log as JSON, newest first, without its keys', async () => {
    const res = await get({});
    expect(res.statusCode).toBe(200);
    expect(res.body.items.map((i: { requestId: string }) => i.requestId)).toEqual([
      'req-9',
      'req-7',
      'req-8',
    ]);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({ ScanIndexForward: false });
  });

  it('exports it as CSV: byte order mark, Chinese headers, Beijing time, safe cells', async () => {
    const res = await get({ format: 'csv' }, auditor, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="access-log-20250610T020000Z\.csv"$/,
    );
    expect(res.headers['content-language']).toBe('zh-CN');
    expect([...Buffer.from(res.raw, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = res.raw.slice(1).split('\r\n');
    expect(rows[0]).toContain('个人信息访问日志导出；导出时间（北京时间）2025-06-10 10:00:00');
    expect(rows[1]).toBe(
      '时间（北京时间）,类型,访问人,角色,访问内容,查询条件,涉及申请（案号 项目名称）,申请编号（系统）,访问人账号（系统）,请求编号',
    );
    // What was read and with which conditions in words; the applications by case number and project.
    expect(rows[2]).toBe(
      `2025-06-10 09:00:00,查阅个人信息,Chen Jing,审查员,申请列表,状态=已提交；关键词=醴陵,"LLHS-2025-0001 醴陵陶瓷厂扩建；株洲, 污水处理",${APP_ID} b,reviewer-1,req-9`,
    );
    // An older entry holds only ids: the names' cell is empty, the ids are kept.
    expect(rows[3]).toBe(
      `2025-06-10 08:00:00,查阅个人信息,Li Na,窗口受理,办理记录,,,${APP_ID},clerk-1,req-7`,
    );
    expect(rows[4]).toBe(
      `2025-06-10 07:00:00,导出未遮蔽个人信息,'=cmd,审计员,导出审计记录（表格）,申请编号（系统）=${APP_ID}；顺序=从早到晚,,${APP_ID},auditor-1,req-8`,
    );
    expect(res.raw).not.toContain('GET /');
    expect(res.raw).not.toContain('{"');
    expect(rows).toHaveLength(6);
  });

  it('in English for an English reader', async () => {
    const res = await get({ format: 'csv' }, auditor, { 'accept-language': 'en' });
    expect(res.raw.slice(1).split('\r\n')[1]).toBe(
      'Time (Beijing time),Kind,Who,Roles,What,Conditions,Applications (case number and project),Application IDs (system),Account ID (system),Request ID',
    );
    expect(res.raw.slice(1).split('\r\n')[2]).toContain(
      ',Reviewer,The list of applications,State=Submitted; Search=醴陵,',
    );
  });

  it('refuses anyone but the auditor, and an unknown format', async () => {
    expect((await get({ format: 'csv' }, clerk)).statusCode).toBe(403);
    const bad = await get({ format: 'xml' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['format']);
  });
});
