/**
 * The REST API (payload 1.0) edge of every API function: a REST event becomes the 2.0 event an
 * HTTP API would have sent for the same request, and a 2.0 result goes back as a 1.0 result with
 * no key API Gateway would refuse.
 */
import { describe, expect, it } from 'vitest';
import { callerFrom } from '../../../../shared/http/auth.ts';
import { fromRestEvent, isRestEvent, toRestResult } from '../../../../shared/http/rest-event.ts';
import { apiEvent } from '../../../support/api-events.ts';
import { restEvent } from '../../../support/rest-events.ts';

const APP_ID = '0b6f3c1e-6a2d-4f7b-9c3e-2d5a8e4f1a90';

const claims = {
  sub: 'reviewer-1',
  name: 'Chen Jing',
  'cognito:groups': 'clerk,reviewer',
  'cognito:username': 'chen.jing',
  email_verified: 'true',
  iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_test',
  token_use: 'id',
  auth_time: '1749520000',
  exp: 'Tue Jun 10 03:00:00 UTC 2025',
};

const body = Buffer.from([0xff, 0x00, 0x7b, 0x7d]).toString('base64');

const signedIn = () =>
  restEvent({
    method: 'POST',
    resource: '/applications/{id}/actions',
    pathParameters: { id: APP_ID },
    query: { state: ['DRAFT', 'SUBMITTED'], q: ['醴陵 & co'], limit: ['5'] },
    headers: {
      'Accept-Language': ['zh-CN,zh;q=0.9'],
      'X-Custom': ['one', 'two'],
      Cookie: ['theme=dark; lang=zh', 'session=abc'],
      'Content-Type': ['application/json'],
      Origin: ['https://eia.example.cn'],
    },
    body,
    isBase64Encoded: true,
    claims,
  });

describe('isRestEvent', () => {
  it('tells a REST event from a 2.0 one', () => {
    expect(isRestEvent(signedIn())).toBe(true);
    expect(isRestEvent(apiEvent({ method: 'GET', route: '/applications' }))).toBe(false);
    expect(isRestEvent({ ...signedIn(), version: '2.0' })).toBe(false);
    expect(isRestEvent({ httpMethod: 'GET', resource: '/x', requestContext: {} })).toBe(false);
    expect(isRestEvent(null)).toBe(false);
    expect(isRestEvent('GET /')).toBe(false);
  });
});

describe('fromRestEvent', () => {
  it('is the 2.0 event of the same request', () => {
    const event = fromRestEvent(signedIn());
    expect(event.version).toBe('2.0');
    expect(event.routeKey).toBe('POST /applications/{id}/actions');
    expect(event.requestContext.routeKey).toBe('POST /applications/{id}/actions');
    // `path` has no stage; requestContext.path (`/api/…`) would.
    expect(event.rawPath).toBe(`/applications/${APP_ID}/actions`);
    expect(event.requestContext.http).toEqual({
      method: 'POST',
      path: `/applications/${APP_ID}/actions`,
      protocol: 'HTTP/1.1',
      sourceIp: '198.51.100.7',
      userAgent: 'Mozilla/5.0 (test)',
    });
    expect(event.pathParameters).toEqual({ id: APP_ID });
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: 'abc123defg',
      domainName: 'abc123defg.execute-api.cn-north-1.amazonaws.com.cn',
      domainPrefix: 'abc123defg',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      stage: 'api',
      time: '10/Jun/2025:02:00:00 +0000',
      timeEpoch: 1749520800000,
    });
  });

  it('joins repeated query parameters with commas and rebuilds the query string encoded', () => {
    const event = fromRestEvent(signedIn());
    expect(event.queryStringParameters).toEqual({ state: 'DRAFT,SUBMITTED', q: '醴陵 & co', limit: '5' });
    expect([...new URLSearchParams(event.rawQueryString)]).toEqual([
      ['state', 'DRAFT'],
      ['state', 'SUBMITTED'],
      ['q', '醴陵 & co'],
      ['limit', '5'],
    ]);
    expect(event.rawQueryString).not.toMatch(/[ &]co/);
  });

  it('lower-cases header names, joins repeated ones and moves cookies out', () => {
    const event = fromRestEvent(signedIn());
    expect(event.headers['x-custom']).toBe('one,two');
    expect(event.headers['accept-language']).toBe('zh-CN,zh;q=0.9');
    expect(event.headers.origin).toBe('https://eia.example.cn');
    expect(event.headers.host).toBe('abc123defg.execute-api.cn-north-1.amazonaws.com.cn');
    expect(Object.keys(event.headers).every((n) => n === n.toLowerCase())).toBe(true);
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(['theme=dark', 'lang=zh', 'session=abc']);
  });

  it('keeps the body as it came, base64 included', () => {
    const event = fromRestEvent(signedIn());
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from([0xff, 0x00, 0x7b, 0x7d]));
    const text = fromRestEvent(restEvent({ method: 'POST', resource: '/x', body: '{"a":1}' }));
    expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
  });

  it("puts the Cognito authorizer's claims where the JWT authorizer puts them", () => {
    const event = fromRestEvent(signedIn());
    expect(event.requestContext.authorizer.jwt.claims).toEqual(claims);
    expect(callerFrom(event)).toEqual({ id: 'reviewer-1', name: 'Chen Jing', roles: ['clerk', 'reviewer'] });
  });

  it('a public route has no authorizer, no query, no path parameters, no body, no cookies', () => {
    const event = fromRestEvent(restEvent({ method: 'GET', resource: '/public/notices' }));
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.rawPath).toBe('/public/notices');
    expect(event.rawQueryString).toBe('');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
    expect(() => callerFrom(event)).toThrow(/bearer token/);
  });

  it('decodes the path and the path parameters, which a REST API hands over percent-encoded', () => {
    const number = '醴环评〔2026〕17号';
    const encoded = encodeURIComponent(number);
    // As API Gateway sends it (a live capture: `path` and `pathParameters` keep the encoding).
    const rest = {
      ...restEvent({ method: 'GET', resource: '/public/documents/{number}' }),
      path: `/public/documents/${encoded}`,
      pathParameters: { number: encoded },
    };
    const event = fromRestEvent(rest);
    expect(event.pathParameters).toEqual({ number });
    expect(event.rawPath).toBe(`/public/documents/${number}`);
    expect(event.requestContext.http.path).toBe(`/public/documents/${number}`);
    // Not valid percent-encoding: kept as it came rather than a thrown error (a 502).
    const odd = fromRestEvent({
      ...rest,
      path: '/public/documents/100%',
      pathParameters: { number: '100%' },
    });
    expect(odd.pathParameters).toEqual({ number: '100%' });
    expect(odd.rawPath).toBe('/public/documents/100%');
  });

  it('reads the single-value maps when the multi-value ones are missing', () => {
    const rest = restEvent({ method: 'GET', resource: '/x', query: { a: ['1'] } });
    const event = fromRestEvent({
      ...rest,
      multiValueHeaders: undefined as never,
      multiValueQueryStringParameters: null,
      headers: { Origin: 'https://eia.example.cn', Cookie: 'a=1' },
    });
    expect(event.headers).toEqual({ origin: 'https://eia.example.cn' });
    expect(event.cookies).toEqual(['a=1']);
    expect(event.queryStringParameters).toEqual({ a: '1' });
    expect(event.rawQueryString).toBe('a=1');
  });
});

describe('toRestResult', () => {
  it('keeps status, headers and body, and sends cookies as Set-Cookie', () => {
    const result = toRestResult({
      statusCode: 201,
      headers: { 'content-type': 'application/json', location: '/applications/1' },
      body: '{"id":"1"}',
      cookies: ['a=1; Secure; HttpOnly', 'b=2'],
    });
    expect(result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', location: '/applications/1' },
      multiValueHeaders: { 'set-cookie': ['a=1; Secure; HttpOnly', 'b=2'] },
      body: '{"id":"1"}',
      isBase64Encoded: false,
    });
  });

  it('keeps a base64 body base64 and has no key API Gateway would refuse', () => {
    const pdf = Buffer.from('%PDF-1.7\n\xff').toString('base64');
    const result = toRestResult({
      statusCode: 200,
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
      isBase64Encoded: true,
    });
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
      isBase64Encoded: true,
    });
    expect(Object.keys(result).sort()).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode']);
  });

  it('answers an empty result with an empty body', () => {
    expect(toRestResult({ statusCode: 204, headers: {}, body: undefined as never })).toEqual({
      statusCode: 204,
      headers: {},
      body: '',
      isBase64Encoded: false,
    });
  });
});
