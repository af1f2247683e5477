import { Duration, Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaQueryTable, AthenaWorkgroup, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * Athena over the streaming lake: a clickstream lake (Kinesis → Firehose → Parquet, partitioned by `event_type` and
 * arrival hour, with partition projection) and a workgroup that queries it with its settings enforced. The workgroup
 * saves a sample query of the `clicks` table with a parameter per partition key, so the first query a user runs reads
 * one partition; a query that would scan more than 10 GiB is cancelled. Analysts assume `Analyst`, which may run
 * queries in this workgroup and read this table and its results, nothing else.
 *
 * ```
 * producers ─▶ Kinesis ─▶ Firehose ─Parquet─▶ s3://lake/clicks/event_type=…/year=…/month=…/day=…/hour=…/
 *                                             table clicks (partition projection)
 * Analyst ─StartQueryExecution─▶ workgroup (engine v3, ≤ 10 GiB per query) ─▶ s3://results/athena-results/ (SSE-KMS, 30 days)
 * failed queries, scanned bytes ─▶ alarms ─▶ alarm topic (KMS); each failed query ─▶ EventBridge ─▶ alarm topic
 * ```
 */
export class AthenaWorkgroupStack extends Stack {
  public readonly lake: StreamingDataLake;
  public readonly queries: AthenaWorkgroup;
  public readonly analyst: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.lake = new StreamingDataLake(this, 'Clickstream', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      dataPrefix: 'clicks/',
      errorPrefix: 'clicks-errors/',
      partitionKeys: [{ name: 'event_type', query: '.event_type' }],
    });

    this.queries = new AthenaWorkgroup(this, 'Queries', {
      workGroupName: 'clickstream-analysts',
      tables: [AthenaQueryTable.fromStreamingDataLake(this.lake)],
      // A day of clicks is well under this; a query that forgets its partition predicates is cancelled at 10 GiB (~$0.05).
      bytesScannedCutoffPerQuery: Size.gibibytes(10),
      resultsExpiration: Duration.days(7),
      failedQueryNotifications: true,
    });

    // Analysts assume this role (from your identity provider's federation or your users' policies).
    this.analyst = new ManagedPolicyRole(this, 'Analyst', {
      description: 'Runs Athena queries over the clickstream lake',
      assumedBy: new iam.AccountRootPrincipal(),
    });
    this.queries.grantQuery(this.analyst);
    for (const [resource, what] of [
      [`${this.lake.bucket.bucketArn}/clicks/*`, 'the click files Firehose writes under clicks/, whose names it generates'],
      [`${this.queries.resultsBucket.bucketArn}/athena-results/*`, 'the query results Athena writes under athena-results/, named by query id'],
    ]) {
      Validations.of(this.analyst.policy.node.defaultChild!).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(this, resource)}]`,
        reason: `An analyst reads ${what}: object names are not known in advance, and the pattern is limited to that prefix.`,
      });
    }
  }
}

/** A token string as cdk-nag prints it in a finding id (`<Logical.Arn>/prefix/*`). */
function flatten(stack: Stack, value: string): string {
  const resolved = stack.resolve(value) as { 'Fn::Join': [string, unknown[]] };
  return resolved['Fn::Join'][1].map(p => typeof p === 'string' ? p
    : `<${(p as { 'Fn::GetAtt': string[] })['Fn::GetAtt'].join('.')}>`).join('');
}
