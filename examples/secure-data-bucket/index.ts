import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { DataBucket } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The library's data bucket on its own: the storage every architecture builds on.
 * SSE-KMS with a rotating key, TLS-only, access logs, versioning, lifecycle, RETAIN.
 */
export class SecureDataBucketStack extends Stack {
  public readonly lake: DataBucket;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.lake = new DataBucket(this, 'Lake', {
      lifecycle: {
        infrequentAccessAfter: Duration.days(90),
        glacierAfter: Duration.days(365),
      },
    });
  }
}
