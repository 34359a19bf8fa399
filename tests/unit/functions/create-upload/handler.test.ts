import { QueryCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '../../../../shared/domain/types.ts';
import { apiEvent, invoke, type User } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { commandCounts, type Handler, IDEMPOTENCY_TABLE, loadHandler, NOW, TABLE } from '../fixtures.ts';
import { appItem, BUCKET, sha, storeHolds, userOf, useUploadEnvironment } from '../uploads-fixtures.ts';

const { ddb } = useUploadEnvironment();
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('create-upload');
});

const draft = driveTo('DRAFT', 'REPORT', { id: '11111111-2222-4333-8444-555555555555' }).app;
const owner = userOf('owner');

function body(over: Record<string, unknown> = {}) {
  return {
    code: 'EIA_DOCUMENT',
    fileName: '环境影响报告书.pdf',
    sha256: sha('a'),
    sizeBytes: 123_456,
    contentType: 'application/pdf',
    ...over,
  };
}

function post(app: Application, input: unknown, user: User = owner, headers: Record<string, string> = {}) {
  return invoke(
    handler,
    apiEvent({
      method: 'POST',
      route: '/applications/{id}/uploads',
      pathParameters: { id: app.id },
      body: input,
      headers,
      user,
    }),
  );
}

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
  // The application's upload records, counted against the limit: none yet.
  ddb.on(QueryCommand).resolves({ Items: [] });
  storeHolds(ddb, draft);
});

const written = () =>
  ddb.commandCalls(TransactWriteCommand).flatMap((c) => c.args[0].input.TransactItems ?? []);

describe('POST /applications/{id}/uploads', () => {
  it('answers 201 with a PUT pinned to the SHA-256, length and type, and writes the record', async () => {
    const res = await post(draft, body());
    expect(res.statusCode).toBe(201);
    const { uploadId, url, headers, expiresAt, material } = res.body;
    expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.method).toBe('PUT');
    expect(new URL(url).hostname.startsWith(`${BUCKET}.`)).toBe(true);
    expect(new URL(url).pathname).toBe(`/materials/${draft.id}/${uploadId}`);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('900');
    expect(headers).toEqual({
      'content-type': 'application/pdf',
      'content-length': '123456',
      'x-amz-checksum-sha256': Buffer.from(sha('a'), 'hex').toString('base64'),
    });
    expect(Date.parse(expiresAt) - NOW.getTime()).toBeGreaterThanOrEqual(0);
    expect(material).toEqual({
      code: 'EIA_DOCUMENT',
      fileName: '环境影响报告书.pdf',
      sha256: sha('a'),
      sizeBytes: 123_456,
      uploadId,
      contentType: 'application/pdf',
    });
    expect(res.headers['cache-control']).toBe('no-store');

    expect(commandCounts(ddb)).toEqual({ GetCommand: 1, QueryCommand: 1, TransactWriteCommand: 1 });
    const items = written();
    expect(items).toHaveLength(1);
    expect(items[0]?.Put).toMatchObject({
      TableName: TABLE,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: {
        pk: `APP#${draft.id}`,
        sk: `UPLOAD#${uploadId}`,
        code: 'EIA_DOCUMENT',
        key: `materials/${draft.id}/${uploadId}`,
        // No MALWARE_SCAN: the local server and tests, where nothing scans.
        scan: 'SKIPPED',
        scanReason: 'local',
        createdBy: { id: owner.sub, name: owner.name },
        createdAt: NOW.toISOString(),
      },
    });
    expect(items[0]?.Put?.Item?.storedAt).toBeUndefined();
  });

  it('keeps the response for an Idempotency-Key in the same transaction, and replays it', async () => {
    const key = { 'Idempotency-Key': 'upload-1' };
    ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: appItem(draft) }, {}] });
    const first = await post(draft, body(), owner, key);
    expect(first.statusCode).toBe(201);
    const items = written();
    expect(items).toHaveLength(2);
    const record = items.find((i) => i.Put?.TableName === IDEMPOTENCY_TABLE)?.Put?.Item;
    expect(record).toMatchObject({ statusCode: 201 });

    ddb.reset();
    ddb.on(TransactGetCommand).resolves({ Responses: [{ Item: appItem(draft) }, { Item: record }] });
    const again = await post(draft, body(), owner, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    const other = await post(draft, body({ sizeBytes: 99 }), owner, key);
    expect(other.statusCode).toBe(422);
    expect(other.body.type).toMatch(/idempotency-key-reused$/);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sha256: sha('A') }, 'sha256'],
      [{ sha256: 'abc' }, 'sha256'],
      [{ sizeBytes: 0 }, 'sizeBytes'],
      [{ sizeBytes: 2 * 1024 ** 3 + 1 }, 'sizeBytes'],
      [{ sizeBytes: 1.5 }, 'sizeBytes'],
      [{ code: 'NO_SUCH_CODE' }, 'code'],
      [{ code: 'lower' }, 'code'],
      [{ fileName: 'setup.exe', contentType: 'application/octet-stream' }, 'fileName'],
      [{ fileName: 'report' }, 'fileName'],
      [{ fileName: '../etc/passwd.pdf' }, 'fileName'],
      [{ fileName: 'C:\\docs\\report.pdf' }, 'fileName'],
      [{ fileName: 'report\u0000.pdf' }, 'fileName'],
      [{ fileName: 'report\n.pdf' }, 'fileName'],
      [{ fileName: 'report\u202efdp.exe' }, 'fileName'],
      [{ fileName: `${'长'.repeat(252)}.pdf` }, 'fileName'],
      [{ fileName: ' report.pdf' }, 'fileName'],
      [{ contentType: 'application/zip' }, 'contentType'],
      [{ fileName: 'scan.png', contentType: 'image/jpeg' }, 'contentType'],
      [{ extra: 1 }, 'extra'],
    ];
    for (const [over, path] of cases) {
      const res = await post(draft, body(over));
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(
        res.body.issues.map((i: { path: string }) => i.path),
        JSON.stringify(over),
      ).toContain(path);
    }
    const over = await post(draft, body({ sizeBytes: 2 * 1024 ** 3 + 1 }));
    expect(over.body.issues).toContainEqual({
      path: 'sizeBytes',
      message: 'must be at most 2147483648 bytes',
    });
    expect(written()).toHaveLength(0);
  });

  it('answers any body with a 201 or a problem naming a field, never a 500', async () => {
    const field = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record(
            { code: field, fileName: field, sha256: field, sizeBytes: field, contentType: field },
            { requiredKeys: [] },
          ),
          fc.record({
            code: fc.constantFrom('EIA_DOCUMENT', 'PUBLIC_VERSION', 'EXPERT_OPINION', 'X'),
            fileName: fc.string({ minLength: 1, maxLength: 260 }).map((n) => `${n}.pdf`),
            sha256: fc.constantFrom(sha('a'), sha('G')),
            sizeBytes: fc.integer({ min: -1, max: 2 ** 40 }),
            contentType: fc.constantFrom('application/pdf', 'image/png'),
          }),
        ),
        async (input) => {
          const res = await post(draft, input);
          expect(res.statusCode, JSON.stringify(input)).toBeLessThan(500);
          if (res.statusCode === 201) {
            expect(res.body.material.fileName).toBe((input as { fileName: string }).fileName);
          } else {
            expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
            if (res.statusCode === 400) expect(res.body.issues.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('accepts each allowed type with its content type, and a name of 255 characters', async () => {
    for (const [fileName, contentType] of [
      ['a.OFD', 'application/ofd'],
      ['a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['a.xls', 'application/vnd.ms-excel'],
      ['photo.jpeg', 'image/jpeg'],
      ['plan.zip', 'application/x-zip-compressed'],
      [`${'长'.repeat(251)}.pdf`, 'application/pdf'],
    ]) {
      const res = await post(draft, body({ fileName, contentType }));
      expect(res.statusCode, fileName).toBe(201);
    }
  });

  it('is 404 for another applicant, and for an id that is not one', async () => {
    expect((await post(draft, body(), userOf('otherApplicant'))).statusCode).toBe(404);
    expect((await post({ ...draft, id: 'not-a-uuid' }, body())).statusCode).toBe(404);
    expect(written()).toHaveLength(0);
  });

  it('lets the owner upload only while the application is editable', async () => {
    const submitted = driveTo('SUBMITTED', 'REPORT', { id: draft.id }).app;
    storeHolds(ddb, submitted);
    const res = await post(submitted, body());
    expect(res.statusCode).toBe(409);
    expect(res.body.type).toMatch(/not-editable$/);

    const supplement = driveTo('SUPPLEMENT_REQUIRED', 'REPORT', { id: draft.id }).app;
    storeHolds(ddb, supplement);
    expect((await post(supplement, body())).statusCode).toBe(201);
  });

  it("refuses an official an applicant's material, and an applicant an official's attachment", async () => {
    const clerk = await post(draft, body(), userOf('clerk'));
    expect(clerk.statusCode).toBe(403);
    expect(clerk.body.type).toMatch(/not-yours$/);
    const opinion = await post(draft, body({ code: 'EXPERT_OPINION' }));
    expect(opinion.statusCode).toBe(403);
    expect(opinion.body.type).toMatch(/wrong-role$/);
    expect(written()).toHaveLength(0);
  });

  it('lets the case officer upload the expert opinion in EXPERT_REVIEW, and no one else', async () => {
    const review = driveTo('EXPERT_REVIEW', 'REPORT', { id: draft.id }).app;
    storeHolds(ddb, review);
    const ok = await post(
      review,
      body({ code: 'EXPERT_OPINION', fileName: '专家意见.pdf' }),
      userOf('reviewer'),
    );
    expect(ok.statusCode).toBe(201);
    expect(written()[0]?.Put?.Item).toMatchObject({
      code: 'EXPERT_OPINION',
      createdBy: { id: 'u-reviewer' },
    });

    const other = await post(review, body({ code: 'EXPERT_OPINION' }), userOf('otherReviewer'));
    expect(other.statusCode).toBe(403);
    expect(other.body.type).toMatch(/not-yours$/);
    const hearing = await post(review, body({ code: 'HEARING_RECORD' }), userOf('reviewer'));
    expect(hearing.statusCode).toBe(409);
    expect(hearing.body.type).toMatch(/not-allowed-in-state$/);
  });

  it('lets the case officer upload the hearing record in HEARING', async () => {
    const hearing = driveTo('HEARING', 'REPORT', { id: draft.id }).app;
    storeHolds(ddb, hearing);
    const ok = await post(
      hearing,
      body({ code: 'HEARING_RECORD', fileName: '听证笔录.pdf' }),
      userOf('reviewer'),
    );
    expect(ok.statusCode).toBe(201);
  });
});
