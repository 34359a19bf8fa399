/**
 * API Gateway throttling: the stage's default limit for every method, and tighter method settings
 * on the public routes and the writes, each naming a method the API has.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import type { EiaFunction } from '../../infra/eia-function.ts';
import { ServiceApi } from '../../infra/http-api.ts';
import { stageSettings, throttleFor } from '../../infra/stage-settings.ts';
import { routes } from '../../shared/http/routes.ts';
import { CONSOLE_ORIGIN, STAGE } from './synth.ts';

const preset = (stage: string) => stageSettings(new App({ context: { stage } }).node);

/**
 * The API construct alone, with the real routes and one stand-in function (no bundling, no other
 * stacks): the template of what infra/http-api.ts makes of the stage settings.
 */
function apiTemplate(stage: string) {
  const app = new App({ context: { stage } });
  const stack = new Stack(app, 'Throttling');
  const settings = stageSettings(app.node);
  const userPool = new UserPool(stack, 'Users');
  const client = userPool.addClient('Console');
  const fn = new LambdaFunction(stack, 'Fn', {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({ statusCode: 204 });'),
  });
  // ServiceApi reads `.fn` only.
  const functions = new Map(routes.map((r) => [r.fn, { fn } as unknown as EiaFunction]));
  new ServiceApi(stack, 'Api', {
    settings,
    routes,
    functions,
    userPool,
    client,
    consoleOrigin: CONSOLE_ORIGIN,
  });
  return { settings, template: Template.fromStack(stack) };
}

const { template, settings } = apiTemplate(STAGE);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Throttling = { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
type MethodSetting = Throttling & { HttpMethod: string; ResourcePath: string };
const resources = (t: Template, type: string) => t.findResources(type) as Record<string, Resource>;
/** The stage's method settings by route key (`GET /public/notices`; `* /*` for the default). */
function methodSettings(t: Template) {
  const [stage] = Object.values(resources(t, 'AWS::ApiGateway::Stage'));
  const settings = (stage?.Properties.MethodSettings ?? []) as MethodSetting[];
  return Object.fromEntries(
    settings.map((m) => [
      `${m.HttpMethod} ${m.ResourcePath === '/*' ? '/*' : m.ResourcePath.replace(/~1/g, '/').slice(1)}`,
      { ThrottlingRateLimit: m.ThrottlingRateLimit, ThrottlingBurstLimit: m.ThrottlingBurstLimit },
    ]),
  ) as Record<string, Throttling>;
}
const routeSettings = methodSettings(template);
/** The methods the API has, from its OpenAPI definition. */
const [api] = Object.values(resources(template, 'AWS::ApiGateway::RestApi'));
const apiMethods = new Set(
  Object.entries(
    ((api?.Properties.Body ?? { paths: {} }) as { paths: Record<string, object> }).paths,
  ).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
);
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('API Gateway throttling', () => {
  it('limits every method by default (rate and burst, all callers together)', () => {
    expect(routeSettings['* /*']).toEqual({
      ThrottlingRateLimit: settings.throttle.rateLimit,
      ThrottlingBurstLimit: settings.throttle.burstLimit,
    });
  });

  it('gives each public route the tighter public limit', () => {
    const open = routes.filter((r) => !r.auth);
    expect(open.map(key).sort()).toEqual([
      'GET /openapi.json',
      'GET /public/documents/{number}',
      'GET /public/documents/{number}/file',
      'GET /public/notices',
      'GET /public/notices/{noticeId}',
      'GET /public/notices/{noticeId}/public-version',
      'GET /workflow',
      'POST /public/notices/{noticeId}/comments',
      'POST /public/notices/{noticeId}/hearing-requests',
    ]);
    for (const route of open) {
      expect(routeSettings[key(route)], key(route)).toEqual({
        ThrottlingRateLimit: settings.routeThrottle.public.rateLimit,
        ThrottlingBurstLimit: settings.routeThrottle.public.burstLimit,
      });
    }
  });

  it('gives each write the tighter write limit', () => {
    const writes = routes.filter((r) => r.auth && r.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const route of writes) {
      expect(routeSettings[key(route)], key(route)).toEqual({
        ThrottlingRateLimit: settings.routeThrottle.write.rateLimit,
        ThrottlingBurstLimit: settings.routeThrottle.write.burstLimit,
      });
    }
  });

  it('leaves signed-in reads at the stage default', () => {
    for (const route of routes.filter((r) => r.auth && r.method === 'GET')) {
      expect(routeSettings[key(route)], key(route)).toBeUndefined();
    }
  });

  it('names only methods the API has', () => {
    const named = Object.keys(routeSettings).filter((k) => k !== '* /*');
    expect(named.length).toBeGreaterThan(0);
    for (const routeKey of named) expect(apiMethods.has(routeKey), routeKey).toBe(true);
  });
});

describe('the throttle presets', () => {
  it.each(['dev', STAGE, 'prod'])('%s: public routes and writes get less than signed-in reads', (name) => {
    const s = preset(name);
    for (const tight of [s.routeThrottle.public, s.routeThrottle.write]) {
      expect(tight.rateLimit).toBeLessThan(s.throttle.rateLimit);
      expect(tight.burstLimit).toBeLessThan(s.throttle.burstLimit);
      expect(tight.burstLimit).toBeGreaterThanOrEqual(tight.rateLimit);
    }
  });

  it('production allows more than development', () => {
    const dev = preset('dev');
    const prod = preset('prod');
    expect(prod.throttle.rateLimit).toBeGreaterThan(dev.throttle.rateLimit);
    expect(prod.routeThrottle.public.rateLimit).toBeGreaterThan(dev.routeThrottle.public.rateLimit);
    expect(prod.routeThrottle.write.rateLimit).toBeGreaterThan(dev.routeThrottle.write.rateLimit);
  });

  it('prod: the template carries the production figures', () => {
    const prod = apiTemplate('prod');
    const prodRoutes = methodSettings(prod.template);
    expect(prodRoutes['* /*']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(prodRoutes['GET /public/notices']).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    expect(prodRoutes['POST /applications']).toEqual({
      ThrottlingRateLimit: 20,
      ThrottlingBurstLimit: 40,
    });
  });

  it('throttleFor: public first, then writes, else the default', () => {
    const s = preset('prod');
    expect(throttleFor(s, { method: 'GET', auth: false })).toBe(s.routeThrottle.public);
    expect(throttleFor(s, { method: 'POST', auth: true })).toBe(s.routeThrottle.write);
    expect(throttleFor(s, { method: 'PATCH', auth: true })).toBe(s.routeThrottle.write);
    expect(throttleFor(s, { method: 'DELETE', auth: true })).toBe(s.routeThrottle.write);
    expect(throttleFor(s, { method: 'GET', auth: true })).toBe(s.throttle);
  });
});
