import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application, Notice } from '../../../../shared/domain/types.ts';
import { noticeIdOf, noticeKey } from '../../../../shared/store/keys.ts';
import { apiEvent, invoke } from '../../../support/api-events.ts';
import { driveTo } from '../../shared/domain/fixtures.ts';
import { type Handler, loadHandler } from '../fixtures.ts';
import { naming, storeHolds, uploadRecord, useUploadEnvironment, without } from '../uploads-fixtures.ts';

const { ddb } = useUploadEnvironment();
let handler: Handler;
beforeAll(async () => {
  handler = await loadHandler('public-version');
});

const ID = '55555555-2222-4333-8444-555555555555';
// Accepted a few weeks before the handlers' frozen now.
const trail = driveTo('UNDER_REVIEW', 'REPORT', { id: ID, on: '2025-05-12' });
const acceptance = trail.steps.map((s) => s.notice).find((n) => n?.kind === 'ACCEPTANCE') as Notice;
const publicVersion = uploadRecord(trail.app, 'PUBLIC_VERSION', { fileName: '公开版本.pdf' });
const eia = uploadRecord(trail.app, 'EIA_DOCUMENT');
const accepted: Application = naming(trail.app, [publicVersion, eia]);

function holds(app: Application | undefined, notice: Notice | undefined, records = [publicVersion, eia]) {
  ddb.reset();
  storeHolds(ddb, app, records);
  if (notice)
    ddb.on(GetCommand, { Key: noticeKey(notice) }).resolves({ Item: { ...notice, ...noticeKey(notice) } });
}

function get(noticeId: string) {
  return invoke(
    handler,
    apiEvent({
      method: 'GET',
      route: '/public/notices/{noticeId}/public-version',
      pathParameters: { noticeId },
    }),
  );
}

beforeEach(() => holds(accepted, acceptance));

describe('GET /public/notices/{noticeId}/public-version', () => {
  it('sends anyone, without a token, to the public version once the acceptance notice is published', async () => {
    expect(acceptance).toBeDefined();
    const res = await get(noticeIdOf(acceptance));
    expect(res.statusCode).toBe(303);
    const url = new URL(res.headers.location ?? '');
    expect(url.pathname).toBe(`/materials/${ID}/${publicVersion.uploadId}`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('公开版本.pdf')}`,
    );
  });

  it('serves it from any notice of an accepted application', async () => {
    const later: Notice = {
      ...acceptance,
      kind: 'PROPOSED_DECISION',
      publishedAt: '2025-06-09T02:00:00.000Z',
    };
    holds(accepted, later);
    expect((await get(noticeIdOf(later))).statusCode).toBe(303);
  });

  it('is 404 for an unknown or malformed notice id, reading nothing for a malformed one', async () => {
    const unknown = { ...acceptance, publishedAt: '2025-01-01T00:00:00.000Z' };
    expect((await get(noticeIdOf(unknown))).statusCode).toBe(404);
    for (const bad of ['x', '!!', 'a'.repeat(300), Buffer.from('a#b').toString('base64url')]) {
      ddb.resetHistory();
      expect((await get(bad)).statusCode, bad).toBe(404);
      expect(ddb.calls()).toHaveLength(0);
    }
  });

  it('is 404 before acceptance (a filing, a notice of an application not accepted)', async () => {
    const filing: Notice = { ...acceptance, kind: 'FILING' };
    const { acceptance: _, ...notAccepted } = accepted;
    holds(notAccepted as Application, filing);
    const res = await get(noticeIdOf(filing));
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('is 404 for a public version not stored, held by the scan, or without a file', async () => {
    const variants: [Application, typeof publicVersion][] = [
      [accepted, without(publicVersion, 'storedAt')],
      [accepted, { ...publicVersion, scan: 'PENDING' }],
      [accepted, { ...publicVersion, scan: 'INFECTED' }],
      [accepted, { ...publicVersion, code: 'EIA_DOCUMENT' }],
    ];
    for (const [app, record] of variants) {
      holds(app, acceptance, [record, eia]);
      expect((await get(noticeIdOf(acceptance))).statusCode, JSON.stringify(record)).toBe(404);
    }
    const legacy = {
      ...accepted,
      materials: accepted.materials.map((m) =>
        m.code === 'PUBLIC_VERSION' ? { ...m, uploadId: undefined } : m,
      ),
    };
    holds(legacy as Application, acceptance);
    expect((await get(noticeIdOf(acceptance))).statusCode).toBe(404);
  });

  it('never serves another material, whatever is stored', async () => {
    const withoutPublic = {
      ...accepted,
      materials: accepted.materials.filter((m) => m.code !== 'PUBLIC_VERSION'),
    };
    holds(withoutPublic, acceptance);
    const res = await get(noticeIdOf(acceptance));
    expect(res.statusCode).toBe(404);
    expect(res.headers.location).toBeUndefined();
  });
});
