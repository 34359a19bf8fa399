import middy from '@middy/core';
import { getBureauStore, getDigestStore, getStore } from '../../shared/runtime/clients.ts';
import { logContext, logger } from '../../shared/runtime/logger.ts';
import { now } from '../../shared/runtime/now.ts';
import { runSweep } from './run.ts';

/** The scheduled sweeper: deemed acceptance, notice periods, DUE_SOON and OVERDUE; the daily audit digests. */
export const handler = middy(async () => {
  const report = await runSweep(getStore(), now(), getDigestStore(), getBureauStore());
  logger.info('sweep', { ...report });
  return report;
}).use(logContext());
