/**
 * Custom metrics as CloudWatch embedded metric format: one JSON log line that CloudWatch Logs
 * turns into a metric, so a function needs no PutMetricData permission and no extra call.
 * The namespace is set per stage on the function (METRICS_NAMESPACE, infra/stateless-stack.ts).
 */
export const provisionalDeadlinesMetric = 'ProvisionalDeadlines';

export const metricsNamespace = (stage: string) => `eia-${stage}`;

/** The line to log for one metric value (exported for tests). */
export function embeddedMetric(namespace: string, name: string, value: number, at: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] },
      ],
    },
    [name]: value,
  });
}

/** Writes the metric line to stdout (Lambda's log); nothing without a namespace (local runs, tests). */
export function putMetric(name: string, value: number, at: Date): void {
  const namespace = process.env.METRICS_NAMESPACE;
  if (!namespace) return;
  process.stdout.write(`${embeddedMetric(namespace, name, value, at)}\n`);
}
