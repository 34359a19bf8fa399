/**
 * Issue 6, hostile input over HTTP: the local server (API Gateway's routing, authorizer and event
 * building) in front of the real handlers and DynamoDB Local. Raw request lines, percent-encoded
 * and traversing paths, query strings with repeated and odd parameters, bytes that are not UTF-8,
 * bodies past every size limit, near-valid bodies with odd text. No 5xx, every 4xx a problem; and
 * afterwards everything stored is read back and must still parse, chain and validate.
 *
 * The seed is fixed (FUZZ_SEED overrides it) and printed by fast-check on failure.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disableLocalDocuments, enableLocalDocuments, localDocumentsIdle } from '../../local/documents.ts';
import { createLocalClient } from '../../local/dynamodb.ts';
import { defaultConfig } from '../../shared/domain/config.ts';
import { states } from '../../shared/domain/types.ts';
import { routes } from '../../shared/http/routes.ts';
import { actionNames } from '../../shared/schemas/actions.ts';
import { CreateApplicationSchema } from '../../shared/schemas/common.ts';
import { textFault } from '../../shared/schemas/text.ts';
import { codeUnit } from '../unit/fuzz/arbitraries.ts';
import { type LocalStack, startLocalStack, users } from './helpers/local-stack.ts';
import { withFiles } from './helpers/uploads.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_612);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);
const opts = (runs: number) => ({
  seed: SEED,
  numRuns: Math.max(1, Math.round(runs * RUNS)),
  endOnFailure: true,
});

let stack: LocalStack;
const tokens: Record<string, string> = {};
const created: string[] = [];
/** Drafts the fuzz happened to delete (DELETE /applications/{id} → 204): stored still, listed no more. */
const deleted = new Set<string>();
let sent = 0;

beforeAll(async () => {
  stack = await startLocalStack();
  for (const role of ['applicant', 'clerk', 'reviewer', 'approver', 'auditor', 'admin'] as const)
    tokens[role] = await stack.token(role);
});
afterAll(async () => {
  // FUZZ_REPORT=1: the figure for the README.
  if (process.env.FUZZ_REPORT) console.info(`fuzz http: ${sent} requests`);
  await stack?.stop();
});

// ---------------------------------------------------------------------------------------------
// Raw HTTP: node:http sends the request target exactly as given (fetch would normalise it).

interface Raw {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** `from`: the source address to send from (any 127.x.y.z reaches the server on Linux). */
type SendOptions = { headers?: Record<string, string>; body?: Buffer | string; from?: string };

function raw(method: string, target: string, opts: SendOptions = {}): Promise<Raw> {
  const url = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        ...(opts.from ? { localAddress: opts.from } : {}),
        // Framed: node:http sends a GET's body unframed, which a server reads as the next request.
        headers: {
          ...opts.headers,
          ...(opts.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(opts.body)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
            ),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    // The server may answer 413 and close before reading everything: that is an answer, not an error.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET')
        resolve({ status: 0, headers: {}, text: '' });
      else reject(error);
    });
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

/** Send, and check what every answer must be: never a 5xx; a 4xx is a complete problem. */
async function check(method: string, target: string, opts: SendOptions = {}): Promise<Raw & { json: any }> {
  const res = await raw(method, target, opts);
  sent += 1;
  const where = `${res.status} ${res.text.slice(0, 300)} for ${method} ${target.slice(0, 200)}`;
  if (res.status === 0) {
    // Only an oversize body may be cut off, and only after the server has answered.
    const size = opts.body === undefined ? 0 : Buffer.byteLength(opts.body);
    expect(size, `connection dropped: ${where}`).toBeGreaterThan(1024 * 1024);
    return { ...res, json: undefined };
  }
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  expect(res.status, where).toBeLessThan(500);
  let json: any;
  if (/json/.test(res.headers['content-type'] ?? '')) json = JSON.parse(res.text);
  if (res.status >= 400) {
    expect(res.headers['content-type'] ?? '', `${where} ${JSON.stringify(res.headers)}`).toMatch(
      /^application\/problem\+json/,
    );
    expect(json, where).toMatchObject({ status: res.status });
    for (const field of ['type', 'title', 'detail'])
      expect(typeof json[field], `${field}: ${where}`).toBe('string');
    if (String(json.type).endsWith('/validation')) {
      expect(Array.isArray(json.issues) && json.issues.length > 0, where).toBe(true);
      for (const issue of json.issues) expect(typeof issue.path, where).toBe('string');
    }
  }
  return { ...res, json };
}

const auth = (role: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${tokens[role]}`,
  ...extra,
});
const jsonHeaders = (role: string) => auth(role, { 'content-type': 'application/json' });

function validBody() {
  return {
    category: 'REPORT_FORM',
    project: { name: '醴陵市瓷谷污水站', location: '醴陵市', industry: '污水处理', investmentCny: 1_000_000 },
    applicant: {
      orgName: '醴陵市铁河口纸业有限公司',
      orgCode: users.applicant.orgCode,
      contactName: '刘建国',
      contactPhone: '13800138000',
    },
    materials: defaultConfig.required.REPORT_FORM.map((code) => ({
      code,
      fileName: `${code}.pdf`,
      sha256: createHash('sha256').update(code).digest('hex'),
      sizeBytes: 100,
    })),
  };
}

/** Percent-encodes what a URL cannot carry; a lone surrogate (which has no UTF-8) as the raw bytes of its replacement. */
const segment = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
};

/** Texts that are almost right, for fc.oneof: `known` ones, or any UTF-16 code units (lone surrogates included). */
const nearValidTexts = (known: string[], length: { minLength?: number; maxLength: number }) => [
  fc.constantFrom(...known),
  fc.string({ unit: codeUnit, ...length }),
];

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

// ---------------------------------------------------------------------------------------------

describe('hostile input over HTTP', () => {
  it('creates through the API what the fuzz works on (control)', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await check('POST', '/applications', {
        headers: jsonHeaders('applicant'),
        body: JSON.stringify(validBody()),
      });
      expect(res.status, res.text).toBe(201);
      created.push(res.json.id);
    }
    const first = created[0] ?? '';
    await withFiles(stack, first, 'applicant');
    const submitted = await check('POST', `/applications/${first}/actions/submit`, {
      headers: jsonHeaders('applicant'),
      body: '{}',
    });
    expect(submitted.status, submitted.text).toBe(200);
  });

  it('takes near-valid texts (control characters, emoji, lone surrogates) or refuses them, never 5xx', async () => {
    const text = fc.oneof(
      ...nearValidTexts(
        [
          'a\u0000b',
          '\ud800',
          'x\udc00y',
          '💥醴陵',
          '\u202e反转',
          '\ufeffBOM',
          'tab\tnew\nline',
          ' padded ',
          '\u0085',
          '\u001b[2J',
          'a\u2066b\u2069',
          '\u200f',
          '\u009b31m',
          '👩\u200d🔬',
        ],
        { minLength: 1, maxLength: 30 },
      ),
    );
    const field = fc.constantFrom(
      ['project', 'name'],
      ['project', 'location'],
      ['project', 'description'],
      ['applicant', 'orgName'],
      ['applicant', 'contactName'],
    );
    await fc.assert(
      fc.asyncProperty(field, text, async ([group, key], value) => {
        const body = validBody() as Record<string, any>;
        body[group][key] = value;
        // JSON.stringify writes a lone surrogate as an escape (\ud800), which JSON.parse gives back.
        const payload = JSON.stringify(body);
        const res = await check('POST', '/applications', {
          headers: jsonHeaders('applicant'),
          body: payload,
        });
        // Text hygiene (docs/http-api.md#text): a hidden character is refused naming its field.
        const kind = key === 'description' ? 'lines' : 'line';
        if (textFault(value.trim(), kind)) {
          expect(res.status, res.text).toBe(400);
          expect(res.json.issues.map((i: { path: string }) => i.path)).toContain(`${group}.${key}`);
        }
        if (res.status === 201) {
          created.push(res.json.id);
          const back = await check('GET', `/applications/${res.json.id}`, { headers: auth('applicant') });
          expect(back.status).toBe(200);
          expect(back.json[group][key]).toBe(res.json[group][key]);
        } else expect([400, 422], res.text).toContain(res.status);
      }),
      opts(40),
    );
  });

  it('answers any route with hostile paths, queries, headers and bodies with a success or a 4xx', async () => {
    const nasty = fc.oneof(
      fc.constantFrom(
        '',
        '..',
        '%2e%2e',
        '%2F',
        '%00',
        '%',
        '%zz',
        '__proto__',
        'constructor',
        '💥',
        'a'.repeat(3000),
      ),
      fc.string({ maxLength: 20 }),
      fc.uuid(),
    );
    const id = fc.oneof(
      fc.constantFrom(...created),
      nasty.map(segment),
      fc.constantFrom('..', '.', '%2e%2e%2f', 'a%2Fb'),
    );
    const action = fc.oneof(fc.constantFrom(...actionNames), nasty.map(segment));
    const query = fc.oneof(
      fc.constant(''),
      fc
        .dictionary(
          fc.oneof(
            fc.constantFrom(
              'limit',
              'cursor',
              'state',
              'from',
              'to',
              'format',
              'mine',
              'queue',
              'actor',
              'q',
            ),
            nasty,
          ),
          nasty,
          { maxKeys: 4 },
        )
        .map((q) => new URLSearchParams(q).toString()),
      fc.constantFrom(
        'limit=1&limit=2',
        'limit=0',
        'limit=101',
        'limit=1e9',
        'cursor=abc.def',
        'cursor=',
        '%zz=1',
        '&&&',
        '=',
        'state=DRAFT&state=SUBMITTED',
        `cursor=${'A'.repeat(3000)}`,
        'format=csv&limit=1001',
        'from=2026-02-30',
      ),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.constantFrom(
        '{"a":1e400}',
        '['.repeat(5000),
        '{"__proto__":{"state":"APPROVED"}}',
        Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
      ),
    );
    const headerSets = fc.record(
      {
        'content-type': fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          '',
        ),
        'if-match': fc.constantFrom('"1"', '*', 'garbage', 'W/"1"', '"99999999999999999999"'),
        'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('', 'k'.repeat(200), 'a b')),
        'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', ''),
      },
      { requiredKeys: [] },
    );
    const roles = fc.constantFrom(
      'applicant',
      'clerk',
      'reviewer',
      'approver',
      'auditor',
      'none',
      'bad-token',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        id,
        action,
        query,
        body,
        headerSets,
        roles,
        async (r, idValue, actionValue, q, b, headers, role) => {
          const path = r.path.replace('{id}', idValue).replace('{action}', actionValue);
          const target = q ? `${path}?${q}` : path;
          const authorization =
            role === 'none'
              ? {}
              : role === 'bad-token'
                ? { authorization: 'Bearer abc.def.ghi' }
                : auth(role);
          const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
          const res = await check(r.method, target, {
            headers: { ...clean, ...authorization },
            ...(b === undefined ? {} : { body: b }),
          });
          if (r.method === 'DELETE' && res.status === 204) deleted.add(idValue);
          // A route that exists, without a usable token: the authorizer's 401 (an unknown path is a 404 first).
          const routed =
            (!r.path.includes('{id}') || created.includes(idValue)) &&
            (!r.path.includes('{action}') || (actionNames as readonly string[]).includes(actionValue));
          if (r.auth && routed && (role === 'none' || role === 'bad-token'))
            expect(res.status, res.text).toBe(401);
        },
      ),
      opts(250),
    );
  });

  it('refuses a body over 64 KB with 413, and one past the server limit too', async () => {
    const create = (body: Buffer | string) =>
      check('POST', '/applications', { headers: jsonHeaders('applicant'), body });
    const justOver = `"${'x'.repeat(64 * 1024 - 1)}"`;
    expect((await create(justOver)).status).toBe(413);
    const justUnder = `"${'x'.repeat(64 * 1024 - 2)}"`;
    expect((await create(justUnder)).status).toBe(400);
    const huge = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const res = await create(huge);
    expect([0, 413]).toContain(res.status);
    // A binary body (not UTF-8) is base64 in the event: its decoded size counts.
    const binary = Buffer.alloc(64 * 1024 + 1, 0xff);
    expect((await create(binary)).status).toBe(413);
  });

  it('refuses mass assignment over HTTP and stores nothing of it', async () => {
    for (const key of ['state', 'version', 'ownerId', 'caseNumber', 'id', '__proto__', 'constructor']) {
      const body = `{${JSON.stringify(key)}:"APPROVED",${JSON.stringify(validBody()).slice(1)}`;
      const res = await check('POST', '/applications', { headers: jsonHeaders('applicant'), body });
      expect(res.status, res.text).toBe(400);
      expect(res.json.issues.map((i: { path: string }) => i.path)).toContain(key);
    }
  });

  // -------------------------------------------------------------------------------------------
  // The public write routes: the service's unauthenticated writes.

  /** An application accepted on 2026-03-03 (its acceptance notice takes comments until 03-10). */
  let openNotice = '';
  let accepted = '';
  /** The answers of the public writes that were taken (202), by route. */
  const taken = { comments: [] as { commentId: string; text: string }[], hearings: 0 };
  /** Each run from an address of its own: the local per-address bucket is not what is tested here. */
  let address = 0;
  const nextAddress = () => {
    address += 1;
    return `127.0.${1 + Math.floor(address / 250)}.${1 + (address % 250)}`;
  };

  it('opens a notice for the public write routes (control)', async () => {
    await stack.setNow('2026-03-02T09:00:00+08:00');
    const res = await check('POST', '/applications', {
      headers: jsonHeaders('applicant'),
      body: JSON.stringify(validBody()),
    });
    expect(res.status, res.text).toBe(201);
    accepted = res.json.id;
    created.push(accepted);
    await withFiles(stack, accepted, 'applicant');
    const act = (action: string, role: string) =>
      check('POST', `/applications/${accepted}/actions/${action}`, {
        headers: jsonHeaders(role),
        body: '{}',
      });
    expect((await act('submit', 'applicant')).status).toBe(200);
    await stack.setNow('2026-03-03T10:00:00+08:00');
    expect((await act('accept', 'clerk')).status).toBe(200);
    const notices = await check('GET', '/public/notices?limit=100');
    const notice = notices.json.items.find(
      (n: { applicationId: string; kind: string }) => n.applicationId === accepted && n.kind === 'ACCEPTANCE',
    );
    expect(notice, notices.text).toBeDefined();
    openNotice = notice.noticeId;
    await stack.setNow('2026-03-05T10:00:00+08:00');
  });

  it('answers any body on the public write routes with 202 or a 4xx naming the field, never 5xx', async () => {
    const hostile = fc.oneof(
      ...nearValidTexts(
        ['a\u0000b', '\u001b[31m', '\u0085', '\ud800', '  ', '', '\u202e反转', '💥醴陵', 'x'.repeat(5001)],
        { maxLength: 40 },
      ),
      fc.string({ maxLength: 300 }),
      fc.integer().map((n) => 'y'.repeat(Math.abs(n) % 6000)),
    );
    const value = fc.oneof(hostile, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const comment = fc.record(
      { text: value, name: value, contact: value, reason: value, extra: value, constructor: value },
      { requiredKeys: [] },
    );
    const maybe = (a: fc.Arbitrary<unknown>) => fc.option(a, { nil: undefined });
    // Near-valid: the fields each route takes, each one hostile or absent.
    const nearValid = fc.oneof(
      fc.record({ text: hostile, name: maybe(hostile), contact: maybe(hostile) }),
      fc.record({ name: hostile, contact: hostile, reason: hostile }),
    );
    const body = fc.oneof(
      nearValid.map((c) => JSON.stringify(c)),
      nearValid.map((c) => JSON.stringify(c)),
      comment.map((c) => JSON.stringify(c)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
      fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
      fc.constantFrom('{"text":"x"', '{"text":1e400}', `{"text":"${'z'.repeat(70_000)}"}`),
    );
    const route = fc.constantFrom('comments', 'hearing-requests');
    const notice = fc.oneof(
      fc.constant(openNotice),
      fc.constantFrom('', 'x', 'A'.repeat(300), '%2e%2e', openNotice.slice(0, -1), `${openNotice}A`),
    );
    await fc.assert(
      fc.asyncProperty(route, notice, body, async (r, n, b) => {
        const res = await check('POST', `/public/notices/${segment(n)}/${r}`, {
          headers: { 'content-type': 'application/json' },
          body: b,
          from: nextAddress(),
        });
        expect([202, 400, 404, 409, 413], res.text).toContain(res.status);
        if (res.status === 400 && typeof b === 'string') {
          let parsed: unknown;
          try {
            parsed = JSON.parse(b);
          } catch {}
          // A JSON object's problem names its fields: one it sent, or a required one missing.
          if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
            const fields = [...Object.keys(parsed), 'text', 'name', 'contact', 'reason'];
            for (const issue of res.json.issues) expect(fields, res.text).toContain(issue.path);
          }
        }
        if (res.status === 202 && r === 'comments') {
          expect(Object.keys(res.json).sort()).toEqual(['commentId', 'receivedAt']);
          taken.comments.push({ commentId: res.json.commentId, text: JSON.parse(String(b)).text.trim() });
        }
        if (res.status === 202 && r === 'hearing-requests') taken.hearings += 1;
      }),
      opts(80),
    );
    // Some were taken (control), and whatever was taken was stored whole, with its event;
    // whatever was refused left nothing.
    expect(taken.comments.length).toBeGreaterThan(0);
    const listed = await check('GET', `/applications/${accepted}/comments`, { headers: auth('reviewer') });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.received).toBe(taken.comments.length);
    expect(
      listed.json.items.map((c: { commentId: string; text: string }) => ({
        commentId: c.commentId,
        text: c.text,
      })),
    ).toEqual(expect.arrayContaining(taken.comments));
    expect(listed.json.items).toHaveLength(taken.comments.length);
  });

  it('refuses control characters and broken characters in a public text, naming the field, and stores nothing', async () => {
    const before = (await check('GET', `/applications/${accepted}/comments`, { headers: auth('reviewer') }))
      .json.received;
    for (const [body, field] of [
      ['{"text":"a\\ud800b"}', 'text'],
      ['{"text":"好","name":"\\udc00"}', 'name'],
      ['{"text":"好","contact":"x\\u0007"}', 'contact'],
      ['{"text":"\\u001b[2J清屏"}', 'text'],
    ] as const) {
      const res = await check('POST', `/public/notices/${segment(openNotice)}/comments`, {
        headers: { 'content-type': 'application/json' },
        body,
        from: nextAddress(),
      });
      expect(res.status, `${body}: ${res.text}`).toBe(400);
      expect(res.json.issues.map((i: { path: string }) => i.path)).toEqual([field]);
    }
    const after = await check('GET', `/applications/${accepted}/comments`, { headers: auth('reviewer') });
    expect(after.json.received).toBe(before);
  });

  it('gives no way to learn whether someone commented before: the same answer whatever name or contact', async () => {
    // Compared without what differs per request anyway: the request id, the time, the new id.
    const shape = (res: Raw & { json: any }) => {
      const { 'apigw-requestid': _r, date: _d, 'content-length': _l, ...headers } = res.headers;
      return { status: res.status, headers, keys: Object.keys(res.json ?? {}).sort(), type: res.json?.type };
    };
    const send = (body: unknown) =>
      check('POST', `/public/notices/${segment(openNotice)}/comments`, {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        from: nextAddress(),
      });
    const person = { name: '王秀英', contact: 'wang.xy@example.cn' };
    const first = await send({ text: '第一次意见', ...person });
    const again = await send({ text: '第二次意见', ...person });
    const stranger = await send({ text: '陌生人的意见', name: '李四', contact: '13900001111' });
    const nameless = await send({ text: '匿名意见' });
    for (const res of [first, again, stranger, nameless]) {
      expect(res.status, res.text).toBe(202);
      expect(shape(res)).toEqual(shape(first));
      expect(res.text).not.toMatch(/王秀英|wang\.xy|李四|13900001111/);
    }
    // Nor does a refusal differ: the same problem for a known and an unknown name.
    const known = await send({ text: '', ...person });
    const unknown = await send({ text: '', name: '从未评论过', contact: 'nobody@example.cn' });
    expect(known.status).toBe(400);
    expect({ ...shape(known), detail: known.json.detail }).toEqual({
      ...shape(unknown),
      detail: unknown.json.detail,
    });
    taken.comments.push(
      ...[first, again, stranger, nameless].map((r, i) => ({
        commentId: r.json.commentId,
        text: ['第一次意见', '第二次意见', '陌生人的意见', '匿名意见'][i] ?? '',
      })),
    );
    await stack.setNow(null);
  });

  it('answers every route, asked about what exists by one who may ask, with a success or a 4xx: none only ever 404', async () => {
    // A filed registration: its filing receipt is a document the public may fetch.
    const registration = { ...validBody(), category: 'REGISTRATION' };
    registration.materials = registration.materials.filter((m) =>
      defaultConfig.required.REGISTRATION.includes(m.code),
    );
    const reg = await check('POST', '/applications', {
      headers: jsonHeaders('applicant'),
      body: JSON.stringify(registration),
    });
    expect(reg.status, reg.text).toBe(201);
    created.push(reg.json.id);
    await withFiles(stack, reg.json.id, 'applicant');
    // Its PDF made and stored before the answer, as the server does under `npm start`.
    enableLocalDocuments(stack.baseUrl);
    const filed = await check('POST', `/applications/${reg.json.id}/actions/submit`, {
      headers: jsonHeaders('applicant'),
      body: '{}',
    }).finally(async () => {
      await localDocumentsIdle();
      disableLocalDocuments();
    });
    expect(filed.status, filed.text).toBe(200);
    const receipt = (filed.json.application?.documents ?? []).find(
      (d: { kind: string }) => d.kind === 'FILING_RECEIPT',
    );
    expect(receipt, filed.text).toBeDefined();
    const commentId = taken.comments[0]?.commentId ?? '';
    /** Each placeholder filled with what exists: the accepted case, its material, comment and notice; the receipt. */
    const pathOf = (r: (typeof routes)[number], action: string) =>
      r.path
        .replace(
          '{id}',
          segment(
            r.path.startsWith('/admin/')
              ? users.clerk.sub
              : r.path.includes('{documentId}')
                ? reg.json.id
                : accepted,
          ),
        )
        .replace('{action}', segment(action))
        .replace('{code}', segment(registration.materials[0]?.code ?? 'EIA_DOCUMENT'))
        .replace('{documentId}', segment(receipt.documentId))
        .replace('{commentId}', segment(commentId))
        .replace('{noticeId}', segment(openNotice))
        .replace('{number}', segment(receipt.number))
        .replace('{year}', '2027');
    /** Who may ask: the admin, the auditor, the case's reviewer, anyone for the public routes. */
    const whoFor = (r: (typeof routes)[number]) =>
      !r.auth
        ? undefined
        : r.path.startsWith('/admin/')
          ? 'admin'
          : r.path.startsWith('/audit/')
            ? 'auditor'
            : r.path.startsWith('/inbox') || r.method !== 'GET'
              ? 'applicant'
              : 'reviewer';
    const answered = new Map<string, { sent: number; found: number }>();
    const send = async (r: (typeof routes)[number], action: string, q: string, body: string | undefined) => {
      const who = whoFor(r);
      const path = pathOf(r, action);
      const res = await check(r.method, q ? `${path}?${q}` : path, {
        headers: {
          ...(who ? auth(who) : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        ...(r.auth ? {} : { from: nextAddress() }),
      });
      const key = `${r.method} ${r.path}`;
      const count = answered.get(key) ?? { sent: 0, found: 0 };
      count.sent += 1;
      if (res.status !== 404) count.found += 1;
      answered.set(key, count);
    };
    const bodies = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.constantFrom(
        '{}',
        '{"text":"请说明噪声","name":"王五"}',
        '{"holidays":[],"workdays":[]}',
        '{"all":true}',
      ),
      fc.string({ maxLength: 60 }),
    );
    const queries = fc.oneof(
      fc.constant(''),
      fc.constantFrom('limit=1', 'limit=0', 'format=csv', 'cursor=abc.def', 'from=2026-03-01&to=2026-03-31'),
      fc
        .dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 12 }), { maxKeys: 2 })
        .map((q) => new URLSearchParams(q).toString()),
    );
    for (const r of routes) {
      // Asked plainly first, then fuzzed: the route is past its 404 when what it names exists.
      await send(r, 'withdraw', '', r.method === 'GET' || r.method === 'DELETE' ? undefined : '{}');
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...actionNames), queries, bodies, async (action, q, body) => {
          await send(r, action, q, r.method === 'GET' ? undefined : body);
        }),
        opts(3),
      );
    }
    const never = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !answered.get(k)?.found);
    expect(never).toEqual([]);
  });

  it('stored nothing malformed: every item read back parses, validates and chains', async () => {
    const client = createLocalClient(stack.dynamodbEndpoint);
    const items: Record<string, any>[] = [];
    try {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await client.send(
          new ScanCommand({ TableName: stack.tables.main, ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        items.push(...((out.Items ?? []) as Record<string, any>[]));
        start = out.LastEvaluatedKey;
      } while (start);
    } finally {
      client.destroy();
    }
    // No stored text holds a control, direction or broken character (docs/http-api.md#text).
    const texts = (value: unknown, at: string): Array<[string, string]> =>
      typeof value === 'string'
        ? [[at, value]]
        : value && typeof value === 'object'
          ? Object.entries(value).flatMap(([k, v]) => texts(v, `${at}.${k}`))
          : [];
    for (const item of items)
      for (const [at, text] of texts(item, String(item.sk)))
        expect(textFault(text, 'lines'), `${at}: ${JSON.stringify(text)}`).toBeUndefined();
    const apps = items.filter((i) => i.sk === 'APP');
    expect(apps.map((a) => a.id).sort()).toEqual([...created].sort());
    for (const app of apps) {
      // What was stored is what a create would take: no unknown field, every text well-formed.
      const { category, project, applicant, materials } = app;
      const parsed = CreateApplicationSchema.safeParse({ category, project, applicant, materials });
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      for (const text of [...Object.values(project), ...Object.values(applicant)])
        if (typeof text === 'string') expect(loneSurrogate.test(text), JSON.stringify(text)).toBe(false);
      // The fuzz may have taken a valid step (a withdrawal, say), never an unknown state.
      expect(states).toContain(app.state);
      // The API reads it back, and its trail verifies.
      const read = await check('GET', `/applications/${app.id}`, { headers: auth('clerk') });
      expect(read.status, read.text).toBe(200);
      const verify = await check('GET', `/audit/applications/${app.id}/verify`, { headers: auth('auditor') });
      expect(verify.json.ok, verify.text).toBe(true);
      expect(verify.json.events).toBe(app.version);
    }
    // Every public write taken is whole: its item with its event, never one without the other;
    // and what it holds is well-formed text. The address counters hold no address.
    const events = items.filter((i) => String(i.sk).startsWith('EVT#'));
    const publicItems = items.filter((i) => /^(COMMENT|HEARING_REQUEST)#/.test(String(i.sk)));
    expect(publicItems.length).toBeGreaterThan(0);
    for (const item of publicItems) {
      const id = item.commentId ?? item.hearingRequestId;
      const event = events.find(
        (e) => e.pk === item.pk && (e.payload?.commentId === id || e.payload?.hearingRequestId === id),
      );
      expect(event, JSON.stringify(item)).toBeDefined();
      for (const key of ['text', 'name', 'contact', 'reason']) {
        const text = item[key];
        if (text === undefined) continue;
        expect(typeof text, key).toBe('string');
        expect(text.trim(), key).toBe(text);
        expect(text.length > 0 && !loneSurrogate.test(text), JSON.stringify(text)).toBe(true);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
        expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text), JSON.stringify(text)).toBe(
          false,
        );
      }
    }
    for (const e of events.filter((i) => i.action === 'receive_comment'))
      expect(items.some((i) => i.pk === e.pk && i.sk === `COMMENT#${e.payload.commentId}`)).toBe(true);
    const counters = items.filter((i) => String(i.pk).startsWith('LIMIT#'));
    expect(counters.length).toBeGreaterThan(0);
    expect(JSON.stringify(counters)).not.toMatch(/127\.0\./);

    // Each list pages through cleanly, to the last page.
    for (const path of ['/applications?limit=3', '/public/notices?limit=2']) {
      let target: string | undefined = path;
      let seen = 0;
      while (target) {
        const page = await check('GET', target, { headers: auth('clerk') });
        expect(page.status, page.text).toBe(200);
        seen += page.json.items.length;
        target = page.json.cursor ? `${path}&cursor=${encodeURIComponent(page.json.cursor)}` : undefined;
      }
      if (path.startsWith('/applications')) expect(seen).toBe(created.length - deleted.size);
    }
    expect(sent).toBeGreaterThanOrEqual(300);
  });
});
