import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { metricsNamespace, provisionalDeadlinesMetric } from '../shared/runtime/metrics.ts';
import type { AlarmSpec } from './operations.ts';
import type { StageSettings } from './stage-settings.ts';

/**
 * Open deadlines counted through a year with no published calendar (the sweeper counts them once a
 * day, functions/sweeper/provisional.ts): any at all means a due date may fall in a holiday.
 */
export function provisionalDeadlinesAlarm(settings: Pick<StageSettings, 'stage'>): AlarmSpec {
  return {
    id: 'provisional-deadlines',
    metric: new Metric({
      namespace: metricsNamespace(settings.stage),
      metricName: provisionalDeadlinesMetric,
      period: Duration.days(1),
      statistic: 'Maximum',
    }),
    threshold: 1,
    description:
      "Open deadlines are counted Monday–Friday through a year with no published holiday calendar: publish next year's calendar (admin page, PUT /admin/calendar/{year}) once the State Council announces it",
  };
}
