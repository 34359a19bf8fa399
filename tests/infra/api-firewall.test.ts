/**
 * The API's firewall: a regional AWS WAF web ACL on the REST API's stage, whose rate-based rules
 * hold each caller to settings.callerLimits before API Gateway runs anything; and the REST API's
 * methods, each with the authorizer routes.ts asks for.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { publicRoutes, publicWriteRoutes } from '../../infra/api-firewall.ts';
import type { EiaFunction } from '../../infra/eia-function.ts';
import { API_STAGE, COGNITO_SCHEME, ServiceApi } from '../../infra/http-api.ts';
import { checkCallerLimits, type Limit, stageSettings } from '../../infra/stage-settings.ts';
import { routes } from '../../shared/http/routes.ts';
import { CONSOLE_ORIGIN, STAGE } from './synth.ts';

/** The API construct alone, with the real routes and one stand-in function (no bundling). */
function apiTemplate(stage: string) {
  const app = new App({ context: { stage } });
  const stack = new Stack(app, 'Firewall');
  const settings = stageSettings(app.node);
  const userPool = new UserPool(stack, 'Users');
  const client = userPool.addClient('Console');
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ statusCode: 204 });'),
  });
  const functions = new Map(routes.map((r) => [r.fn, { fn } as unknown as EiaFunction]));
  const api = new ServiceApi(stack, 'Api', {
    settings,
    routes,
    functions,
    userPool,
    client,
    consoleOrigin: CONSOLE_ORIGIN,
  });
  return { settings, stack, api, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
const resources = (t: Template, type: string) => t.findResources(type) as Record<string, Resource>;
const only = (t: Template, type: string) => {
  const found = Object.entries(resources(t, type));
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};

interface Rule {
  Name: string;
  Action: {
    Block?: {
      CustomResponse: {
        ResponseCode: number;
        CustomResponseBodyKey: string;
        ResponseHeaders: { Name: string; Value: unknown }[];
      };
    };
  };
  Statement: {
    RateBasedStatement: {
      Limit: number;
      EvaluationWindowSec: number;
      AggregateKeyType: string;
      CustomKeys?: { Header: { Name: string; TextTransformations: unknown[] } }[];
      ScopeDownStatement?: Record<string, unknown>;
    };
  };
}

/** Every statement in a (nested) WAF statement, depth first. */
function statements(statement: unknown): Record<string, unknown>[] {
  if (!statement || typeof statement !== 'object') return [];
  const out = [statement as Record<string, unknown>];
  for (const value of Object.values(statement)) {
    if (Array.isArray(value)) out.push(...value.flatMap(statements));
    else if (value && typeof value === 'object') out.push(...statements(value));
  }
  return out;
}

const authHeaderPresent = {
  SizeConstraintStatement: {
    FieldToMatch: { SingleHeader: { Name: 'authorization' } },
    ComparisonOperator: 'GT',
    Size: 0,
    TextTransformations: [{ Priority: 0, Type: 'NONE' }],
  },
};
const methodIs = (name: string) => ({
  ByteMatchStatement: {
    FieldToMatch: { Method: {} },
    PositionalConstraint: 'EXACTLY',
    SearchString: name.toLowerCase(),
    TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
  },
});

/** A request as AWS WAF sees it on the stage: method, URI path (still encoded), headers. */
interface Request {
  method: string;
  path: string;
  headers?: Record<string, string>;
}
type Transformation = { Priority: number; Type: string };
/** AWS WAF's text transformations, those the rules use (any other fails the test). */
function transform(value: string, transformations: Transformation[]): string {
  return [...transformations]
    .sort((a, b) => a.Priority - b.Priority)
    .reduce((text, { Type }) => {
      if (Type === 'NONE') return text;
      if (Type === 'LOWERCASE') return text.toLowerCase();
      if (Type === 'COMPRESS_WHITE_SPACE') return text.replace(/\s+/g, ' ');
      if (Type === 'URL_DECODE') {
        return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
          String.fromCharCode(Number.parseInt(hex, 16)),
        );
      }
      throw new Error(`no transformation ${Type} in this test`);
    }, value);
}
function part(field: Record<string, { Name?: string }>, request: Request): string | undefined {
  if ('Method' in field) return request.method;
  if ('UriPath' in field) return request.path;
  const name = field.SingleHeader?.Name?.toLowerCase();
  if (name === undefined) throw new Error(`no field ${JSON.stringify(field)} in this test`);
  // Header names are case-insensitive, to WAF as to HTTP.
  return Object.entries(request.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
}
/** Whether a WAF statement matches a request (the statements the rules use; any other throws). */
function matches(statement: Record<string, unknown>, request: Request): boolean {
  const [[kind, body]] = Object.entries(statement) as [[string, Record<string, unknown>]];
  if (kind === 'AndStatement') {
    return (body.Statements as Record<string, unknown>[]).every((s) => matches(s, request));
  }
  if (kind === 'OrStatement') {
    return (body.Statements as Record<string, unknown>[]).some((s) => matches(s, request));
  }
  if (kind === 'NotStatement') return !matches(body.Statement as Record<string, unknown>, request);
  const value = part(body.FieldToMatch as Record<string, { Name?: string }>, request);
  if (value === undefined) return false;
  const text = transform(value, body.TextTransformations as Transformation[]);
  if (kind === 'ByteMatchStatement' && body.PositionalConstraint === 'EXACTLY')
    return text === body.SearchString;
  if (kind === 'SizeConstraintStatement' && body.ComparisonOperator === 'GT') {
    return Buffer.byteLength(text) > (body.Size as number);
  }
  if (kind === 'RegexMatchStatement') return new RegExp(body.RegexString as string).test(text);
  throw new Error(`no statement ${kind} in this test`);
}
/** A concrete path of a route: its parameters filled in. */
const concrete = (path: string, value = 'n-1') => path.replace(/\{\w+\}/g, value);
/** Ways to write one path that API Gateway may take for it: as is, upper case, a letter encoded. */
const spellings = (path: string) => [
  path,
  path.toUpperCase(),
  path.replace(/[a-z](?=[^a-z]*$)/, (c) => `%${c.charCodeAt(0).toString(16)}`),
];

describe.each([STAGE, 'prod'])('the API firewall (%s)', (stage) => {
  const { settings, template } = apiTemplate(stage);
  const [aclId, acl] = only(template, 'AWS::WAFv2::WebACL');
  const rules = acl.Properties.Rules as Rule[];
  const rule = (name: string) => {
    const found = rules.find((r) => r.Name === name);
    if (!found) throw new Error(`no rule ${name}`);
    return found;
  };

  it('is a regional web ACL that allows by default, with metrics and samples', () => {
    expect(acl.Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
    for (const r of rules) {
      expect((r as unknown as { VisibilityConfig: unknown }).VisibilityConfig, r.Name).toMatchObject({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
      });
    }
  });

  it('is associated with the API stage, so every way in (execute-api or any domain) passes it', () => {
    const [stageId, restStage] = only(template, 'AWS::ApiGateway::Stage');
    expect(restStage.Properties.StageName).toBe(API_STAGE);
    const [, association] = only(template, 'AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const arn = JSON.stringify(association.Properties.ResourceArn);
    const [apiId] = only(template, 'AWS::ApiGateway::RestApi');
    expect(arn).toContain(':apigateway:');
    expect(arn).toContain(`{"Ref":"${apiId}"}`);
    expect(arn).toMatch(new RegExp(`/stages/",\\{"Ref":"${stageId}"\\}`));
  });

  it('leaves no HTTP API (API Gateway v2) behind', () => {
    const v2 = Object.values(template.toJSON().Resources as Record<string, Resource>).filter((r) =>
      r.Type.startsWith('AWS::ApiGatewayV2::'),
    );
    expect(v2).toEqual([]);
  });

  it('holds each signed-in token to callerLimits.signedIn, whatever the method', () => {
    const limited = rule('signed-in-per-token').Statement.RateBasedStatement;
    expect(limited).toMatchObject({
      Limit: settings.callerLimits.signedIn.requests,
      EvaluationWindowSec: settings.callerLimits.signedIn.windowSeconds,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
      ScopeDownStatement: authHeaderPresent,
    });
  });

  it('keys one token once, however its Authorization header is spelled', () => {
    for (const name of ['signed-in-per-token', 'signed-in-writes-per-token']) {
      const keys = rule(name).Statement.RateBasedStatement.CustomKeys ?? [];
      expect(keys, name).toHaveLength(1);
      const key = (value: string) =>
        transform(value, (keys[0]?.Header.TextTransformations ?? []) as Transformation[]);
      const token = 'eyJraWQiOiJBYkMifQ.eyJzdWIiOiJYeVoifQ.SiGnAtUrE';
      expect(
        new Set([`Bearer ${token}`, `bearer ${token}`, `BEARER   ${token}`, `Bearer\t${token}`].map(key)),
        name,
      ).toEqual(new Set([key(`Bearer ${token}`)]));
      expect(key(`Bearer ${token}`), name).not.toBe(key(`Bearer ${token}x`));
    }
  });

  it('holds each token’s writes (not GET, HEAD, OPTIONS) to callerLimits.signedInWrites', () => {
    const limited = rule('signed-in-writes-per-token').Statement.RateBasedStatement;
    expect(limited).toMatchObject({
      Limit: settings.callerLimits.signedInWrites.requests,
      EvaluationWindowSec: settings.callerLimits.signedInWrites.windowSeconds,
      AggregateKeyType: 'CUSTOM_KEYS',
      CustomKeys: [{ Header: { Name: 'authorization' } }],
      ScopeDownStatement: {
        AndStatement: {
          Statements: [
            authHeaderPresent,
            {
              NotStatement: {
                Statement: { OrStatement: { Statements: ['GET', 'HEAD', 'OPTIONS'].map(methodIs) } },
              },
            },
          ],
        },
      },
    });
  });

  it('holds each address without a token to callerLimits.publicReads (preflights aside)', () => {
    const limited = rule('public-reads-per-address').Statement.RateBasedStatement;
    expect(limited).toMatchObject({
      Limit: settings.callerLimits.publicReads.requests,
      EvaluationWindowSec: settings.callerLimits.publicReads.windowSeconds,
      AggregateKeyType: 'IP',
    });
    const scope = limited.ScopeDownStatement ?? {};
    for (const route of routes) {
      const path = `/${API_STAGE}${concrete(route.path)}`;
      expect(matches(scope, { method: route.method, path }), `${route.method} ${path}`).toBe(true);
      expect(matches(scope, { method: 'OPTIONS', path }), `OPTIONS ${path}`).toBe(false);
    }
  });

  it('counts every request to a public route per address, whatever Authorization it carries', () => {
    const scope = rule('public-reads-per-address').Statement.RateBasedStatement.ScopeDownStatement ?? {};
    const publicOnes = publicRoutes(routes);
    expect(publicOnes.length).toBeGreaterThan(2);
    for (const route of publicOnes) {
      const path = concrete(route.path);
      // On the execute-api host (stage first), on a custom domain (no stage), a trailing slash.
      for (const at of [...spellings(`/${API_STAGE}${path}`), path, `${path}/`]) {
        for (const headers of [{}, { Authorization: 'Bearer made-up' }, { authorization: 'x' }]) {
          const request = { method: route.method, path: at, headers };
          expect(matches(scope, request), JSON.stringify(request)).toBe(true);
        }
      }
    }
    // Signed-in routes with a token stay out of the addresses' public count (an office shares one).
    for (const route of routes.filter((r) => r.auth)) {
      const request = {
        method: route.method,
        path: `/${API_STAGE}${concrete(route.path)}`,
        headers: { Authorization: 'Bearer t' },
      };
      expect(matches(scope, request), JSON.stringify(request)).toBe(false);
    }
  });

  it('counts addresses by the connection’s source address, never a forwarded header', () => {
    for (const r of rules) {
      const { AggregateKeyType: key } = r.Statement.RateBasedStatement;
      expect(['IP', 'CUSTOM_KEYS'], r.Name).toContain(key);
    }
    const text = JSON.stringify(acl.Properties);
    expect(text).not.toMatch(/FORWARDED_IP|ForwardedIP|forwarded-for/i);
  });

  it('holds each address to callerLimits.perAddress over everything, made-up tokens included', () => {
    const limited = rule('all-per-address').Statement.RateBasedStatement;
    expect(limited).toMatchObject({
      Limit: settings.callerLimits.perAddress.requests,
      EvaluationWindowSec: settings.callerLimits.perAddress.windowSeconds,
      AggregateKeyType: 'IP',
    });
    expect(limited.ScopeDownStatement).toBeUndefined();
  });

  it('holds each address to publicWriteLimit over POSTs to every public write route of routes.ts', () => {
    const limited = rule('public-writes-per-address').Statement.RateBasedStatement;
    expect(limited).toMatchObject({
      Limit: settings.publicWriteLimit.requests,
      EvaluationWindowSec: settings.publicWriteLimit.windowSeconds,
      AggregateKeyType: 'IP',
    });
    const scope = statements(limited.ScopeDownStatement);
    expect(scope).toContainEqual(methodIs('POST'));
    // By method and path alone: neither an Authorization header nor the method's case leaves it.
    for (const route of publicWriteRoutes(routes)) {
      for (const method of ['POST', 'post', 'Post']) {
        for (const headers of [{}, { Authorization: 'Bearer made-up' }]) {
          for (const path of spellings(`/${API_STAGE}${concrete(route.path)}`)) {
            const request = { method, path, headers };
            expect(matches(limited.ScopeDownStatement ?? {}, request), JSON.stringify(request)).toBe(true);
          }
        }
      }
      const read = { method: 'GET', path: `/${API_STAGE}${concrete(route.path)}` };
      expect(matches(limited.ScopeDownStatement ?? {}, read)).toBe(false);
    }
    const regexes = scope
      .map((s) => s.RegexMatchStatement as { FieldToMatch: unknown; RegexString: string } | undefined)
      .filter((s) => s !== undefined);
    expect(regexes).toHaveLength(1);
    expect(regexes[0]?.FieldToMatch).toEqual({ UriPath: {} });
    const pattern = new RegExp(regexes[0]?.RegexString ?? '(?!)');
    const writes = publicWriteRoutes(routes);
    expect(writes.map((r) => r.path).sort()).toEqual([
      '/public/notices/{noticeId}/comments',
      '/public/notices/{noticeId}/hearing-requests',
    ]);
    for (const route of writes) {
      // A concrete path of each route, as WAF sees it on the execute-api host (stage first) and
      // on a custom domain (no stage), with a trailing slash, and with an encoded slash in it.
      const concrete = route.path.replace(/\{\w+\}/g, 'n-1');
      for (const path of [
        `/${API_STAGE}${concrete}`,
        concrete,
        `${concrete}/`,
        `/${API_STAGE}//${concrete.slice(1)}`,
      ]) {
        expect(pattern.test(path), path).toBe(true);
      }
      expect(
        pattern.test(decodeURIComponent(`/${API_STAGE}${route.path.replace(/\{\w+\}/g, 'a%2Fb')}`)),
      ).toBe(true);
    }
    // Not the reads next to them.
    for (const path of [
      '/api/public/notices/n-1',
      '/api/public/notices',
      '/api/public/notices/n-1/public-version',
    ]) {
      expect(pattern.test(path), path).toBe(false);
    }
  });

  it('answers 429 problem+json with Retry-After = the window and the console’s origin', () => {
    const bodies = acl.Properties.CustomResponseBodies as Record<
      string,
      { ContentType: string; Content: string }
    >;
    expect(rules).toHaveLength(5);
    for (const r of rules) {
      const response = r.Action.Block?.CustomResponse;
      expect(response?.ResponseCode, r.Name).toBe(429);
      const headers = Object.fromEntries((response?.ResponseHeaders ?? []).map((h) => [h.Name, h.Value]));
      expect(headers['Retry-After'], r.Name).toBe(String(r.Statement.RateBasedStatement.EvaluationWindowSec));
      expect(headers['Access-Control-Allow-Origin'], r.Name).toBe(CONSOLE_ORIGIN);
      const body = bodies[response?.CustomResponseBodyKey ?? ''];
      expect(body?.ContentType, r.Name).toBe('APPLICATION_JSON');
      const problem = JSON.parse(body?.Content ?? '{}');
      const { Limit: limit, EvaluationWindowSec: window } = r.Statement.RateBasedStatement;
      expect(problem).toMatchObject({ status: 429, title: 'Too many requests' });
      expect(problem.type).toMatch(
        /^https:\/\/eia\.liling\.gov\.cn\/problems\/(rate-limited|too-many-requests)$/,
      );
      expect(problem.detail).toContain(`at most ${limit} in ${window} seconds`);
      expect(problem.detail).toContain(`try again in ${window} seconds`);
      expect(problem.detail).toContain(`请 ${window} 秒后再试`);
    }
  });

  it('logs blocked requests to an aws-waf-logs- group, without the token', () => {
    const [, logging] = only(template, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging.Properties.ResourceArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(logging.Properties.RedactedFields).toEqual([{ SingleHeader: { Name: 'authorization' } }]);
    const groups = Object.values(resources(template, 'AWS::Logs::LogGroup')).map(
      (g) => g.Properties.LogGroupName,
    );
    expect(groups).toContain(`aws-waf-logs-eia-${settings.stage}-api`);
  });
});

describe('the REST API methods', () => {
  const { template } = apiTemplate(STAGE);
  const [, api] = only(template, 'AWS::ApiGateway::RestApi');
  const body = api.Properties.Body as {
    paths: Record<
      string,
      Record<string, { security?: unknown[]; 'x-amazon-apigateway-integration': { type: string } }>
    >;
    components: { securitySchemes: Record<string, Record<string, unknown>> };
  };

  it('has exactly the routes of routes.ts, each a Lambda proxy, and a CORS preflight per path', () => {
    const methods = Object.entries(body.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => m !== 'options')
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(methods.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of routes) {
      expect(
        body.paths[route.path]?.[route.method.toLowerCase()]?.['x-amazon-apigateway-integration'].type,
      ).toBe('aws_proxy');
      expect(body.paths[route.path]?.options?.['x-amazon-apigateway-integration'].type).toBe('mock');
    }
  });

  it('puts the Cognito authorizer on every auth:true route and none on auth:false', () => {
    expect(body.components.securitySchemes[COGNITO_SCHEME]).toMatchObject({
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools' },
    });
    for (const route of routes) {
      const op = body.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.security, `${route.method} ${route.path}`).toEqual(
        route.auth ? [{ [COGNITO_SCHEME]: [] }] : [],
      );
    }
    expect((body as { security?: unknown }).security).toBeUndefined();
  });

  it('lets only this API’s stage invoke the functions, in any partition', () => {
    const [apiId] = only(template, 'AWS::ApiGateway::RestApi');
    const permissions = Object.values(resources(template, 'AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(1); // the one stand-in function, however many routes it serves
    for (const permission of permissions) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
      expect(permission.Properties.SourceArn).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':execute-api:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':',
            { Ref: apiId },
            `/${API_STAGE}/*/*`,
          ],
        ],
      });
    }
    expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:');
  });

  it('answers every 429 of its own (throttled, or a block of the firewall) with Retry-After', () => {
    const responses = (
      body as unknown as {
        'x-amazon-apigateway-gateway-responses': Record<
          string,
          { statusCode?: unknown; responseParameters: Record<string, string> }
        >;
      }
    )['x-amazon-apigateway-gateway-responses'];
    const tooMany = Object.entries(responses).filter(([, r]) => Number(r.statusCode) === 429);
    expect(tooMany.map(([type]) => type).sort()).toEqual(['THROTTLED', 'WAF_FILTERED']);
    for (const [type, response] of tooMany) {
      expect(response.responseParameters['gatewayresponse.header.Retry-After'], type).toMatch(/^'[1-9]\d*'$/);
    }
  });
});

describe('callerLimits', () => {
  const limit = (requests: number, windowSeconds: number) =>
    ({ requests, windowSeconds }) as unknown as Limit;
  const base = stageSettings(new App({ context: { stage: 'prod' } }).node);

  it('prod and dev: the numbers of docs/http-api.md, dev smaller', () => {
    expect(base.callerLimits).toEqual({
      signedIn: { requests: 600, windowSeconds: 60 },
      signedInWrites: { requests: 60, windowSeconds: 60 },
      publicReads: { requests: 600, windowSeconds: 300 },
      publicWrites: { requests: 120, windowSeconds: 600 },
      perAddress: { requests: 3000, windowSeconds: 300 },
    });
    const dev = stageSettings(new App({ context: { stage: 'dev' } }).node).callerLimits;
    for (const [name, value] of Object.entries(dev)) {
      expect(value.requests, name).toBeLessThan(base.callerLimits[name as keyof typeof dev].requests);
    }
  });

  it('refuses what WAF cannot count, and public writes other than publicWriteLimit', () => {
    const ok = base.callerLimits;
    expect(() => checkCallerLimits(ok, base.publicWriteLimit)).not.toThrow();
    expect(() => checkCallerLimits({ ...ok, signedIn: limit(9, 60) }, base.publicWriteLimit)).toThrow(
      /at least 10/,
    );
    expect(() => checkCallerLimits({ ...ok, signedIn: limit(10.5, 60) }, base.publicWriteLimit)).toThrow(
      /whole number/,
    );
    expect(() => checkCallerLimits({ ...ok, publicReads: limit(100, 30) }, base.publicWriteLimit)).toThrow(
      /60, 120, 300, 600/,
    );
    expect(() => checkCallerLimits({ ...ok, publicWrites: limit(100, 600) }, base.publicWriteLimit)).toThrow(
      /publicWriteLimit/,
    );
  });
});
