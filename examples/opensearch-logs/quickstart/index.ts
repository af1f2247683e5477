import { Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import { AnalyticsNetwork, DataBucket, OpenSearchCluster, OpenSearchFirehoseIngestion } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The OpenSearch snippets of docs/opensearch.md, as a stack that compiles and synthesizes: the page shows the code
 * between each pair of README markers (`npm run docs:snippets` writes it there; test/docs/snippets.test.ts checks it).
 * examples/opensearch-logs is the fuller stack.
 */
export class OpenSearchQuickstartStack extends Stack {
  public readonly search: OpenSearchCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // What the ingestion snippet presumes the stack has: a lake bucket for the documents OpenSearch refuses.
    const lake = new DataBucket(this, 'Lake');
    // README:start
    const search = new OpenSearchCluster(this, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }),
      dataNodes: 3,
      volumeSize: Size.gibibytes(200),
      warmNodes: 3,
      indexLifecycles: [{
        policyId: 'logs-hot-warm-delete', indexPatterns: ['logs-*'],
        warmAfter: Duration.days(7), deleteAfter: Duration.days(90),
      }],
    });
    // README:end

    // README:start
    new OpenSearchFirehoseIngestion(this, 'Ingest', { cluster: search, indexName: 'logs', backupBucket: lake.bucket, backupPrefix: 'opensearch-backup/' });
    // README:end
    this.search = search;
  }
}
