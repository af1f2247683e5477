import { Duration, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';

/**
 * A copy of every source record as it arrived, before the transform and the conversion to Parquet/ORC (Firehose
 * "source record backup"), in the lake bucket under its own prefix, encrypted with the bucket key, with its own
 * lifecycle. Keep it to replay the records through a fixed schema or transform, or for audit; let it expire when
 * the converted table is enough.
 *
 * Firehose writes it as a second S3 destination with its own buffering. Its cost is mostly the S3 storage and requests
 * of the raw objects (compressed with GZIP by default); set `expiration` or the transitions to bound it.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/create-configure-backup.html
 * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_ExtendedS3DestinationConfiguration.html (S3BackupMode)
 */
export interface StreamingDataLakeRawBackup {
  /**
   * Static key prefix of the raw copies; the construct appends the time partitions of the lake
   * (`year=/month=/day=/hour=/`). It ends with `/`, does not start with `/`, has no `!{...}` expressions, and must not
   * overlap `dataPrefix` or `errorPrefix` (readers of the table would read raw files).
   * @default 'raw/'
   */
  readonly prefix?: string;
  /**
   * Compression of the raw objects.
   * @default firehose.Compression.GZIP
   */
  readonly compression?: firehose.Compression;
  /**
   * Firehose writes a raw object when this much time has passed since the first buffered record: 60 to 900 seconds
   * (zero buffering, under 60 seconds, is not available for the S3 backup destination).
   * @see https://docs.aws.amazon.com/firehose/latest/dev/create-configure-backup.html
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
   * @default Duration.seconds(300)
   */
  readonly bufferingInterval?: Duration;
  /**
   * Firehose writes a raw object when this much data is buffered: 1 to 128 MiB.
   * @see https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
   * @default Size.mebibytes(128)
   */
  readonly bufferingSize?: Size;
  /**
   * Move raw objects to S3 Standard-IA this long after creation: at least 30 days (S3's minimum for Standard-IA).
   * Needs a bucket this app defines (the lake's own, or an `s3.Bucket` passed as `bucket`).
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
   * @default - raw objects stay in S3 Standard
   */
  readonly infrequentAccessAfter?: Duration;
  /**
   * Move raw objects to S3 Glacier Flexible Retrieval this long after creation; at least 30 days after
   * `infrequentAccessAfter` when both are set. Needs a bucket this app defines.
   * @default - raw objects are not archived
   */
  readonly glacierAfter?: Duration;
  /**
   * Delete raw objects this long after creation (a versioned bucket keeps them as noncurrent versions, which its
   * `noncurrentVersionExpiration` then deletes). Longer than either transition, as S3 requires. Needs a bucket this
   * app defines.
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
   * @default - raw objects are kept
   */
  readonly expiration?: Duration;
}
