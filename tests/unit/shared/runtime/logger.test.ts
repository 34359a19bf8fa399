import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../../../../shared/domain/notifications.ts';
import { open } from '../../../../shared/http/api.ts';
import { json } from '../../../../shared/http/respond.ts';
import { logger } from '../../../../shared/runtime/logger.ts';
import { apiEvent, invoke, lambdaContext } from '../../../support/api-events.ts';
import { captureLogLines, type LogLine } from '../../../support/log-lines.ts';

/**
 * Every function is wrapped in Powertools' injectLambdaContext (shared/runtime/logger.ts
 * logContext): a line logged anywhere during an invocation carries Lambda's request id, cold start
 * and function name, and for an HTTP route API Gateway's request id too, with no handler passing any.
 */

const context = (awsRequestId: string): Context => ({
  ...lambdaContext,
  awsRequestId,
  functionName: 'eia-test',
});

let lines: LogLine[];
beforeEach(() => {
  lines = captureLogLines();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('an HTTP route (shared/http/api.ts)', () => {
  // A route as every route is built, that logs from inside and appends a key of its own.
  const route = open(async (req) => {
    if (req.query.n) logger.appendKeys({ onlyThisInvocation: req.query.n });
    logger.info('inside the handler');
    return json(200, {});
  });

  it("logs with Lambda's and API Gateway's request ids, cold start and function name; nothing carries over", async () => {
    const first = apiEvent({ method: 'GET', route: '/public/notices', query: { n: '1' } });
    expect((await route(first, context('lambda-1'))).statusCode).toBe(200);
    const second = apiEvent({ method: 'GET', route: '/public/notices' });
    expect((await route(second, context('lambda-2'))).statusCode).toBe(200);
    logger.info('between invocations');

    const [one, two, after] = lines;
    expect(lines).toHaveLength(3);
    expect(one).toMatchObject({
      message: 'inside the handler',
      function_request_id: 'lambda-1',
      requestId: first.requestContext.requestId,
      function_name: 'eia-test',
      // True only on the first invocation of an on-demand environment (AWS_LAMBDA_INITIALIZATION_TYPE).
      cold_start: expect.any(Boolean),
      onlyThisInvocation: '1',
    });
    expect(two).toMatchObject({
      function_request_id: 'lambda-2',
      requestId: second.requestContext.requestId,
    });
    expect(two).not.toHaveProperty('onlyThisInvocation');
    expect(first.requestContext.requestId).not.toBe(second.requestContext.requestId);
    // Keys appended during an invocation end with it.
    expect(after).not.toHaveProperty('requestId');
    expect(after).not.toHaveProperty('onlyThisInvocation');
  });

  it('keeps the ids on the line the error middleware logs for an unexpected failure', async () => {
    const failing = open(async () => {
      throw new Error('boom');
    });
    const event = apiEvent({ method: 'GET', route: '/public/notices' });
    const res = await invoke(failing, event);
    expect(res.statusCode).toBe(500);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'unhandled error',
        requestId: event.requestContext.requestId,
        function_request_id: lambdaContext.awsRequestId,
      }),
    );
  });
});

describe('a function that is not HTTP (functions/notifier/handler.ts)', () => {
  const cognito = mockClient(CognitoIdentityProviderClient);
  afterEach(() => {
    cognito.restore();
    vi.unstubAllEnvs();
  });

  it("logs with Lambda's request id, though the handler passes none", async () => {
    vi.stubEnv('AWS_REGION', 'cn-north-1');
    vi.stubEnv('USER_POOL_ID', 'pool-1');
    vi.stubEnv('FROM_ADDRESS', '');
    vi.stubEnv('TABLE_NAME', 'eia-test-main');
    vi.stubEnv('IDEMPOTENCY_TABLE_NAME', 'eia-test-idempotency');
    vi.stubEnv('CURSOR_SECRET', 'x'.repeat(43));
    const { handler } = await import('../../../../functions/notifier/handler.ts');
    // Naming nobody: no inbox is written, and without a sender nothing is mailed.
    const event = {
      detail: { applicationId: 'a-1', seq: 3, action: 'accept', recipients: [] },
    } as unknown as EventBridgeEvent<string, Notification>;
    expect(await handler(event, context('lambda-notify'))).toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'inboxes',
        function_request_id: 'lambda-notify',
        applicationId: 'a-1',
      }),
      expect.objectContaining({
        level: 'WARN',
        message: expect.stringContaining('no sender configured'),
        function_request_id: 'lambda-notify',
        function_name: 'eia-test',
        applicationId: 'a-1',
      }),
    ]);
  });
});
