import { Size, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AthenaQueryTable, AthenaWorkgroup, ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The AthenaWorkgroup snippet of docs/athena.md, as a stack that compiles and synthesizes (`npm run docs:snippets`
 * writes the code between the README markers into the page; test/athena/readme.test.ts checks it is there).
 * examples/athena-workgroup is the fuller stack.
 */
export class AthenaWorkgroupQuickstartStack extends Stack {
  public readonly queries: AthenaWorkgroup;
  public readonly analystRole: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const lake = new StreamingDataLake(this, 'Clicks', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      partitionKeys: [{ name: 'event_type', query: '.event_type' }],
    });
    const queries = new AthenaWorkgroup(this, 'Queries', {
      // or AthenaQueryTable.of({ databaseName, tableName, bucket, dataPrefix, partitionKeys })
      tables: [AthenaQueryTable.fromStreamingDataLake(lake)],
      bytesScannedCutoffPerQuery: Size.gibibytes(10),           // at least 10 MB; the query is cancelled past it
    });
    const analystRole = new ManagedPolicyRole(this, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    queries.grantQuery(analystRole);                            // a ManagedPolicyRole your analysts assume
    // The two object patterns the packs find on the role (S3 names objects by key), with the ids synth prints.
    Validations.of(analystRole.policy.node.defaultChild!).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/data/*]', reason: 'Analysts query every object of the clicks table' },
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<QueriesResultsBucketB2C5D90C.Arn>/athena-results/*]', reason: 'Athena writes results under keys it picks' },
    );
    // README:end
    this.queries = queries;
    this.analystRole = analystRole;
  }
}
