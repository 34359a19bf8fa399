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
    filter: { state: 'SUBMITTED' },
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
    expect(res.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(['req-9', 'req-8']);
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
      '时间（北京时间）,类型,访问人,访问人账号,角色,访问内容,申请编号,条件（JSON）,请求编号',
    );
    expect(rows[2]).toBe(
      `2025-06-10 09:00:00,查阅个人信息,Chen Jing,reviewer-1,审查员,GET /applications,${APP_ID} b,"{""state"":""SUBMITTED""}",req-9`,
    );
    expect(rows[3]).toContain("2025-06-10 07:00:00,导出未遮蔽个人信息,'=cmd,auditor-1,审计员,");
    expect(rows).toHaveLength(5);
  });

  it('in English for an English reader', async () => {
    const res = await get({ format: 'csv' }, auditor, { 'accept-language': 'en' });
    expect(res.raw.slice(1).split('\r\n')[1]).toBe(
      'Time (Beijing time),Kind,Who,Account ID,Roles,What,Application IDs,Filter (JSON),Request ID',
    );
  });

  it('refuses anyone but the auditor, and an unknown format', async () => {
    expect((await get({ format: 'csv' }, clerk)).statusCode).toBe(403);
    const bad = await get({ format: 'xml' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['format']);
  });
});
