import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import { AnalyticsNetwork, DataBucket, EmrCapacity, EmrCluster, EmrDataLocation } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The EmrCluster snippet of docs/emr.md, as a stack that compiles and synthesizes: the page shows the code between
 * the README markers (`npm run docs:snippets` writes it there; test/docs/snippets.test.ts checks it).
 * examples/emr-spot is the fuller stack (instance groups; fleets.ts: instance fleets).
 */
export class EmrQuickstartStack extends Stack {
  public readonly cluster: EmrCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const lake = new DataBucket(this, 'Lake');
    const analytics = new glue.Database(this, 'Analytics', { databaseName: 'analytics' });
    new EmrCluster(this, 'Cluster', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }), // all synth needs, no lookup
      dataLocations: [EmrDataLocation.read(lake.bucket, 'raw/'), EmrDataLocation.readWriteDelete(lake.bucket, 'curated/')],
      glueDatabases: [analytics],
      capacity: EmrCapacity.instanceGroups({
        primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
        core: { instanceType: new ec2.InstanceType('r7g.2xlarge'), instanceCount: 3 },
        tasks: [{ instanceType: new ec2.InstanceType('c7g.4xlarge'), instanceCount: 2,
          automaticScaling: { minCapacity: 0, maxCapacity: 10 } }],
      }),
      // alarms go to the stack's AlarmTopic unless you pass alarmTopic
    });
    // README:end
    this.cluster = this.node.findChild('Cluster') as EmrCluster;
  }
}
