import { Duration, Size, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OpenSearchCluster, OpenSearchNetwork } from 'cdk-analytics-blueprints';
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
 * `logs-*` indexes to UltraWarm after 7 days and deletes them after 90 days. Alarms go to an encrypted topic.
 */
export class OpenSearchLogsStack extends Stack {
  public readonly search: OpenSearchCluster;
  public readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: OpenSearchLogsStackProps = {}) {
    super(scope, id, props);
    if (Token.isUnresolved(this.region) && !props.availabilityZones) {
      throw new Error(`${this.node.path}: give the stack an env with a region, or pass availabilityZones`);
    }
    const availabilityZones = props.availabilityZones ?? ['a', 'b', 'c'].map(z => `${this.region}${z}`);

    this.alarmTopic = new sns.Topic(this, 'Alarms', {
      masterKey: new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true, description: 'Encrypts the OpenSearch alarm topic' }),
      enforceSSL: true,
    });

    this.search = new OpenSearchCluster(this, 'Search', {
      network: OpenSearchNetwork.newVpc(availabilityZones),
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
  }
}
