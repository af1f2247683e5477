/**
 * Integration test of `EmrCluster`: a small long-running cluster with uniform instance groups (one
 * On-Demand primary, one On-Demand core, one Spot task node, all m7g.xlarge), Hadoop and Spark, the Glue
 * Data Catalog as metastore, KMS encryption at rest, a one-hour idle timeout and a SparkPi step, in a new
 * VPC, all deleted by `cdk destroy`.
 *
 * On a real deployment the assertion stack waits for the SparkPi step to COMPLETE and for the cluster to be
 * WAITING (Spark really runs on YARN with the encrypted local disks), then checks the cluster (release,
 * security configuration, KMS log encryption, private subnet and EMR-managed security groups), the
 * market of each instance group (MASTER and CORE On-Demand, TASK Spot, each node RUNNING), the
 * auto-termination policy and the security configuration's at-rest encryption.
 *
 * Cost while deployed: three m7g.xlarge nodes with the EMR fee and one NAT gateway (about $0.70 an hour).
 * Run: see test/integ/integ-app.ts.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AnalyticsNetwork, EmrApplication, EmrCapacity, EmrCluster, EmrInstanceGroupSpotPrice, EmrStep } from 'cdk-analytics-blueprints';

import { integApp, IntegAppOptions, integEnv, IntegStack, verify } from './integ/integ-app';

/** Builds the integration test app (also used by the snapshot check, with a fixed env and outdir). */
export function emrIntegApp(options: IntegAppOptions = {}): App {
  const app = integApp(options);
  const env = options.env ?? integEnv();

  const stack = new IntegStack(app, 'IntegEmr', { env });
  const nodeType = new ec2.InstanceType('m7g.xlarge');
  const cluster = new EmrCluster(stack, 'Cluster', {
    applications: [EmrApplication.HADOOP, EmrApplication.SPARK],
    capacity: EmrCapacity.instanceGroups({
      primary: { instanceType: nodeType },
      core: { instanceType: nodeType, instanceCount: 1 },
      tasks: [{ name: 'SpotTasks', instanceType: nodeType, instanceCount: 1, spotPrice: EmrInstanceGroupSpotPrice.onDemandPrice() }],
    }),
    idleTimeout: Duration.hours(1),
    steps: [EmrStep.command({ name: 'SparkPi', command: ['spark-example', 'SparkPi', '10'] })],
    network: AnalyticsNetwork.newVpc({ availabilityZones: stack.availabilityZones.slice(0, 2) }),
    removalPolicy: RemovalPolicy.DESTROY,
  });

  const assertionStack = new Stack(app, 'IntegEmrAssertions', { env });
  const integ = new IntegTest(app, 'EmrInteg', {
    testCases: [stack],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });
  const clusterId = cluster.clusterId;

  // Spark runs: the step submitted at launch completes.
  const step = verify(integ.assertions.awsApiCall('EMR', 'listSteps', { ClusterId: clusterId }),
    ExpectedResult.objectLike({ Steps: Match.arrayWith([Match.objectLike({ Name: 'SparkPi', Status: Match.objectLike({ State: 'COMPLETED' }) })]) }),
    { totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) });

  // The cluster waits for work, with the release, security configuration and network it was given.
  const described = verify(integ.assertions.awsApiCall('EMR', 'describeCluster', { ClusterId: clusterId }),
    ExpectedResult.objectLike({
      Cluster: {
        Status: { State: 'WAITING' },
        ReleaseLabel: cluster.releaseLabel,
        SecurityConfiguration: cluster.securityConfiguration.securityConfigurationName,
        LogEncryptionKmsKeyId: cluster.encryptionKey.keyArn,
        TerminationProtected: false,
        Applications: Match.arrayWith([Match.objectLike({ Name: 'Spark' })]),
        Ec2InstanceAttributes: {
          Ec2SubnetId: cluster.vpc.privateSubnets[0].subnetId,
          EmrManagedMasterSecurityGroup: cluster.primarySecurityGroup.securityGroupId,
          EmrManagedSlaveSecurityGroup: cluster.coreTaskSecurityGroup.securityGroupId,
          ServiceAccessSecurityGroup: cluster.serviceAccessSecurityGroup.securityGroupId,
        },
      },
    }), { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

  // Each instance group runs in its market: primary and core On-Demand, tasks on Spot.
  const markets: Array<[string, string]> = [['MASTER', 'ON_DEMAND'], ['CORE', 'ON_DEMAND'], ['TASK', 'SPOT']];
  const groups = markets.map(([group, market]) => verify(
    integ.assertions.awsApiCall('EMR', 'listInstances', { ClusterId: clusterId, InstanceGroupTypes: [group] }),
    ExpectedResult.objectLike({ Instances: [{ Market: market, InstanceType: 'm7g.xlarge', Status: Match.objectLike({ State: 'RUNNING' }) }] })));

  // Idle clusters terminate after the configured hour.
  const autoTermination = verify(integ.assertions.awsApiCall('EMR', 'getAutoTerminationPolicy', { ClusterId: clusterId }),
    ExpectedResult.objectLike({ AutoTerminationPolicy: { IdleTimeout: 3600 } }));

  // At rest: S3 with SSE-KMS, local disks and EBS with the cluster's key.
  const securityConfiguration = verify(integ.assertions.awsApiCall('EMR', 'describeSecurityConfiguration', {
    Name: cluster.securityConfiguration.securityConfigurationName,
  }), ExpectedResult.objectLike({
    SecurityConfiguration: Match.serializedJson({
      EncryptionConfiguration: Match.objectLike({
        EnableAtRestEncryption: true,
        AtRestEncryptionConfiguration: Match.objectLike({
          S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: cluster.encryptionKey.keyArn },
          LocalDiskEncryptionConfiguration: { EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: cluster.encryptionKey.keyArn, EnableEbsEncryption: true },
        }),
      }),
    }),
  }));

  let last = step.next(described);
  for (const g of groups) last = last.next(g);
  last.next(autoTermination).next(securityConfiguration);
  return app;
}

if (require.main === module) {
  emrIntegApp().synth();
}
