import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ManagedPolicyRole, StreamingDataLake, StreamingDataLakeSchema } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The StreamingDataLake snippet of the README and docs/streaming-data-lake.md, as a stack that compiles and synthesizes
 * (`npm run docs:snippets` writes the code between the README markers into both; test/streaming-data-lake/readme.test.ts).
 */
export class StreamingDataLakeQuickstartStack extends Stack {
  public readonly lake: StreamingDataLake;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const lake = new StreamingDataLake(this, 'Clickstream', {
      schema: StreamingDataLakeSchema.fromColumns([
        { name: 'user_id', type: glue.Schema.STRING },
        { name: 'page', type: glue.Schema.STRING },
        { name: 'event_time', type: glue.Schema.TIMESTAMP },
      ], { tableName: 'clicks' }),
      partitionKeys: [{ name: 'event_type', query: '.event_type' }], // optional dynamic partitioning
      lifecycle: { infrequentAccessAfter: Duration.days(90) },       // optional: objects to S3 Standard-IA
    });
    const producer = new ManagedPolicyRole(this, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
    lake.grantWrite(producer); // kinesis:PutRecord(s)/ListShards/DescribeStream(Summary) on the stream, kms:GenerateDataKey via Kinesis
    // README:end
    this.lake = lake;
  }
}
