import { ArnFormat, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  KeyGrantPolicy, StreamingDataLake, StreamingDataLakeCapacity, StreamingDataLakeFileFormat, StreamingDataLakeSchema,
  StreamingDataLakeTimePartitioning,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * Two streaming data lakes sharing the stack's alarm topic (`AlarmTopic.ofStack`, created by the first one):
 *
 * - `Clickstream`: producers put JSON click events on an on-demand Kinesis stream; Firehose writes
 *   Parquet files partitioned by `event_type` (dynamic partitioning) and arrival hour; Athena queries
 *   the `clicks` table at once thanks to partition projection.
 * - `AppLogs`: a CloudWatch Logs log group of JSON log lines streams through a provisioned Kinesis
 *   stream into ORC files partitioned by day.
 *
 * ```
 * producers ──PutRecords──▶ Kinesis ──▶ Firehose ──Parquet──▶ s3://lake/clicks/event_type=…/year=…/…/hour=…/
 *                                          │  └─ schema ◀── Glue table `clicks` (partition projection) ◀── Athena
 *                                          └─ failures ──▶ s3://lake/clicks-errors/…  + error log group
 * log group ──subscription──▶ Kinesis ──▶ Firehose ──ORC──▶ s3://lake/app-logs/year=…/month=…/day=…/
 * ```
 */
export class StreamingDataLakeStack extends Stack {
  public readonly clickstream: StreamingDataLake;
  public readonly appLogs: StreamingDataLake;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.clickstream = new StreamingDataLake(this, 'Clickstream', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'session_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'duration_ms', type: glue.Schema.BIG_INT },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      dataPrefix: 'clicks/',
      errorPrefix: 'clicks-errors/',
      partitionKeys: [{ name: 'event_type', query: '.event_type' }],
      bufferingInterval: Duration.seconds(120),
      retentionPeriod: Duration.days(7),
      // No alarmTopic: the alarms of both lakes notify the stack's shared encrypted topic (AlarmTopic.ofStack).
    });

    // A log group that an application writes JSON lines to.
    const appLogKey = new kms.Key(this, 'AppLogKey', { description: 'Encrypts the application log group', enableKeyRotation: true });
    // CloudWatch Logs uses the key for this account's log groups only; direct grants only for AWS resources
    // (AWS Control Tower control CT.KMS.PR.3).
    appLogKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': this.formatArn({
            service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
    KeyGrantPolicy.limitToAwsServices(appLogKey);
    const appLogGroup = new logs.LogGroup(this, 'AppLogGroup', {
      encryptionKey: appLogKey,
      // A year, as the AWS Control Tower proactive control CT.CLOUDWATCH.PR.2 asks of every log group.
      retention: logs.RetentionDays.ONE_YEAR,
    });

    this.appLogs = new StreamingDataLake(this, 'AppLogs', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'level', type: glue.Schema.STRING },
        { name: 'message', type: glue.Schema.STRING },
        { name: 'request_id', type: glue.Schema.STRING },
      ], { tableName: 'app_logs' }),
      bucket: this.clickstream.bucket,
      dataPrefix: 'app-logs/',
      errorPrefix: 'app-logs-errors/',
      capacity: StreamingDataLakeCapacity.provisioned(1),
      timePartitioning: StreamingDataLakeTimePartitioning.DAY,
      fileFormat: StreamingDataLakeFileFormat.orc(),
      logSources: [{ logGroup: appLogGroup }],
    });
  }
}
