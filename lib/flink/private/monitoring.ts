import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

import { graph } from '../../core/dashboard-widgets';
import { AlarmDefinition, DashboardSection } from '../../core/monitoring';
import type { FlinkApplication } from '../flink-application';

/**
 * The restart counter of the runtime: `fullRestarts` up to Flink 1.x, `numRestarts` from Flink 2 on, where
 * `fullRestarts` was removed.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html ("Flink 2.2 metric changes")
 */
export function restartMetricName(majorVersion: number | undefined): string {
  return majorVersion !== undefined && majorVersion >= 2 ? 'numRestarts' : 'fullRestarts';
}

/**
 * The increase of a counter the application publishes as a running total (failed checkpoints, restarts since the job
 * was submitted) over each 5-minute period: `DIFF` of the per-period maximum. A total that stays high after one
 * failure would keep an alarm on the total itself in ALARM until the next restart; its increase says "it happened
 * again". A negative value (the counter reset when the job restarted) never breaches.
 */
function increaseOf(app: FlinkApplication, metricName: string, label: string): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: 'DIFF(total)',
    usingMetrics: { total: app.metric(metricName, { statistic: 'Maximum', period: Duration.minutes(5) }) },
    label,
    period: Duration.minutes(5),
  });
}

/**
 * The alarms of a Flink application, each built on its own `metric*` methods so the dimensions are right; each
 * threshold says why it is what it is.
 */
export function flinkAlarms(app: FlinkApplication, millisBehindLatest: Duration, restartMetric: string): AlarmDefinition[] {
  return [
    {
      id: 'Downtime',
      // downtime is the time (ms) the running job has been failing or recovering; any value above 0 is an outage.
      metric: app.metricDowntime(),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: 'The Flink job is failing or recovering (downtime > 0): read the application log stream for the exception, and ' +
        'check the restarts and checkpoint failures on the dashboard.',
    },
    {
      id: 'CheckpointFailures',
      metric: increaseOf(app, 'numberOfFailedCheckpoints', 'Failed checkpoints (increase)'),
      // One failed checkpoint may be transient; it still means the state that a restart would resume from is older.
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: 'Checkpoints failed in the last 5 minutes: a restart would replay more of the stream. Look for timeouts ' +
        '(lastCheckpointDuration), back pressure and state size (lastCheckpointSize).',
    },
    {
      id: 'Restarts',
      metric: increaseOf(app, restartMetric, `Restarts (${restartMetric} increase)`),
      // Every full restart reloads state from the last checkpoint and replays the stream from there.
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: `The Flink job restarted in the last 5 minutes (${restartMetric} increased): the application log stream has the ` +
        'exception that failed it. Repeated restarts are a crash loop.',
    },
    {
      id: 'FallingBehind',
      metric: app.metricMillisBehindLatest(),
      threshold: millisBehindLatest.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Five consecutive minutes: a burst the job catches up with is not an incident; a lag that stays is.
      evaluationPeriods: 5,
      description: `The application's Kinesis source has been more than ${millisBehindLatest.toHumanString()} behind the head of the ` +
        'stream for 5 minutes: it cannot keep up. Raise parallelism (or let autoscaling do it), look for back pressure, and act ' +
        'before the lag reaches the stream retention, when records expire unread.',
    },
  ];
}

/** The dashboard sections of a Flink application: availability, progress on the stream, resources. */
export function flinkDashboard(app: FlinkApplication, restartMetric: string): DashboardSection[] {
  return [
    {
      title: 'Availability',
      widgets: [
        graph('Downtime and uptime (ms)', [app.metricDowntime()], [app.metric('uptime', { statistic: 'Maximum' })]),
        graph('Restarts and failed checkpoints (totals)', [app.metric(restartMetric, { statistic: 'Maximum' })],
          [app.metric('numberOfFailedCheckpoints', { statistic: 'Maximum' })]),
      ],
    },
    {
      title: 'Progress on the input stream',
      widgets: [
        graph('Behind the head of the stream (ms)', [app.metricMillisBehindLatest()]),
        graph('Last checkpoint: duration (ms) and size (bytes)', [app.metric('lastCheckpointDuration', { statistic: 'Maximum' })],
          [app.metric('lastCheckpointSize', { statistic: 'Maximum' })]),
      ],
    },
    {
      title: 'Resources (billed per KPU-hour)',
      widgets: [
        graph('KPUs', [app.metric('KPUs', { statistic: 'Average' })]),
        graph('CPU and heap memory (%)', [app.metric('containerCPUUtilization', { statistic: 'Average' })],
          [app.metric('heapMemoryUtilization', { statistic: 'Average' })]),
      ],
    },
  ];
}
