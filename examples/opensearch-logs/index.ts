import { Duration, Size, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlarmTopic, AnalyticsNetwork, OpenSearchCluster, OpenSearchFirehoseIngestion } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/** Props of `OpenSearchLogsStack`. */
export interface OpenSearchLogsStackProps extends StackProps {
  /**
   * The three availability zones of the domain.
   * @default - zones a, b and c of the stack's region
   */
  readonly availabilityZones?: string[];
}

/**
 * Log analytics on OpenSearch Service: a VPC domain across three availability zones with three dedicated
 * masters, three data nodes (Multi-AZ with Standby), three UltraWarm nodes, and an ISM policy that moves
 * `logs-*` indexes to UltraWarm after 7 days and deletes them after 90 days, fed by a Firehose stream that
 * keeps undeliverable documents in S3. Alarms go to an encrypted topic.
 */
export class OpenSearchLogsStack extends Stack {
  public readonly search: OpenSearchCluster;
  public readonly ingestion: OpenSearchFirehoseIngestion;
  /** The stack's alarm topic (`AlarmTopic.ofStack`): subscribe operators here. */
  public readonly alarmTopic: sns.ITopic;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: OpenSearchLogsStackProps = {}) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region) && !props.availabilityZones) {
      throw new Error(`${this.node.path}: give the stack an env with a region, or pass availabilityZones`);
    }
    this.zones = props.availabilityZones ?? ['a', 'b', 'c'].map(z => `${this.region}${z}`);
    const availabilityZones = this.zones;

    this.alarmTopic = AlarmTopic.ofStack(this).topic;

    this.search = new OpenSearchCluster(this, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones }),
      dataNodes: 3,
      volumeSize: Size.gibibytes(200),
      warmNodes: 3,
      indexLifecycles: [{
        policyId: 'logs-hot-warm-delete',
        indexPatterns: ['logs-*'],
        warmAfter: Duration.days(7),
        deleteAfter: Duration.days(90),
      }],
      alarmTopic: this.alarmTopic,
    });

    // Producers put JSON log lines to this stream; it writes daily indexes logs-YYYY-MM-DD, which the
    // lifecycle above picks up, and keeps the documents it could not index in S3.
    this.ingestion = new OpenSearchFirehoseIngestion(this, 'Ingest', {
      cluster: this.search,
      indexName: 'logs',
      alarmTopic: this.alarmTopic,
    });
  }

  /**
   * The stack's zones are the ones configured: ec2.Vpc checks given zones against the stack's zones,
   * which would otherwise be a context lookup (an AWS call) in a stack with an explicit account and region.
   */
  public override get availabilityZones(): string[] {
    return this.zones;
  }
}
