import { Annotations, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  FlinkApplication, FlinkApplicationCode, FlinkInput, StreamingDataLake, StreamingDataLakeSchema, StreamingDataLakeTimePartitioning,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/** Context keys that say where the application JAR is. */
export const CODE_BUCKET_CONTEXT = 'flink-analytics:codeBucket';
export const CODE_KEY_CONTEXT = 'flink-analytics:codeKey';

/** Props of `FlinkAnalyticsStack`. */
export interface FlinkAnalyticsStackProps extends StackProps {
  /**
   * Name of the bucket that holds the application JAR (yours: a CI pipeline's artifact bucket).
   * @default - the context value `flink-analytics:codeBucket`, else `flink-artifacts-<account>-<region>`
   */
  readonly codeBucketName?: string;
  /**
   * Key of the JAR in that bucket.
   * @default - the context value `flink-analytics:codeKey`, else `clickstream-aggregation.jar`
   */
  readonly codeKey?: string;
}

/**
 * Real-time page counts beside the clickstream lake:
 *
 * - `Clicks`: producers put JSON click events on the lake's stream; Firehose writes them to the `clicks` table.
 * - `Aggregation`: a Flink application reads the same stream (independently of Firehose), counts views per page in
 *   one-minute tumbling windows, and writes one JSON record per page and window to the `PageCounts` lake's stream.
 * - `PageCounts`: a second lake in the same bucket turns those records into the `page_counts` table.
 *
 * ```
 * producers ──▶ Kinesis (clicks) ──▶ Firehose ──Parquet──▶ s3://lake/clicks/…            (table clicks)
 *                     └──▶ Flink: views per page per minute ──▶ Kinesis (page counts)
 *                                                                   └──▶ Firehose ──▶ s3://lake/page-counts/… (table page_counts)
 * ```
 *
 * The Flink code is yours: this stack does not build it. Build the JAR (a `KinesisStreamsSource` on the stream named
 * by the `InputStream` property group, a tumbling-window count by `page`, a `KinesisStreamsSink` to the `OutputStream`
 * one), upload it to the code bucket, deploy, then start the application (CloudFormation creates it stopped).
 */
export class FlinkAnalyticsStack extends Stack {
  public readonly clicks: StreamingDataLake;
  public readonly pageCounts: StreamingDataLake;
  public readonly aggregation: FlinkApplication;

  constructor(scope: Construct, id: string, props: FlinkAnalyticsStackProps = {}) {
    super(scope, id, props);

    this.clicks = new StreamingDataLake(this, 'Clicks', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      dataPrefix: 'clicks/',
      errorPrefix: 'clicks-errors/',
    });

    this.pageCounts = new StreamingDataLake(this, 'PageCounts', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'page', type: glue.Schema.STRING },
        { name: 'window_start', type: glue.Schema.TIMESTAMP },
        { name: 'views', type: glue.Schema.BIG_INT },
      ], { tableName: 'page_counts', database: this.clicks.database }),
      bucket: this.clicks.bucket,
      dataPrefix: 'page-counts/',
      errorPrefix: 'page-counts-errors/',
      timePartitioning: StreamingDataLakeTimePartitioning.DAY,
    });

    const codeBucketName = props.codeBucketName ?? this.node.tryGetContext(CODE_BUCKET_CONTEXT) ?? `flink-artifacts-${this.account}-${this.region}`;
    const codeKey = props.codeKey ?? this.node.tryGetContext(CODE_KEY_CONTEXT) ?? 'clickstream-aggregation.jar';
    if (props.codeBucketName === undefined && this.node.tryGetContext(CODE_BUCKET_CONTEXT) === undefined) {
      Annotations.of(this).addInfo(`The Flink application runs s3://${codeBucketName}/${codeKey}: upload your JAR there before ` +
        `deploying, or set the context ${CODE_BUCKET_CONTEXT} and ${CODE_KEY_CONTEXT}`);
    }

    this.aggregation = new FlinkApplication(this, 'Aggregation', {
      code: FlinkApplicationCode.fromBucket(s3.Bucket.fromBucketName(this, 'CodeBucket', codeBucketName), codeKey),
      input: FlinkInput.fromStreamingDataLake(this.clicks),
      parallelism: 2,
      checkpointInterval: Duration.seconds(30),
      propertyGroups: [
        { id: 'InputStream', properties: { 'stream.arn': this.clicks.stream.streamArn, 'aws.region': this.region } },
        { id: 'OutputStream', properties: { 'stream.arn': this.pageCounts.stream.streamArn, 'aws.region': this.region } },
        { id: 'Aggregation', properties: { 'window.seconds': '60' } },
      ],
    });
    // The Flink Kinesis sink puts the counts on the PageCounts stream, encrypting them with its key through Kinesis.
    this.pageCounts.grantWrite(this.aggregation);
  }
}
