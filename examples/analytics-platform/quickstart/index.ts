import { CfnResource, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlarmTopic, AnalyticsNetwork, RedshiftWarehouse, SecureVpc } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The snippets of docs/foundations.md (a VPC shared by architectures, the stack's alarm topic), as a stack that
 * compiles and synthesizes: the page shows the code between each pair of README markers (`npm run docs:snippets`
 * writes it there; test/docs/snippets.test.ts checks it). examples/analytics-platform is the full composition.
 */
export class FoundationsQuickstartStack extends Stack {
  public readonly network: SecureVpc;
  public readonly warehouse: RedshiftWarehouse;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const network = new SecureVpc(this, 'Network', {
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], // all synth needs: no lookup
      natGateways: 1,                                                  // 0 (default): isolated subnets only
    });
    new RedshiftWarehouse(this, 'Warehouse', { network: AnalyticsNetwork.fromVpc(network.vpc, { subnets: network.workloadSubnets }) });
    // The warehouse is kept on `cdk destroy`, and CloudFormation cannot delete the subnets (nor the VPC) it still uses:
    // keep them too, so that the destroy completes (synth warns otherwise: redshiftNetworkDeletedUnderCluster).
    for (const kept of [network.vpc, ...network.vpc.privateSubnets]) {
      (kept.node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    // README:end

    // README:start
    AlarmTopic.ofStack(this).topic.addSubscription(new subscriptions.EmailSubscription('ops@example.com'));
    // or your own: new AlarmTopic(this, 'Alarms', { encryptionKey: opsKey }).topic, passed as alarmTopic
    // README:end
    this.network = network;
    this.warehouse = this.node.findChild('Warehouse') as RedshiftWarehouse;
  }
}
