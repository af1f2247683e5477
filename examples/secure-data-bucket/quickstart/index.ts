import { Duration, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataBucket, ManagedPolicyRole } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The DataBucket snippets of docs/data-bucket.md, as a stack that compiles and synthesizes: the page shows the code
 * between each pair of README markers (`npm run docs:snippets` writes it there; test/docs/snippets.test.ts checks it).
 */
export class DataBucketQuickstartStack extends Stack {
  public readonly lake: DataBucket;
  public readonly reader: ManagedPolicyRole;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const lake = new DataBucket(this, 'Lake', {
      lifecycle: { infrequentAccessAfter: Duration.days(90), glacierAfter: Duration.days(365) },
    });
    // README:end

    // README:start
    const reader = new ManagedPolicyRole(this, 'Reader', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    lake.grantRead(reader, 'curated/*');
    // README:end

    // README:start
    Validations.of(reader.policy.node.defaultChild!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::<LakeBucketB1D32E10.Arn>/curated/*]', // <pack>::<the id synth prints>
      reason: 'The Glue job reads every object under curated/, whose keys it cannot know in advance',
    });
    // README:end
    this.lake = lake;
    this.reader = reader;
  }
}
