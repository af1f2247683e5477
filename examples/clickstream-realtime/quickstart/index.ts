import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ManagedPolicyRole, StreamingDataLake, StreamingDataLakeConsumer, StreamingDataLakeSchema, StreamingDataLakeSource,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The real-time snippets of docs/streaming-data-lake.md (section "Real time: Direct PUT, raw backup and consumers"), as a stack that
 * compiles and synthesizes: a lake with a raw backup, one consumer function reading its stream, and a Direct PUT
 * lake. `npm run docs:snippets` writes the code between each pair of README markers into the page, and
 * test/streaming-data-lake/realtime-readme.test.ts checks it is there, in order. examples/clickstream-realtime is the fuller application.
 */
export class ClickstreamRealtimeQuickstartStack extends Stack {
  public readonly clicks: StreamingDataLake;
  public readonly pageCounts: StreamingDataLakeConsumer;
  public readonly serverLogs: StreamingDataLake;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const clicks = new StreamingDataLake(this, 'Clicks', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      // Every source record as it arrived, gzipped, under its own prefix: Standard-IA after 30 days, deleted after 90.
      rawBackup: { prefix: 'clicks-raw/', infrequentAccessAfter: Duration.days(30), expiration: Duration.days(90) },
    });
    // README:end

    // README:start
    // Your function, with its own role (grants land in its managed policy) and a log group encrypted with the lake's key.
    const logGroup = new logs.LogGroup(this, 'PageCountsLogs', {
      encryptionKey: clicks.encryptionKey, retention: logs.RetentionDays.ONE_YEAR,
    });
    const role = new ManagedPolicyRole(this, 'PageCountsRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const pageCountsFunction = new lambda.Function(this, 'PageCountsFunction', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async (event) => {
        for (const record of event.Records) {
          const click = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
          console.log(JSON.stringify({ page: click.page, at: click.event_time }));
        }
      };`),
      role,
      logGroup,
      timeout: Duration.seconds(60),
    });
    const pageCounts = clicks.addConsumer('PageCounts', {
      handler: pageCountsFunction,
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(5),
    });

    // What the four cdk-nag packs find on your function and its role, acknowledged with the reasons that hold here.
    Validations.of(pageCountsFunction.node.defaultChild!).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
      .flatMap(pack => [
        { id: `${pack}::${pack}-LambdaDLQ`, reason: 'Invoked synchronously by its event source mapping only; failed batches go to the consumer\'s on-failure queue' },
        { id: `${pack}::${pack}-LambdaConcurrency`, reason: 'Concurrency is bounded by the mapping: one invocation per shard times the parallelization factor' },
        { id: `${pack}::${pack}-LambdaInsideVPC`, reason: 'The mapping, not the function, reads the stream; the function calls no network resource' },
      ]));
    Validations.of(role.policy.node.defaultChild!).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>]`,
      reason: 'The log group ARN ends in :*, which covers the log streams Lambda creates in this one log group',
    });
    // README:end

    // README:start
    const serverLogs = new StreamingDataLake(this, 'ServerLogs', {
      source: StreamingDataLakeSource.directPut(), // producers call firehose:PutRecord(Batch); no Kinesis stream
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'host', type: glue.Schema.STRING },
        { name: 'request', type: glue.Schema.STRING },
        { name: 'status', type: glue.Schema.INTEGER },
        { name: 'time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'server_logs' }),
      bucket: clicks.bucket,  // optional: the same lake bucket,
      dataPrefix: 'server-logs/', // under its own prefixes
      errorPrefix: 'server-logs-errors/',
    });
    const logShipper = new ManagedPolicyRole(this, 'LogShipper', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    serverLogs.grantWrite(logShipper); // firehose:PutRecord and PutRecordBatch on the Firehose stream only
    // README:end

    this.clicks = clicks;
    this.pageCounts = pageCounts;
    this.serverLogs = serverLogs;
  }
}
