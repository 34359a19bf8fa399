import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS } from '../../../../shared/domain/audit-chain.ts';
import { apiEvent, invoke, type Response, type User } from '../../../support/api-events.ts';
import {
  clerk,
  commandCounts,
  createBody,
  type Handler,
  IDEMPOTENCY_TABLE,
  loadHandler,
  ORG_CODE,
  owner,
  TABLE,
  useHandlerEnvironment,
} from '../fixtures.ts';

const ddb = useHandlerEnvironment();
let handler: Handler;

beforeAll(async () => {
  handler = await loadHandler('create-application');
});
beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(GetCommand).resolves({});
});

function create(
  body: unknown,
  { user = owner, headers = {} }: { user?: User; headers?: Record<string, string> } = {},
) {
  return invoke(handler, apiEvent({ method: 'POST', route: '/applications', body, headers, user }));
}

function expectProblem(res: Response, status: number) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

const paths = (res: Response) => (res.body.issues ?? []).map((i: { path: string }) => i.path);

describe('POST /applications: an applicant creates a draft', () => {
  it('answers 201 with Location and ETag "1", writing the draft and its first event in one transaction', async () => {
    const res = await create(createBody());

    expect(res.statusCode).toBe(201);
    const id: string = res.body.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.headers.location).toBe(`/applications/${id}`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      state: 'DRAFT',
      version: 1,
      ownerId: owner.sub,
      category: 'REPORT_FORM',
    });

    expect(commandCounts(ddb)).toEqual({ TransactWriteCommand: 1 });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items).toHaveLength(2);
    expect(items[0]?.Put).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: `APP#${id}`, sk: 'APP', gsi1pk: `OWNER#${owner.sub}`, gsi2pk: 'STATE#DRAFT', version: 1 },
    });
    expect(items[1]?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { applicationId: id, seq: 1, action: 'create', from: null, to: 'DRAFT', prevHash: GENESIS },
    });
  });

  it('replays the 201 for a retry with the same Idempotency-Key and writes nothing more', async () => {
    const key = { 'Idempotency-Key': 'create-1' };
    const first = await create(createBody(), { headers: key });
    const record = ddb
      .commandCalls(TransactWriteCommand)[0]
      ?.args[0].input.TransactItems?.find((i) => i.Put?.TableName === IDEMPOTENCY_TABLE)?.Put?.Item;
    expect(record).toMatchObject({ pk: `IDEM#${owner.sub}#create-1`, statusCode: 201 });

    ddb.reset();
    ddb.on(GetCommand, { TableName: IDEMPOTENCY_TABLE }).resolves({ Item: record });
    const again = await create(createBody(), { headers: key });

    expect(again.statusCode).toBe(201);
    expect(again.raw).toBe(first.raw);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(commandCounts(ddb)).toEqual({ GetCommand: 1 });
  });
});

describe('POST /applications: a clerk takes in a walk-in (窗口代录)', () => {
  const onBehalfOf = { orgName: '福州某制造有限公司', orgCode: ORG_CODE };

  it("answers 201 and files it under the organisation's owner partition, the event naming the organisation", async () => {
    const res = await create({ ...createBody(), onBehalfOf }, { user: clerk });

    expect(res.statusCode).toBe(201);
    expect(res.body).toMatchObject({
      ownerId: clerk.sub,
      intake: { kind: 'WALK_IN', by: { id: clerk.sub, name: clerk.name }, onBehalfOf },
      // The clerk may go on typing the paper in, and submit it for the organisation.
      canEdit: true,
      allowedActions: expect.arrayContaining(['submit']),
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Put?.Item).toMatchObject({ gsi1pk: `ORG#${ORG_CODE}` });
    expect(items[1]?.Put?.Item).toMatchObject({
      action: 'create',
      actor: { id: clerk.sub, role: 'clerk' },
      onBehalfOf,
    });
  });

  it('an applicant naming onBehalfOf: 403, nothing written', async () => {
    const res = await create({ ...createBody(), onBehalfOf }, { user: owner });
    expectProblem(res, 403);
    expect(res.body.type).toMatch(/wrong-role$/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('POST /applications refuses, and writes nothing, when', () => {
  afterEach(() => {
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('the body is larger than 64 KB: 413 problem+json', async () => {
    const body = createBody();
    body.project.description = 'x'.repeat(64 * 1024);
    const res = await create(body);
    expectProblem(res, 413);
  });

  it('the body is not valid JSON: 400', async () => {
    const res = await create('{"category": "REPORT_FORM",');
    expectProblem(res, 400);
  });

  it.each([
    ['an array', '[1, 2, 3]'],
    ['a string', '"REPORT_FORM"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('the JSON body is %s: 400', async (_, raw) => {
    const res = await create(raw);
    expectProblem(res, 400);
  });

  it('the content-type is text/plain: 415', async () => {
    const res = await create(JSON.stringify(createBody()), { headers: { 'Content-Type': 'text/plain' } });
    expectProblem(res, 415);
  });

  it('there are unknown top-level and nested fields: 400 naming each path', async () => {
    const body = {
      ...createBody(),
      color: 'green',
      project: { ...createBody().project, color: 'blue' },
      applicant: { ...createBody().applicant, fax: '0731-1234567' },
    };
    const res = await create(body);
    expectProblem(res, 400);
    expect(paths(res)).toEqual(expect.arrayContaining(['color', 'project.color', 'applicant.fax']));
  });

  it('a material has an unknown field: 400 naming materials.<i>.<field>', async () => {
    const body = createBody();
    const materials: Record<string, unknown>[] = body.materials;
    materials[1] = { ...materials[1], url: 'https://example.test/eia.pdf' };
    const res = await create(body);
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['materials.1.url']);
  });

  it('the USCC check character is wrong: 400 naming applicant.orgCode', async () => {
    const body = createBody();
    body.applicant.orgCode = `${ORG_CODE.slice(0, 17)}4`;
    const res = await create(body, { user: { ...owner, orgCode: body.applicant.orgCode } });
    expectProblem(res, 400);
    expect(paths(res)).toEqual(['applicant.orgCode']);
    expect(res.body.issues[0].message).toMatch(/check character should be 3/);
  });

  it('a clerk tries to create: 403', async () => {
    const res = await create(createBody(), { user: clerk });
    expectProblem(res, 403);
  });

  it('there is no token: 401', async () => {
    const res = await invoke(
      handler,
      apiEvent({ method: 'POST', route: '/applications', body: createBody() }),
    );
    expectProblem(res, 401);
  });
});
