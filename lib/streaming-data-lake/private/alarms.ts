import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { graph } from '../../core/dashboard-widgets';
import { AlarmDefinition, DashboardSection } from '../../core/monitoring';
import type { StreamingDataLake } from '../streaming-data-lake';

/** What the alarms of a `StreamingDataLake` depend on, defaults resolved. */
export interface LakeAlarmOptions {
  readonly iteratorAge: Duration;
  readonly retentionPeriod: Duration;
  readonly dataFreshness: Duration;
  readonly fileFormatName: string;
  readonly errorPrefix: string;
  readonly transform: boolean;
  readonly dynamicPartitioning: boolean;
}

/**
 * The alarms of a lake, each on one of its `metric*` helpers (or its delivery stream's `metric`), so
 * the dimensions are right; each threshold says why it is what it is.
 */
export function lakeAlarms(lake: StreamingDataLake, options: LakeAlarmOptions): AlarmDefinition[] {
  const alarms: AlarmDefinition[] = [
    {
      id: 'IteratorAge',
      metric: lake.metricIteratorAge(),
      threshold: options.iteratorAge.toMilliseconds(),
      description: `Firehose is more than ${options.iteratorAge.toHumanString()} behind the stream (retention ` +
        `${options.retentionPeriod.toHumanString()}): records expire unread if this grows. Check DeliveryToS3 errors and the error log group.`,
    },
    {
      id: 'WriteThrottled',
      metric: lake.metricWriteThrottled(),
      // Any throttled write (PutRecord or PutRecords) means a producer retried or lost a record.
      threshold: 1,
      description: 'Producers were throttled: add shards (provisioned) or spread partition keys; on-demand streams throttle above twice their previous peak.',
    },
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
  ];
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
  return [
    {
      title: 'Kinesis stream',
      widgets: [
        graph('Incoming records', [lake.stream.metricIncomingRecords({ statistic: 'Sum' })], [lake.metricWriteThrottled()]),
        graph('Iterator age (ms)', [lake.metricIteratorAge()]),
      ],
    },
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
