// @ts-nocheck
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

/** One structured logger per cold start (Powertools): JSON lines with the request's ids. */
export const logger = new Logger({ serviceName: 'eia-approval' });

/**
 * The middy middleware every function uses: each line logged during an invocation carries the
 * Lambda request id, cold start and function name, and keys appended during an invocation (the
 * API's request id, see shared/http/api.ts) are dropped after it, so none leaks into the next one.
 */
export const logContext = () => injectLambdaContext(logger, { resetKeys: true });
