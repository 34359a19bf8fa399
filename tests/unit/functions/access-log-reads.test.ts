import { ThrottlingException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appKey } from '../../../shared/store/keys.ts';
import { apiEvent, invoke, type User } from '../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  type Handler,
  loadHandler,
  owner,
  reviewer,
  storedApplication,
  TABLE,
  useHandlerEnvironment,
} from './fixtures.ts';

/**
 * Reads of applicants' names and phones by officials and the auditor are each one entry of the
 * access log, written before the answer; the owner's own reads are not logged.
 */
const ddb = useHandlerEnvironment();
const auditor: User = { sub: 'auditor-1', name: 'Sun Li', groups: ['auditor'] };
const OTHER_ID = '5c2a9a4e-1f0b-4c7e-8d2a-3b9e7f6a1c20';
let getApplication: Handler;
let listApplications: Handler;
let listEvents: Handler;
let listComments: Handler;
let listHearingRequests: Handler;

beforeAll(async () => {
  getApplication = await loadHandler('get-application');
  listApplications = await loadHandler('list-applications');
  listEvents = await loadHandler('list-events');
  listComments = await loadHandler('list-comments');
  listHearingRequests = await loadHandler('list-hearing-requests');
});

const one = storedApplication('SUBMITTED');
const two = storedApplication('SUBMITTED', OTHER_ID);
/** The second as if accepted already: it has a case number. */
const twoNumbered = { ...two.item, caseNumber: 'LLHS-2026-7F3K2Q9M' };

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand, { TableName: TABLE, Key: appKey(APP_ID) }).resolves({ Item: one.item });
  ddb.on(TransactWriteCommand).resolves({});
  serve([one.item, twoNumbered]);
});

/** A list's index reads find `apps`; a trail's read (the table itself) finds the first one's events. */
function serve(apps: Record<string, unknown>[]) {
  ddb
    .on(QueryCommand)
    .callsFake((input: { IndexName?: string }) =>
      input.IndexName
        ? { Items: apps }
        : { Items: one.events.map((e, i) => ({ ...e, pk: `APP#${APP_ID}`, sk: `EVT#${i}` })) },
    );
}

/** The access-log entries written, as items. */
const entries = () =>
  ddb
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => c.args[0].input.TransactItems ?? [])
    .map((t) => t.Put?.Item as Record<string, unknown>);

const get = (handler: Handler, route: string, user: User, query: Record<string, string> = {}) =>
  invoke(handler, apiEvent({ method: 'GET', route, pathParameters: { id: APP_ID }, query, user }));

describe('the access log of personal-data reads', () => {
  it("an auditor's list read is one entry naming every id returned, before the answer", async () => {
    const res = await get(listApplications, '/applications', auditor, { limit: '10' });
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([APP_ID, OTHER_ID]);
    expect(entries()).toEqual([
      expect.objectContaining({
        pk: 'AUDITLOG',
        kind: 'PERSONAL_DATA_READ',
        route: 'GET /applications',
        applicationIds: [APP_ID, OTHER_ID],
        // The same, as people name them: the case number where there is one, the project's name.
        applications: [
          { id: APP_ID, projectName: one.app.project.name },
          { id: OTHER_ID, caseNumber: 'LLHS-2026-7F3K2Q9M', projectName: two.app.project.name },
        ],
        actor: { id: auditor.sub, name: auditor.name, roles: ['auditor'] },
        filter: { limit: '10' },
      }),
    ]);
    const put = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.[0]?.Put;
    expect(put?.ConditionExpression).toBe('attribute_not_exists(pk)');
  });

  it("an official's read of one application and of its trail is each one entry", async () => {
    expect((await get(getApplication, '/applications/{id}', reviewer)).statusCode).toBe(200);
    expect((await get(listEvents, '/applications/{id}/events', clerk)).statusCode).toBe(200);
    expect(entries().map((e) => [e.route, e.applicationIds, (e.actor as { id: string }).id])).toEqual([
      ['GET /applications/{id}', [APP_ID], reviewer.sub],
      ['GET /applications/{id}/events', [APP_ID], clerk.sub],
    ]);
  });

  it("the owner's own reads are not logged", async () => {
    serve([one.item]);
    expect((await get(listApplications, '/applications', owner)).statusCode).toBe(200);
    expect((await get(getApplication, '/applications/{id}', owner)).statusCode).toBe(200);
    expect((await get(listEvents, '/applications/{id}/events', owner)).statusCode).toBe(200);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('an empty page writes nothing', async () => {
    serve([]);
    expect((await get(listApplications, '/applications', auditor)).statusCode).toBe(200);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    ['GET /applications', () => get(listApplications, '/applications', auditor)],
    ['GET /applications/{id}', () => get(getApplication, '/applications/{id}', auditor)],
    ['GET /applications/{id}/events', () => get(listEvents, '/applications/{id}/events', auditor)],
  ])('%s fails with 503 when the entry cannot be written, showing nothing', async (_route, read) => {
    ddb.on(TransactWriteCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const res = await read();
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.raw).not.toContain('13800138000');
    expect(res.raw).not.toContain('李明');
  });
});

describe("the access log of reads of the public's names and contacts", () => {
  const comment = {
    commentId: '20250609T030000000Z-1a2b3c4d',
    applicationId: APP_ID,
    noticeId: 'notice-1',
    noticeKind: 'ACCEPTANCE',
    receivedAt: '2025-06-09T03:00:00.000Z',
    text: '噪声太大',
    name: '王秀英',
    contact: '13900001111',
  };
  const hearingRequest = {
    hearingRequestId: 'h-1',
    applicationId: APP_ID,
    noticeId: 'notice-1',
    receivedAt: '2025-06-09T03:00:00.000Z',
    name: '李四',
    contact: 'li.si@example.cn',
    reason: '影响居住',
  };

  /** The application's comments and hearing requests: `items` of each, by the sort-key prefix asked for. */
  function servePublic(items: { comments: unknown[]; hearings: unknown[] }) {
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues?: Record<string, unknown> }) => {
      const prefix = input.ExpressionAttributeValues?.[':prefix'];
      const found =
        prefix === 'COMMENT#' ? items.comments : prefix === 'HEARING_REQUEST#' ? items.hearings : [];
      return { Items: found.map((i, n) => ({ ...(i as object), pk: `APP#${APP_ID}`, sk: `${prefix}${n}` })) };
    });
  }

  it.each([
    ['GET /applications/{id}/comments', () => listComments, reviewer],
    ['GET /applications/{id}/hearing-requests', () => listHearingRequests, auditor],
  ])('%s is one entry naming the application, written before the answer', async (route, handler, user) => {
    servePublic({ comments: [comment], hearings: [hearingRequest] });
    const res = await get(handler(), route.slice(4), user);
    expect(res.statusCode, res.raw).toBe(200);
    expect(res.raw).toMatch(/王秀英|李四/);
    expect(entries()).toEqual([
      expect.objectContaining({
        pk: 'AUDITLOG',
        kind: 'PERSONAL_DATA_READ',
        route,
        applicationIds: [APP_ID],
        actor: { id: user.sub, name: user.name, roles: [...user.groups] },
      }),
    ]);
  });

  it('an empty list holds nobody’s name and writes nothing', async () => {
    servePublic({ comments: [], hearings: [] });
    expect((await get(listComments, '/applications/{id}/comments', reviewer)).statusCode).toBe(200);
    expect((await get(listHearingRequests, '/applications/{id}/hearing-requests', clerk)).statusCode).toBe(
      200,
    );
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    ['comments', () => listComments, '/applications/{id}/comments'],
    ['hearing requests', () => listHearingRequests, '/applications/{id}/hearing-requests'],
  ])(
    'a list of %s fails with 503 when the entry cannot be written, showing no name',
    async (_what, handler, route) => {
      servePublic({ comments: [comment], hearings: [hearingRequest] });
      ddb.on(TransactWriteCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
      const res = await get(handler(), route, reviewer);
      expect(res.statusCode).toBe(503);
      expect(res.raw).not.toMatch(/王秀英|李四|13900001111|li\.si/);
    },
  );
});
