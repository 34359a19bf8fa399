import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per cold start (Powertools): JSON lines with the request's ids. */
export const logger = new Logger({ serviceName: 'eia-approval' });
