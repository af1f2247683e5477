import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  KeyGrantPolicy, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeConsumer, StreamingDataLakeConsumerFailureDestination,
  StreamingDataLakeSchema, StreamingDataLakeSource,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * A clickstream with real-time consumers beside the lake, and server logs sent straight to Firehose:
 *
 * - `Clicks`: producers put JSON click events on a Kinesis stream. Firehose writes them as Parquet under `clicks/`
 *   and keeps every raw record, gzipped, under `clicks-raw/` for 90 days (Standard-IA after 30). Two Lambda
 *   functions read the same stream in real time, each through its own enhanced fan-out consumer:
 *   `PageCounts` publishes clicks per page as CloudWatch metrics (embedded metric format), `BotAlerts` flags users
 *   clicking faster than a human can. A batch a consumer gives up on is described in an encrypted queue (PageCounts)
 *   or topic (BotAlerts).
 * - `ServerLogs`: web servers' Kinesis Agents write access logs to Firehose directly (Direct PUT, encrypted with the
 *   lake's key), into the same bucket under `server-logs/`.
 *
 * ```
 * producers ─PutRecords─▶ Kinesis ─▶ Firehose ─Parquet─▶ s3://lake/clicks/year=…/hour=…/     (table `clicks`)
 *                           │            └──raw, gzip──▶ s3://lake/clicks-raw/year=…/hour=…/ (90 days)
 *                           ├─EFO consumer─▶ Lambda PageCounts ─▶ CloudWatch metrics   (failures ▶ SQS)
 *                           └─EFO consumer─▶ Lambda BotAlerts  ─▶ logs + metric       (failures ▶ SNS)
 * Kinesis Agent ─PutRecordBatch─▶ Firehose (Direct PUT) ─Parquet─▶ s3://lake/server-logs/…  (table `server_logs`)
 * ```
 */
export class ClickstreamRealtimeStack extends Stack {
  public readonly clicks: StreamingDataLake;
  public readonly serverLogs: StreamingDataLake;
  public readonly pageCounts: StreamingDataLakeConsumer;
  public readonly botAlerts: StreamingDataLakeConsumer;
  /** The role of the click producers (an application's task or instance role in a real deployment). */
  public readonly clickProducer: ManagedPolicyRole;
  /** The instance role of the web servers that run the Kinesis Agent. */
  public readonly logShipper: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.clicks = new StreamingDataLake(this, 'Clicks', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'session_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      dataPrefix: 'clicks/',
      errorPrefix: 'clicks-errors/',
      rawBackup: { prefix: 'clicks-raw/', infrequentAccessAfter: Duration.days(30), expiration: Duration.days(90) },
    });

    this.pageCounts = this.clicks.addConsumer('PageCounts', {
      handler: consumerFunction(this, 'PageCountsFunction', this.clicks.encryptionKey, PAGE_COUNTS_CODE,
        'Publishes clicks per page as CloudWatch metrics, in real time'),
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(5),
    });

    const failureKey = new kms.Key(this, 'BotAlertsFailureKey', {
      description: 'Encrypts the failure topic of the BotAlerts consumer', enableKeyRotation: true,
    });
    // Direct grants on the key only for AWS resources (AWS Control Tower control CT.KMS.PR.3).
    KeyGrantPolicy.limitToAwsServices(failureKey);
    const failureTopic = new sns.Topic(this, 'BotAlertsFailures', { masterKey: failureKey, enforceSSL: true });
    this.botAlerts = this.clicks.addConsumer('BotAlerts', {
      handler: consumerFunction(this, 'BotAlertsFunction', this.clicks.encryptionKey, BOT_ALERTS_CODE,
        'Flags users who click faster than a human can, in real time'),
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 1000,
      maxBatchingWindow: Duration.seconds(10),
      parallelizationFactor: 2,
      retryAttempts: 5,
      maxRecordAge: Duration.hours(1),
      reportBatchItemFailures: true,
      onFailure: StreamingDataLakeConsumerFailureDestination.snsTopic(failureTopic),
      alarmThresholds: { iteratorAge: Duration.minutes(2) },
    });

    this.serverLogs = new StreamingDataLake(this, 'ServerLogs', {
      source: StreamingDataLakeSource.directPut(),
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'host', type: glue.Schema.STRING },
        { name: 'request', type: glue.Schema.STRING },
        { name: 'status', type: glue.Schema.INTEGER },
        { name: 'bytes', type: glue.Schema.BIG_INT },
        { name: 'time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'server_logs' }),
      bucket: this.clicks.bucket,
      dataPrefix: 'server-logs/',
      errorPrefix: 'server-logs-errors/',
    });

    this.clickProducer = new ManagedPolicyRole(this, 'ClickProducer', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'Puts click events on the Clicks stream',
    });
    this.clicks.grantWrite(this.clickProducer);
    this.logShipper = new ManagedPolicyRole(this, 'LogShipper', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Kinesis Agent on the web servers: sends access logs to the ServerLogs Firehose stream',
    });
    this.serverLogs.grantWrite(this.logShipper);
  }
}

/**
 * A consumer function: Node.js, its own role (a `ManagedPolicyRole`, so the consumer's grants land in a managed
 * policy), a log group encrypted with the lake's key (whose policy already admits the account's log groups).
 */
function consumerFunction(scope: Construct, id: string, key: kms.IKey, code: string, description: string): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR });
  const role = new ManagedPolicyRole(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [logGroup.logGroupArn],
  }));
  const fn = new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(code),
    description,
    role,
    logGroup,
    timeout: Duration.seconds(60),
    memorySize: 256,
  });
  const reasons: Record<string, string> = {
    LambdaDLQ: 'Invoked only by its Kinesis event source mapping, synchronously: a function dead-letter queue applies to ' +
      'asynchronous invocations only; failed batches go to the mapping\'s encrypted on-failure destination.',
    LambdaConcurrency: 'Its concurrency is bounded by the event source mapping (one invocation per shard times the ' +
      'parallelization factor); reserving concurrency fails in accounts whose Lambda quota is still 10.',
    LambdaInsideVPC: 'It only transforms the batch Lambda hands it and writes logs; the event source mapping, not the ' +
      'function, reads the stream, so a VPC would add network interfaces and endpoints without protecting a path.',
  };
  Validations.of(fn.node.defaultChild!).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
    .flatMap(pack => Object.entries(reasons).map(([rule, reason]) => ({ id: `${pack}::${pack}-${rule}`, reason }))));
  Validations.of(role.policy).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${Stack.of(scope).getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>]`,
    reason: 'The log group ARN of CloudFormation ends in :*, which covers the log streams Lambda creates in this one log group.',
  });
  return fn;
}

/** Clicks per page in each batch, as CloudWatch metrics in embedded metric format (no PutMetricData permission). */
const PAGE_COUNTS_CODE = `
exports.handler = async (event) => {
  const counts = {};
  for (const record of event.Records) {
    let click;
    try { click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')); } catch { continue; }
    if (typeof click.page === 'string') counts[click.page] = (counts[click.page] || 0) + 1;
  }
  for (const [page, clicks] of Object.entries(counts)) {
    console.log(JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Clickstream', Dimensions: [['page']],
        Metrics: [{ Name: 'Clicks', Unit: 'Count' }] }] },
      page, Clicks: clicks,
    }));
  }
};
`;

/**
 * Users with more than 20 clicks within one second in the batch; records that are not JSON are reported as failures
 * (retried, then described in the failure topic).
 */
const BOT_ALERTS_CODE = `
exports.handler = async (event) => {
  const failures = [];
  const perUserSecond = {};
  for (const record of event.Records) {
    let click;
    try { click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8')); } catch {
      failures.push({ itemIdentifier: record.kinesis.sequenceNumber });
      continue;
    }
    const key = click.user_id + '@' + String(click.event_time).slice(0, 19);
    perUserSecond[key] = (perUserSecond[key] || 0) + 1;
  }
  const bots = Object.entries(perUserSecond).filter(([, n]) => n > 20).map(([key]) => key.split('@')[0]);
  if (bots.length > 0) {
    console.log(JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: 'Clickstream', Dimensions: [[]],
        Metrics: [{ Name: 'SuspectedBots', Unit: 'Count' }] }] },
      SuspectedBots: new Set(bots).size, users: [...new Set(bots)],
    }));
  }
  return { batchItemFailures: failures };
};
`;
