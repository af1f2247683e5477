import { Duration, Size } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * Capacity mode of the Kinesis data stream: on-demand, or provisioned with a fixed shard count.
 *
 * @see https://docs.aws.amazon.com/streams/latest/dev/how-do-i-size-a-stream.html
 */
export class StreamingDataLakeCapacity {
  /**
   * On-demand: Kinesis scales the shards with the traffic; you pay per GB written and read.
   * The right start when the write rate is unknown or spiky.
   */
  public static onDemand(): StreamingDataLakeCapacity {
    return new StreamingDataLakeCapacity(undefined);
  }

  /**
   * Provisioned: a fixed number of shards, each taking up to 1 MB/s or 1,000 records/s of writes.
   * Cheaper than on-demand for a steady, known rate.
   *
   * @param shardCount number of shards, a whole number of at least 1 (the account's shard quota is
   *   1,000 to 20,000 shards depending on the region)
   * @see https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
   */
  public static provisioned(shardCount: number): StreamingDataLakeCapacity {
    return new StreamingDataLakeCapacity(shardCount);
  }

  /** The shard count of a provisioned stream; undefined for on-demand. */
  public readonly shardCount?: number;

  private constructor(shardCount: number | undefined) {
    this.shardCount = shardCount;
  }
}

/**
 * The columnar file format Firehose writes, with its compression.
 *
 * Both formats need a buffer of at least 64 MiB (Firehose's record format conversion minimum). The options are
 * checked by the `StreamingDataLake` that uses the format, so that a value out of range is reported at synth with
 * the construct path, together with every other problem.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html
 */
export class StreamingDataLakeFileFormat {
  /**
   * Apache Parquet (the default: read by Athena, Glue, EMR and Redshift Spectrum).
   * @param options block size (at least 64 MiB), page size (at least 64 KiB), compression (SNAPPY unless set:
   *   UNCOMPRESSED, GZIP or SNAPPY) and writer version
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_ParquetSerDe.html
   */
  public static parquet(options: firehose.ParquetOutputFormatProps = {}): StreamingDataLakeFileFormat {
    return new StreamingDataLakeFileFormat('PARQUET', glue.DataFormat.PARQUET, options, undefined);
  }

  /**
   * Apache ORC.
   * @param options stripe size (at least 8 MiB), block size (at least 64 MiB), bloom filters, ratios between 0 and
   *   1, row index stride (at least 1000), compression (SNAPPY unless set: NONE, ZLIB or SNAPPY) and format version
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_OrcSerDe.html
   */
  public static orc(options: firehose.OrcOutputFormatProps = {}): StreamingDataLakeFileFormat {
    return new StreamingDataLakeFileFormat('ORC', glue.DataFormat.ORC, undefined, options);
  }

  /** `PARQUET` or `ORC`. */
  public readonly name: string;
  /** The matching Glue table format, so that readers parse what Firehose wrote. */
  public readonly tableDataFormat: glue.DataFormat;
  /** The Parquet options, for `parquet()`. */
  public readonly parquetOptions?: firehose.ParquetOutputFormatProps;
  /** The ORC options, for `orc()`. */
  public readonly orcOptions?: firehose.OrcOutputFormatProps;

  private constructor(name: string, tableDataFormat: glue.DataFormat, parquetOptions: firehose.ParquetOutputFormatProps | undefined,
    orcOptions: firehose.OrcOutputFormatProps | undefined) {
    this.name = name;
    this.tableDataFormat = tableDataFormat;
    this.parquetOptions = parquetOptions;
    this.orcOptions = orcOptions;
  }
}

/**
 * How finely the delivered files are split by arrival time, as Hive-style partitions
 * (`year=2026/month=05/day=17/hour=09/`).
 */
export enum StreamingDataLakeTimePartitioning {
  /** `year=/month=/` */
  MONTH = 'MONTH',
  /** `year=/month=/day=/` */
  DAY = 'DAY',
  /** `year=/month=/day=/hour=/` */
  HOUR = 'HOUR',
}

/**
 * One dynamic partition key, taken from each record with a jq query (Firehose inline parsing).
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning-partitioning-keys.html
 */
export interface StreamingDataLakePartitionKey {
  /**
   * Partition column name, as it appears in the S3 key (`<name>=<value>/`) and in the Glue table.
   * Lowercase letters, digits and underscores (Athena's rule for column names).
   */
  readonly name: string;
  /** jq 1.6 expression that extracts the value from a JSON record, for example `.customer_id`. */
  readonly query: string;
  /**
   * How Athena projects the partition's values.
   * @default glue.PartitionProjectionConfiguration.injected() - queries must filter on the key with `=` or `IN`
   */
  readonly projection?: glue.PartitionProjectionConfiguration;
}

/**
 * A Lambda function Firehose calls to transform records before conversion.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
 */
export interface StreamingDataLakeTransform {
  /** The function; it must return every record with `recordId`, `result` and base64 `data`. */
  readonly lambdaFunction: lambda.IFunction;
  /**
   * How long Firehose buffers records before calling the function. Firehose accepts 0 to 900 seconds.
   * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
   * @default Duration.seconds(60)
   */
  readonly bufferInterval?: Duration;
  /**
   * How much Firehose buffers before calling the function. Firehose accepts 0.2 to 3 MB (the
   * synchronous invocation payload limit is 6 MB); CloudFormation takes whole MiB, so 1 to 3 MiB.
   * @see https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
   * @default Size.mebibytes(1)
   */
  readonly bufferSize?: Size;
  /**
   * Retries after a failed invocation, a whole number of at least 0.
   * @default 3
   */
  readonly retries?: number;
}

/**
 * A CloudWatch Logs log group whose events stream into the lake through the Kinesis stream.
 *
 * Firehose then decompresses the CloudWatch Logs envelope and extracts each log message, which must
 * be a JSON object matching the table's columns. Records that producers put on the stream directly
 * are not gzip-compressed and fail decompression (they land under the error prefix), so use a lake
 * with log sources for logs only.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/Message_extraction.html
 */
export interface StreamingDataLakeLogSource {
  /** The log group to subscribe. */
  readonly logGroup: logs.ILogGroup;
  /**
   * Which events to forward.
   * @default logs.FilterPattern.allEvents()
   */
  readonly filterPattern?: logs.IFilterPattern;
}

/**
 * Alarm thresholds of a `StreamingDataLake`.
 */
export interface StreamingDataLakeAlarmThresholds {
  /**
   * Alarm when the oldest record Firehose has not read yet is older than this. Must be shorter than
   * the stream's retention period, or records expire before the alarm fires.
   * @default Duration.hours(1)
   */
  readonly iteratorAge?: Duration;
  /**
   * Alarm when the oldest record not yet delivered to S3 is older than this.
   * @default - twice the buffering interval plus 5 minutes (1.5 times the interval with dynamic
   *   partitioning, per Firehose's multi-stage buffering, plus conversion time)
   */
  readonly dataFreshness?: Duration;
}
