import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

import { graph } from '../../core/dashboard-widgets';
import { AlarmDefinition, DashboardSection } from '../../core/monitoring';
import type { StreamingDataLake } from '../streaming-data-lake';

/** What the alarms of a `StreamingDataLake` depend on, defaults resolved. */
export interface LakeAlarmOptions {
  /** Undefined for a Direct PUT lake. */
  readonly iteratorAge?: Duration;
  readonly retentionPeriod: Duration;
  readonly dataFreshness: Duration;
  readonly fileFormatName: string;
  readonly errorPrefix: string;
  readonly transform: boolean;
  readonly dynamicPartitioning: boolean;
  readonly rawBackup: boolean;
}

/**
 * The data-freshness threshold: the user's, or twice the buffering interval (a full buffer plus the 1.5x multi-stage
 * buffering of dynamic partitioning) plus 5 minutes for conversion and S3 writes; with an unresolved interval, the
 * worst case (900 s). Warns when a user's threshold is not longer than the interval: records wait in the buffer that
 * long on every delivery, so the alarm would fire in normal operation.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering.html
 */
export function dataFreshnessThreshold(lake: StreamingDataLake, given: Duration | undefined, interval: Duration): Duration {
  const intervalSeconds = interval.isUnresolved() ? 900 : interval.toSeconds();
  const freshness = given ?? Duration.seconds(2 * intervalSeconds + 300);
  if (given && !freshness.isUnresolved() && !interval.isUnresolved() && freshness.toSeconds() <= interval.toSeconds()) {
    Annotations.of(lake).addWarningV2('cdk-analytics-blueprints:streamingDataLakeFreshnessUnderBuffer',
      `alarmThresholds.dataFreshness (${freshness.toHumanString()}) is not longer than bufferingInterval (${interval.toHumanString()}): ` +
      'records wait in the buffer that long on every delivery, so the alarm fires in normal operation');
  }
  return freshness;
}

/**
 * Share of a Direct PUT Firehose stream's throughput quota used, per the Firehose guide's recommended alarms:
 * `IncomingX (Sum per 5 minutes) / 300` against the matching `XPerSecondLimit` metric. Above 80 %, a burst throttles.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/firehose-cloudwatch-metrics-best-practices.html
 */
const QUOTA_METRICS = [
  ['IncomingBytes', 'BytesPerSecondLimit', 'bytes'],
  ['IncomingRecords', 'RecordsPerSecondLimit', 'records'],
  ['IncomingPutRequests', 'PutRequestsPerSecondLimit', 'put requests'],
] as const;

function quotaUsage(lake: StreamingDataLake, incoming: string, limit: string): cloudwatch.MathExpression {
  const period = Duration.minutes(5);
  return new cloudwatch.MathExpression({
    // Ids unique per quota, so that the three expressions can share a graph.
    expression: `100 * (in${incoming} / 300) / lim${limit}`,
    usingMetrics: {
      [`in${incoming}`]: lake.deliveryStream.metric(incoming, { statistic: 'Sum', period }),
      [`lim${limit}`]: lake.deliveryStream.metric(limit, { statistic: 'Minimum', period }),
    },
    period,
    label: `${incoming} (% of ${limit})`,
  });
}

/**
 * The alarms of a lake, each on one of its `metric*` helpers (or its delivery stream's `metric`), so
 * the dimensions are right; each threshold says why it is what it is.
 */
export function lakeAlarms(lake: StreamingDataLake, options: LakeAlarmOptions): AlarmDefinition[] {
  const alarms: AlarmDefinition[] = [];
  if (options.iteratorAge) {
    alarms.push({
      id: 'IteratorAge',
      metric: lake.metricIteratorAge(),
      threshold: options.iteratorAge.toMilliseconds(),
      description: `Firehose is more than ${options.iteratorAge.toHumanString()} behind the stream (retention ` +
        `${options.retentionPeriod.toHumanString()}): records expire unread if this grows. Check DeliveryToS3 errors and the error log group.`,
    }, {
      id: 'WriteThrottled',
      metric: lake.metricWriteThrottled(),
      // Any throttled write (PutRecord or PutRecords) means a producer retried or lost a record.
      threshold: 1,
      description: 'Producers were throttled: add shards (provisioned) or spread partition keys; on-demand streams throttle above twice their previous peak.',
    });
  } else {
    alarms.push({
      id: 'WriteThrottled',
      metric: lake.metricWriteThrottled(),
      // Any throttled record means a producer had to retry it, or lost it.
      threshold: 1,
      description: 'Firehose throttled records from producers (its per-stream throughput quota): retry with backoff, and request a ' +
        'higher quota or split the producers over several lakes.',
    });
    for (const [incoming, limit, what] of QUOTA_METRICS) {
      alarms.push({
        id: `${incoming.replace('Incoming', '')}NearQuota`,
        metric: quotaUsage(lake, incoming, limit),
        threshold: 80,
        description: `Producers use more than 80 % of the Firehose stream's ${what} per second quota: a burst will be throttled. ` +
          'Request a higher quota before it is reached.',
      });
    }
  }
  alarms.push(
    {
      id: 'DataFreshness',
      metric: lake.metricDataFreshness(),
      threshold: options.dataFreshness.toSeconds(),
      description: `The oldest undelivered record is older than ${options.dataFreshness.toHumanString()}: delivery to S3 is stalled or failing.`,
    },
    {
      id: 'DeliveryFailed',
      metric: lake.metricDeliverySuccess(),
      // DeliveryToS3.Success is the ratio of successful PutObject calls; below 1 means S3 writes failed.
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: 'Firehose failed to write to S3: check the role, the bucket policy and the bucket key.',
    },
    {
      id: 'ConversionFailed',
      metric: lake.metricFailedConversionRecords(),
      // A failed conversion means a record did not match the table schema; it went to the error prefix.
      threshold: 1,
      description: `Records failed conversion to ${options.fileFormatName} and were written under '${options.errorPrefix}': compare them with the table schema.`,
    },
  );
  if (options.rawBackup) {
    alarms.push({
      id: 'RawBackupFailed',
      metric: lake.deliveryStream.metric('BackupToS3.Success', { statistic: 'Minimum', period: Duration.minutes(5) }),
      // The ratio of successful S3 writes of the raw backup; below 1 means raw copies were not written.
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: 'Firehose failed to write raw backup copies to S3: check the role, the bucket policy and the bucket key.',
    });
  }
  if (options.transform) {
    alarms.push({
      id: 'TransformFailed',
      metric: lake.deliveryStream.metric('ExecuteProcessing.Success', { statistic: 'Minimum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      description: 'The transform Lambda failed or timed out; failed records went to the error prefix.',
    });
  }
  if (options.dynamicPartitioning) {
    alarms.push({
      id: 'PartitionCountExceeded',
      metric: lake.deliveryStream.metric('PartitionCountExceeded', { statistic: 'Maximum', period: Duration.minutes(5) }),
      // Firehose stops creating partitions at the active partition quota (500 by default).
      threshold: 1,
      description: 'Dynamic partitioning reached the active partition quota; records go to the error prefix. Raise the quota or use coarser keys.',
    });
  }
  return alarms;
}

/** The dashboard sections of a lake: the stream's intake and lag, Firehose's delivery. */
export function lakeDashboard(lake: StreamingDataLake): DashboardSection[] {
  const intake: DashboardSection = !lake.source.isDirectPut ? {
    title: 'Kinesis stream',
    widgets: [
      graph('Incoming records', [lake.stream.metricIncomingRecords({ statistic: 'Sum' })], [lake.metricWriteThrottled()]),
      graph('Iterator age (ms)', [lake.metricIteratorAge()]),
    ],
  } : {
    title: 'Firehose intake (Direct PUT)',
    widgets: [
      graph('Incoming records / throttled', [lake.deliveryStream.metricIncomingRecords({ statistic: 'Sum' })], [lake.metricWriteThrottled()]),
      graph('Quota used (%)', QUOTA_METRICS.map(([incoming, limit]) => quotaUsage(lake, incoming, limit))),
    ],
  };
  return [
    intake,
    {
      title: 'Firehose delivery',
      widgets: [
        graph('Data freshness (s)', [lake.metricDataFreshness()], [lake.metricDeliverySuccess()]),
        graph('Records in / failed conversion', [lake.deliveryStream.metricIncomingRecords({ statistic: 'Sum' })],
          [lake.metricFailedConversionRecords()]),
      ],
    },
  ];
}
