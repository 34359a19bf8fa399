import { GetCommand, QueryCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { actionNames } from '../../../shared/schemas/actions.ts';
import { apiEvent, type Event, invoke, type User } from '../../support/api-events.ts';
import {
  APP_ID,
  clerk,
  createBody,
  type Handler,
  loadHandler,
  owner,
  reviewer,
  storedApplication,
  useHandlerEnvironment,
} from './fixtures.ts';

/** docs/http-api.md#errors: "Never a 500 for bad input" — whatever the body, query or headers, the answer is a 4xx. */
const ddb = useHandlerEnvironment();
let takeAction: Handler;
let createApplication: Handler;
let updateApplication: Handler;
let listApplications: Handler;

beforeAll(async () => {
  takeAction = await loadHandler('take-action');
  createApplication = await loadHandler('create-application');
  updateApplication = await loadHandler('update-application');
  listApplications = await loadHandler('list-applications');
});
beforeEach(() => {
  ddb.reset();
  const { item } = storedApplication('SUBMITTED');
  ddb.on(GetCommand).resolves({ Item: item });
  ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: item }, {}] });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  // A 500 logs; keep the output quiet and let the status say it.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

async function status(handler: Handler, event: Event): Promise<number> {
  const res = await invoke(handler, event);
  if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${event.rawPath}: ${res.raw}`);
  expect(res.headers['content-type']).toMatch(/json/);
  return res.statusCode;
}

const users = fc.constantFrom<User>(owner, clerk, reviewer);

describe('no 500 for bad input', () => {
  it('any JSON body to any action, as any role', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue(),
        fc.constantFrom(...actionNames, 'nope'),
        users,
        async (body, action, user) => {
          await status(
            takeAction,
            apiEvent({
              method: 'POST',
              route: '/applications/{id}/actions/{action}',
              pathParameters: { id: APP_ID, action },
              body: JSON.stringify(body),
              user,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any JSON body to create and to PATCH', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const raw = JSON.stringify(body);
        await status(
          createApplication,
          apiEvent({ method: 'POST', route: '/applications', body: raw, user: owner }),
        );
        await status(
          updateApplication,
          apiEvent({
            method: 'PATCH',
            route: '/applications/{id}',
            pathParameters: { id: APP_ID },
            body: raw,
            user: owner,
          }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('any value in any field of an otherwise valid create body', async () => {
    const fields = fc.constantFrom('category', 'project', 'applicant', 'materials');
    await fc.assert(
      fc.asyncProperty(fields, fc.jsonValue(), async (field, value) => {
        const body = { ...createBody(), [field]: value };
        await status(
          createApplication,
          apiEvent({ method: 'POST', route: '/applications', body, user: owner }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('any query string to GET /applications', async () => {
    const names = fc.constantFrom('state', 'category', 'mine', 'queue', 'limit', 'cursor', 'other');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(names, fc.string()), users, async (query, user) => {
        await status(listApplications, apiEvent({ method: 'GET', route: '/applications', query, user }));
      }),
      { numRuns: 200 },
    );
  });

  it('any If-Match and Idempotency-Key header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (ifMatch, key) => {
        await status(
          takeAction,
          apiEvent({
            method: 'POST',
            route: '/applications/{id}/actions/{action}',
            pathParameters: { id: APP_ID, action: 'accept' },
            headers: { 'If-Match': ifMatch, 'Idempotency-Key': key },
            body: {},
            user: clerk,
          }),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('the answer in the caller’s language', () => {
  const tooLong = () => {
    const body = createBody();
    return { ...body, project: { ...body.project, name: '项'.repeat(201) } };
  };

  it('Accept-Language: zh-CN → the title and each issue in Chinese, with its code and limit', async () => {
    const res = await invoke(
      createApplication,
      apiEvent({
        method: 'POST',
        route: '/applications',
        body: tooLong(),
        user: owner,
        headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' },
      }),
    );
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body).toMatchObject({
      title: '请求有误',
      issues: [
        { path: 'project.name', code: 'too_big', params: { maximum: 200 }, message: '最多 200 个字符' },
      ],
    });
  });

  it('without it, the same issue in English', async () => {
    const res = await invoke(
      createApplication,
      apiEvent({ method: 'POST', route: '/applications', body: tooLong(), user: owner }),
    );
    expect(res.statusCode, res.raw).toBe(400);
    expect(res.body.title).toBe('Invalid request');
    expect(res.body.issues[0]).toMatchObject({ path: 'project.name', code: 'too_big' });
    expect(res.body.issues[0].message).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
