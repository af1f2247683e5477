import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { DataBucketLifecycle } from '../../core/data-bucket';
import { PropsValidator, Shown } from '../../core/validation';
import {
  StreamingDataLakeCapacity, StreamingDataLakeFileFormat, StreamingDataLakePartitionKey, StreamingDataLakeTimePartitioning,
  StreamingDataLakeTransform,
} from '../options';
import { StreamingDataLakeSchema, StreamingDataLakeTableOptions } from '../schema';
import { StreamingDataLakeSource } from '../source';
import type { StreamingDataLakeProps } from '../streaming-data-lake-props';
import { checkFileFormat } from './file-format';
import { checkLifecycle } from './lifecycle';
import { MAX_PARTITION_KEYS, partitionPath, PROJECTION_LAST_YEAR, TIME_PARTITION_NAMES } from './partitions';

export { MAX_PARTITION_KEYS };

/** The props of a `StreamingDataLake` with every default resolved, as the rules read them. */
export interface ResolvedLakeProps {
  readonly schema: StreamingDataLakeSchema;
  readonly columns?: glue.Column[];
  readonly tableOptions: StreamingDataLakeTableOptions;
  readonly projectionFirstYear: number;
  readonly capacity: StreamingDataLakeCapacity;
  readonly retentionPeriod: Duration;
  readonly streamName?: string;
  readonly deliveryStreamName?: string;
  readonly bufferingInterval: Duration;
  readonly bufferingSize: Size;
  readonly dataPrefix: string;
  readonly errorPrefix: string;
  readonly timePartitioning: StreamingDataLakeTimePartitioning;
  readonly partitionKeys: StreamingDataLakePartitionKey[];
  readonly transform?: StreamingDataLakeTransform;
  readonly iteratorAgeThreshold: Duration;
  readonly dataFreshnessThreshold?: Duration;
  readonly fileFormat: StreamingDataLakeFileFormat;
  readonly lifecycle?: DataBucketLifecycle;
  readonly bucket?: s3.IBucket;
}

/**
 * Every limit AWS enforces at deploy or run time on a `StreamingDataLake`, one check per rule, each
 * citing its source.
 */
export function checkLakeProps(v: PropsValidator, p: ResolvedLakeProps): void {
  // Provisioned streams need at least one shard; the shard quota per account (1,000 to 20,000
  // by region) is adjustable, so it is not a synth-time limit.
  // https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
  v.wholeNumber('capacity.shardCount', p.capacity.shardCount, 1);
  // https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html
  // RetentionPeriodHours is an integer: aws-cdk-lib throws on a fraction of an hour.
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_IncreaseStreamRetentionPeriod.html
  if (v.wholeDuration('retentionPeriod', p.retentionPeriod, 'hours', 'Kinesis takes the retention in hours')) {
    v.durationInRange('retentionPeriod', p.retentionPeriod, Duration.hours(24), Duration.hours(8760), 'hours');
  }
  // https://docs.aws.amazon.com/kinesis/latest/APIReference/API_CreateStream.html (StreamName)
  v.matches('streamName', p.streamName, /^[a-zA-Z0-9_.-]{1,128}$/, '1 to 128 letters, digits, _, - or .');
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html (DeliveryStreamName)
  v.matches('deliveryStreamName', p.deliveryStreamName, /^[a-zA-Z0-9_.-]{1,64}$/, '1 to 64 letters, digits, _, - or .');

  // Buffering hints: interval 0-900 s, size 1-128 MiB; record format conversion needs >= 64 MiB;
  // dynamic partitioning has no zero buffering and needs >= 60 s.
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
  // https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
  // https://docs.aws.amazon.com/firehose/latest/dev/buffering.html
  // IntervalInSeconds and SizeInMBs are integers: aws-cdk-lib throws on a fraction.
  if (v.wholeDuration('bufferingInterval', p.bufferingInterval, 'seconds', 'Firehose takes the interval in seconds')) {
    const s = p.bufferingInterval.toSeconds({ integral: false });
    const min = p.partitionKeys.length > 0 ? 60 : 0;
    v.check(s >= min && s <= 900, 'bufferingInterval', p.bufferingInterval,
      `must be between ${min} and 900 seconds${min > 0 ? ' (dynamic partitioning needs at least 60 seconds)' : ''}`);
  }
  if (v.wholeMebibytes('bufferingSize', p.bufferingSize, FIREHOSE_MIB)) {
    const mib = p.bufferingSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    v.check(mib >= 64 && mib <= 128, 'bufferingSize', p.bufferingSize,
      'must be between 64 and 128 MiB (record format conversion needs at least 64 MiB)');
  }

  validatePrefix(v, 'dataPrefix', p.dataPrefix);
  validatePrefix(v, 'errorPrefix', p.errorPrefix);
  if (!Token.isUnresolved(p.dataPrefix) && !Token.isUnresolved(p.errorPrefix)) {
    v.check(!p.dataPrefix.startsWith(p.errorPrefix) && !p.errorPrefix.startsWith(p.dataPrefix), 'errorPrefix', p.errorPrefix,
      `must not overlap dataPrefix ('${p.dataPrefix}'): the table reads everything under dataPrefix`);
  }

  // Partition key names become Glue/Athena columns and S3 key parts.
  // https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
  // "The maximum number of dynamic partitioning keys supported per Firehose stream is 50"; aws-cdk-lib throws past it.
  // https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-partitioning-keys.html
  v.countInRange('partitionKeys', p.partitionKeys, 0, MAX_PARTITION_KEYS);
  const columnNames = new Set((p.columns ?? []).map(c => c.name));
  const seen = new Set<string>();
  p.partitionKeys.forEach((k, i) => {
    const prop = `partitionKeys[${i}].name`;
    v.matches(prop, k.name, /^[a-z_][a-z0-9_]{0,254}$/, 'lowercase letters, digits and underscores, starting with a letter or underscore (at most 255)');
    v.check(!TIME_PARTITION_NAMES.includes(k.name), prop, k.name, `must not be one of the time partitions (${TIME_PARTITION_NAMES.join(', ')})`);
    v.check(!columnNames.has(k.name), prop, k.name, 'must not also be a column of the schema');
    v.check(!seen.has(k.name), prop, k.name, 'must be unique among the partition keys');
    seen.add(k.name);
    // Firehose rejects an empty MetadataExtractionQuery (ProcessorParameter value length 1-5120).
    // https://docs.aws.amazon.com/firehose/latest/APIReference/API_ProcessorParameter.html
    if (!Token.isUnresolved(k.query)) {
      v.check(k.query.trim().length > 0 && k.query.length <= 5120, `partitionKeys[${i}].query`, k.query,
        'must be a jq expression of 1 to 5120 characters, for example \'.customer_id\'');
    }
  });

  if (p.transform) {
    // Lambda processor hints: 0.2-3 MB (CloudFormation takes whole MiB) and 0-900 s.
    // https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
    const { bufferInterval, bufferSize } = p.transform;
    if (bufferInterval && v.wholeDuration('transform.bufferInterval', bufferInterval, 'seconds', 'Firehose takes the interval in seconds')) {
      v.durationInRange('transform.bufferInterval', bufferInterval, Duration.seconds(0), Duration.seconds(900));
    }
    if (bufferSize && v.wholeMebibytes('transform.bufferSize', bufferSize, FIREHOSE_MIB)) {
      v.sizeInRange('transform.bufferSize', bufferSize, Size.mebibytes(1), Size.mebibytes(3));
    }
    v.wholeNumber('transform.retries', p.transform.retries, 0);
  }

  // An alarm at 0 (GreaterThanOrEqualToThreshold) is always in ALARM.
  for (const [property, threshold] of [['alarmThresholds.iteratorAge', p.iteratorAgeThreshold],
    ['alarmThresholds.dataFreshness', p.dataFreshnessThreshold]] as const) {
    if (threshold === undefined || threshold.isUnresolved()) continue;
    v.check(threshold.toMilliseconds() > 0, property, threshold, 'must be longer than 0: the alarm would always be in ALARM');
  }
  // DeliveryToS3.DataFreshness is in seconds ("Units: Seconds"); aws-cdk-lib throws converting a fraction of a second.
  // https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-metrics.html
  if (p.dataFreshnessThreshold && p.dataFreshnessThreshold.toMilliseconds() > 0) {
    v.wholeDuration('alarmThresholds.dataFreshness', p.dataFreshnessThreshold, 'seconds', 'DeliveryToS3.DataFreshness is in seconds');
  }

  if (!p.iteratorAgeThreshold.isUnresolved() && !p.retentionPeriod.isUnresolved() && p.iteratorAgeThreshold.toMilliseconds() > 0) {
    v.check(p.iteratorAgeThreshold.toSeconds() < p.retentionPeriod.toSeconds(), 'alarmThresholds.iteratorAge', p.iteratorAgeThreshold,
      `must be shorter than retentionPeriod (${p.retentionPeriod.toHumanString()}), or records expire before the alarm fires`);
  }

  if (p.columns) {
    // Glue needs at least one column; Athena reads lowercase names of letters, digits and '_'.
    // https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
    v.check(p.columns.length > 0, 'schema.columns', new Shown(`${p.columns.length} columns`), 'must have at least one column');
    const names = new Set<string>();
    p.columns.forEach((c, i) => {
      v.matches(`schema.columns[${i}].name`, c.name, /^[a-z_][a-z0-9_]{0,254}$/,
        'lowercase letters, digits and underscores, starting with a letter or underscore (at most 255)');
      v.check(!names.has(c.name), `schema.columns[${i}].name`, c.name, 'must be unique among the columns');
      names.add(c.name);
    });
    v.matches('schema.tableName', p.tableOptions.tableName, /^[a-z0-9_]{1,255}$/, '1 to 255 lowercase letters, digits and underscores');
    v.check(Number.isInteger(p.projectionFirstYear) && p.projectionFirstYear >= 1970 && p.projectionFirstYear <= PROJECTION_LAST_YEAR,
      'schema.projectionFirstYear', p.projectionFirstYear, `must be a whole year between 1970 and ${PROJECTION_LAST_YEAR}`);
  } else if (p.schema.existingTable) {
    const t = p.schema.existingTable;
    // Glue names: DatabaseInput Name and TableInput Name, 1-255 characters.
    // https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html
    // https://docs.aws.amazon.com/glue/latest/webapi/API_TableInput.html
    v.matches('schema.database.databaseName', t.database.databaseName, /^.{1,255}$/, '1 to 255 characters');
    v.matches('schema.tableName', t.tableName, /^.{1,255}$/, '1 to 255 characters');
  }

  checkFileFormat(v, p.fileFormat);
  checkLifecycle(v, p.lifecycle, p.bucket);

  const rendered = p.dataPrefix + partitionPath(p.timePartitioning, p.partitionKeys);
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html (Prefix)
  if (!Token.isUnresolved(rendered)) {
    v.check(rendered.length <= 1024, 'dataPrefix', p.dataPrefix,
      `with its partitions ('${rendered}') must be at most 1024 characters (got ${rendered.length})`);
  }
}

/**
 * What only a stream source has: a Direct PUT lake has no Kinesis stream to size, keep records in, name, subscribe log
 * groups to, or fall behind. Each is reported when the user set it explicitly, rather than ignored.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/basic-write.html
 */
export function checkSourceProps(v: PropsValidator, source: StreamingDataLakeSource, props: StreamingDataLakeProps): void {
  if (!source.isDirectPut) return;
  const requirement = 'a Kinesis stream source (StreamingDataLakeSource.kinesisStream()): a Direct PUT lake has no stream';
  v.requires('capacity', props.capacity !== undefined, false, requirement);
  v.requires('retentionPeriod', props.retentionPeriod !== undefined, false, requirement);
  v.requires('streamName', props.streamName !== undefined, false, requirement);
  v.requires('logSources', (props.logSources ?? []).length > 0, false, `${requirement} (subscribe the log groups to a lake with a stream)`);
  v.requires('alarmThresholds.iteratorAge', props.alarmThresholds?.iteratorAge !== undefined, false, requirement);
}

/**
 * A static prefix: the construct writes the partition expressions itself, after it, so that the
 * table's partition keys always match the S3 layout.
 */
export function validatePrefix(v: PropsValidator, property: string, prefix: string): void {
  if (Token.isUnresolved(prefix)) return;
  v.check(!prefix.includes('!{'), property, prefix, 'must be a static prefix without !{...} expressions: the construct appends the partitions');
  v.check(prefix.endsWith('/') && !prefix.startsWith('/') && !prefix.includes('//'), property, prefix,
    'must end with \'/\', not start with \'/\' and have no empty segment (\'//\'), so that it is a folder of the table location');
}

// Moved to lib/core/validation.ts; re-exported so that code importing it from here still compiles.
export { validateAtSynthAndNow } from '../../core/validation';

/** Why Firehose sizes are whole MiB. */
const FIREHOSE_MIB = 'Firehose takes the size in MiB';

