import { Duration, SecretValue, Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  EmrApplication, EmrCapacity, EmrCapacityReservation, EmrCluster, EmrClusterProps, EmrEbsVolumeType, EmrFleetInstanceType,
  EmrInstanceFleetsProps, EmrInstanceGroupsProps, EmrMarket, EmrReleaseLabel, EmrScalingUnit, EmrSpotAllocationStrategy,
  EmrSpotPrice, EmrStep, EmrTaskInstanceGroupOptions, EmrTlsCertificates,
} from '../../lib';
import { testStack } from '../util/app';

const t = (name: string) => new ec2.InstanceType(name);
const m = t('m7g.xlarge');

/**
 * Every validation message of a cluster built from `props`, without synthesizing a template. The VPC, key
 * and log bucket are imported (cheap to build) unless the case gives its own.
 */
function errorsOf(props: EmrClusterProps | ((stack: import('aws-cdk-lib').Stack) => EmrClusterProps)): string[] {
  const stack = testStack();
  const given = typeof props === 'function' ? props(stack) : props;
  new EmrCluster(stack, 'Cluster', {
    vpc: ec2.Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
      vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
    }),
    encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
    logBucket: s3.Bucket.fromBucketName(stack, 'ImportedLogs', 'logs'),
    ...given,
  });
  return stack.node.findAll().flatMap(c => c.node.validate());
}

const groups = (over: Partial<EmrInstanceGroupsProps> = {}) => EmrCapacity.instanceGroups({
  primary: { instanceType: m }, core: { instanceType: m }, ...over,
});
const task = (over: Partial<EmrTaskInstanceGroupOptions> = {}): EmrTaskInstanceGroupOptions => ({ instanceType: m, ...over });
const fleets = (over: Partial<EmrInstanceFleetsProps> = {}) => EmrCapacity.instanceFleets({
  primary: { instanceTypes: [{ instanceType: m }] }, core: { instanceTypes: [{ instanceType: m }] }, ...over,
});
const types = (n: number): EmrFleetInstanceType[] => Array.from({ length: n }, (_, i) => ({ instanceType: t(`m${i + 1}.xlarge`) }));

describe('EmrCluster validation', () => {
  test('accepts the defaults and a fully specified cluster', () => {
    const stack = testStack();
    new EmrCluster(stack, 'Cluster', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
    expect(stack.node.findAll().flatMap(c => c.node.validate())).toEqual([]);
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({
      releaseLabel: EmrReleaseLabel.EMR_6_15_0,
      capacity: groups({ primary: { instanceType: m, instanceCount: 3 }, tasks: [task({ automaticScaling: { minCapacity: 0, maxCapacity: 4 } })] }),
      idleTimeout: Duration.days(7),
      steps: [EmrStep.sparkSubmit({ name: 'x', entryPoint: 's3://b/app.py' })],
      keepAliveWhenNoSteps: false,
    })).toEqual([]);
  });

  test('skips tokens instead of guessing', () => {
    const n = Token.asNumber({ Ref: 'N' });
    expect(errorsOf({
      releaseLabel: EmrReleaseLabel.of(Token.asString({ Ref: 'Release' })),
      capacity: groups({ primary: { instanceType: m, instanceCount: n }, core: { instanceType: m, instanceCount: n } }),
      idleTimeout: Duration.seconds(n),
      managedScaling: { minimumCapacityUnits: n, maximumCapacityUnits: n, maximumCoreCapacityUnits: n },
      steps: [EmrStep.hiveScript({ name: 'x', script: Token.asString({ Ref: 'Script' }) })],
    })).toEqual([]);
    expect(errorsOf({
      capacity: fleets({ task: { instanceTypes: types(2), targetSpotCapacity: n }, spotTimeout: Duration.minutes(n) }),
    })).toEqual([]);
  });

  test.each<[string, EmrClusterProps | ((s: import('aws-cdk-lib').Stack) => EmrClusterProps), string]>([
    // Release, applications, configurations
    ['a malformed release label', { releaseLabel: EmrReleaseLabel.of('7.13.0') },
      "releaseLabel ('7.13.0') must be a release label such as 'emr-7.13.0'"],
    ['a release without S3 log encryption', { releaseLabel: EmrReleaseLabel.of('emr-6.0.0'), idleTimeout: Duration.seconds(0) },
      "releaseLabel ('emr-6.0.0') must be emr-5.30.0 or later, excluding emr-6.0.0: the cluster encrypts its S3 logs with KMS (LogEncryptionKmsKeyId)"],
    ['instance fleets on a 5.0.x release', { releaseLabel: EmrReleaseLabel.of('emr-5.0.3'), capacity: fleets(), idleTimeout: Duration.seconds(0) },
      "capacity (instance fleets) need release emr-4.8.0 or later, excluding 5.0.x (releaseLabel is 'emr-5.0.3')"],
    ['no application', { applications: [] }, 'applications ([]) must list at least one application'],
    ['a repeated application', { applications: [EmrApplication.SPARK, EmrApplication.SPARK] },
      "applications (['Spark', 'Spark']) must not repeat an application (Spark)"],
    ['Trino with Presto', { applications: [EmrApplication.TRINO, EmrApplication.PRESTO] },
      "applications (['Trino', 'Presto']) must not contain both Trino and Presto"],
    ['a metastore that contradicts the Glue switch', { configurations: [{ classification: 'hive-site', properties: { 'hive.metastore.client.factory.class': 'other' } }] },
      "configurations hive-site hive.metastore.client.factory.class ('other') contradicts glueDataCatalog: true"],
    ['a malformed classification', { configurations: [{ classification: 'spark defaults' }] },
      "configurations[0].classification ('spark defaults') must be a classification name such as spark-defaults"],
    // Kerberos
    ['a lower-case Kerberos realm', { kerberos: { realm: 'ec2.internal', kdcAdminPassword: SecretValue.unsafePlainText('x') } },
      "kerberos.realm ('ec2.internal') must be an upper-case realm name such as EC2.INTERNAL"],
    ['a Kerberos ticket lifetime in fractions of an hour', { kerberos: { realm: 'EC2.INTERNAL', kdcAdminPassword: SecretValue.unsafePlainText('x'),
      ticketLifetime: Duration.minutes(90) } }, 'kerberos.ticketLifetime (1.5 hours) must be a whole number of hours, at least 1'],
    ['Kerberos before emr-5.10.0', { releaseLabel: EmrReleaseLabel.of('emr-5.9.0'), idleTimeout: Duration.seconds(0),
      kerberos: { realm: 'EC2.INTERNAL', kdcAdminPassword: SecretValue.unsafePlainText('x') } },
    "kerberos needs release emr-5.10.0 or later (releaseLabel is 'emr-5.9.0')"],
    // Auto-termination
    ['an idle timeout under 60 seconds', { idleTimeout: Duration.seconds(30) }, 'idleTimeout (30 seconds) must be between 60 and 604800 seconds'],
    ['an idle timeout over 7 days', { idleTimeout: Duration.days(8) }, 'idleTimeout (691200 seconds) must be between 60 and 604800 seconds'],
    ['an idle timeout in fractions of a second', { idleTimeout: Duration.millis(60500) }, 'idleTimeout (60.5 seconds) must be a whole number of seconds'],
    ['auto-termination before emr-5.30.0', { releaseLabel: EmrReleaseLabel.of('emr-5.29.0') },
      "idleTimeout (1 hour) needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is 'emr-5.29.0')"],
    // Managed scaling
    ['managed scaling before emr-6.1.0', { releaseLabel: EmrReleaseLabel.of('emr-6.0.0'), idleTimeout: Duration.seconds(0),
      managedScaling: { minimumCapacityUnits: 1, maximumCapacityUnits: 2 } },
    "managedScaling needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is 'emr-6.0.0')"],
    ['a minimum above the maximum', { managedScaling: { minimumCapacityUnits: 10, maximumCapacityUnits: 5 } },
      'managedScaling.minimumCapacityUnits (10) must be at most managedScaling.maximumCapacityUnits (5)'],
    ['a core maximum above the maximum', { managedScaling: { minimumCapacityUnits: 1, maximumCapacityUnits: 5, maximumCoreCapacityUnits: 6 } },
      'managedScaling.maximumCoreCapacityUnits (6) must be at most managedScaling.maximumCapacityUnits (5)'],
    ['an On-Demand maximum above the maximum', { managedScaling: { minimumCapacityUnits: 1, maximumCapacityUnits: 5, maximumOnDemandCapacityUnits: 9 } },
      'managedScaling.maximumOnDemandCapacityUnits (9) must be at most managedScaling.maximumCapacityUnits (5)'],
    ['a zero minimum', { managedScaling: { minimumCapacityUnits: 0, maximumCapacityUnits: 5 } },
      'managedScaling.minimumCapacityUnits (0) must be a whole number of at least 1'],
    ['a scaling unit with instance fleets', { capacity: fleets(), managedScaling: { minimumCapacityUnits: 1, maximumCapacityUnits: 5, unit: EmrScalingUnit.VCPU } },
      'managedScaling.unit requires instance groups (instance fleets count in fleet units)'],
    ['managed scaling with automatic scaling', {
      capacity: groups({ tasks: [task({ automaticScaling: { minCapacity: 0, maxCapacity: 2 } })] }),
      managedScaling: { minimumCapacityUnits: 1, maximumCapacityUnits: 5 },
    }, 'managedScaling cannot be set together with capacity.tasks[].automaticScaling'],
    // Steps
    ['a transient cluster without steps', { keepAliveWhenNoSteps: false },
      'keepAliveWhenNoSteps (false) needs at least one step, or the cluster terminates as soon as it starts'],
    ['more than 256 steps', { steps: Array.from({ length: 257 }, (_, i) => EmrStep.command({ name: `s${i}`, command: ['true'] })) },
      'steps (257 entries) must have between 0 and 256 entries'],
    ['a step name over 256 characters', { steps: [EmrStep.command({ name: 'x'.repeat(257), command: ['true'] })] },
      'must be between 1 and 256 characters'],
    ['a Hive step without Hive', { applications: [EmrApplication.SPARK], steps: [EmrStep.hiveScript({ name: 'load', script: 's3://b/load.q' })] },
      "steps[0] ('load') needs the Hive application (applications are Spark)"],
    ['a step script that is not in S3', { steps: [EmrStep.sparkSubmit({ name: 'x', entryPoint: '/home/app.py' })] },
      "steps[0] ('/home/app.py') must be an S3 URI (s3://bucket/key) of the step code"],
    ['more than 16 bootstrap actions', { bootstrapActions: Array.from({ length: 17 }, (_, i) => ({ name: `b${i}`, scriptUri: 's3://b/x.sh' })) },
      'bootstrapActions (17 entries) must have between 0 and 16 entries'],
    ['a bootstrap script outside S3', { bootstrapActions: [{ name: 'agent', scriptUri: 'https://example.com/x.sh' }] },
      "bootstrapActions[0].scriptUri ('https://example.com/x.sh') must be an S3 URI (s3://bucket/key) of the script"],
    ['availability zones with an existing VPC', { availabilityZones: ['us-east-1a', 'us-east-1b'] },
      'availabilityZones cannot be set together with vpc'],
    ['a single availability zone', { vpc: undefined, availabilityZones: ['us-east-1a'] },
      'availabilityZones (1 entries) must have between 2 and 6 entries'],
    ['a log prefix without a trailing slash', { logPrefix: 'logs' },
      "logPrefix ('logs') must be a key prefix that ends in '/' and does not start with '/' (or '')"],
    ['a subnet selection that selects nothing', (stack) => ({
      vpc: new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a'] }), vpcSubnets: { availabilityZones: ['us-east-1b'] },
    }), 'vpcSubnets must select at least one subnet of the VPC'],
    // Instance groups
    ['two primary nodes', { capacity: groups({ primary: { instanceType: m, instanceCount: 2 } }) },
      'capacity.primary.instanceCount (2) must be 1, or 3 for a cluster with multiple primary nodes'],
    ['three primary nodes before emr-5.23.0', { releaseLabel: EmrReleaseLabel.of('emr-5.22.0'), idleTimeout: Duration.seconds(0),
      capacity: groups({ primary: { instanceType: m, instanceCount: 3 } }) },
    "capacity.primary.instanceCount (3) needs release emr-5.23.0 or later for multiple primary nodes (releaseLabel is 'emr-5.22.0')"],
    ['no core node', { capacity: groups({ core: { instanceType: m, instanceCount: 0 } }) },
      'capacity.core.instanceCount (0) must be a whole number of at least 1'],
    ['more than 48 task groups', { capacity: groups({ tasks: Array.from({ length: 49 }, (_, i) => task({ name: `T${i}` })) }) },
      'capacity.tasks (49 entries) must have between 0 and 48 entries'],
    ['a repeated group name', { capacity: groups({ tasks: [task({ name: 'Core' })] }) },
      "capacity.tasks[0].name ('Core') must be unique among the instance groups"],
    ['a negative task count', { capacity: groups({ tasks: [task({ instanceCount: -1 })] }) },
      'capacity.tasks[0].instanceCount (-1) must be a whole number of at least 0'],
    ['a zero fixed Spot price', { capacity: groups({ tasks: [task({ spotPrice: EmrSpotPrice.fixedUsd(0) })] }) },
      'capacity.tasks[0].spotPrice (0) must be a positive price in USD per hour'],
    ['a percentage Spot price on an instance group', { capacity: groups({ tasks: [task({ spotPrice: EmrSpotPrice.percentageOfOnDemand(50) })] }) },
      "capacity.tasks[0].spotPrice ('50% of On-Demand') must be a fixed price or the On-Demand price: percentages need instance fleets"],
    ['a Spot price on an On-Demand task group', { capacity: groups({ tasks: [task({ market: EmrMarket.ON_DEMAND, spotPrice: EmrSpotPrice.fixedUsd(1) })] }) },
      'capacity.tasks[0].spotPrice requires market SPOT'],
    ['automatic scaling with min above max', { capacity: groups({ tasks: [task({ automaticScaling: { minCapacity: 5, maxCapacity: 2 } })] }) },
      'capacity.tasks[0].automaticScaling.maxCapacity (2) must be at least automaticScaling.minCapacity (5)'],
    ['a scale-in point below the scale-out point', { capacity: groups({ tasks: [task({ automaticScaling: {
      minCapacity: 0, maxCapacity: 2, scaleOutBelowYarnMemoryAvailablePercent: 40, scaleInAboveYarnMemoryAvailablePercent: 30,
    } })] }) },
    'capacity.tasks[0].automaticScaling.scaleInAboveYarnMemoryAvailablePercent (30) must be above scaleOutBelowYarnMemoryAvailablePercent (40)'],
    ['a scaling percentage over 100', { capacity: groups({ tasks: [task({ automaticScaling: { minCapacity: 0, maxCapacity: 2, scaleInAboveYarnMemoryAvailablePercent: 120 } })] }) },
      'capacity.tasks[0].automaticScaling.scaleInAboveYarnMemoryAvailablePercent (120) must be between 0 and 100 percent'],
    // EBS
    ['an EBS volume in fractions of a GiB', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.mebibytes(1536) }] } }) },
      'capacity.core.ebsVolumes[0].size (1.5 GiB) must be a whole number of GiB, at least 1 for gp3'],
    ['an st1 volume under 125 GiB', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(100), volumeType: EmrEbsVolumeType.ST1 }] } }) },
      'capacity.core.ebsVolumes[0].size (100 GiB) must be a whole number of GiB, at least 125 for st1'],
    ['zero volumes per instance', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), volumesPerInstance: 0 }] } }) },
      'capacity.core.ebsVolumes[0].volumesPerInstance (0) must be a whole number of at least 1'],
    ['gp3 IOPS under 3000', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), iops: 100 }] } }) },
      'capacity.core.ebsVolumes[0].iops (100) must be a whole number of at least 3000'],
    ['gp3 throughput under 125 MiB/s', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), throughputMibPerSecond: 100 }] } }) },
      'capacity.core.ebsVolumes[0].throughputMibPerSecond (100) must be a whole number of at least 125'],
    ['throughput on a gp2 volume', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), volumeType: EmrEbsVolumeType.GP2, throughputMibPerSecond: 200 }] } }) },
      'capacity.core.ebsVolumes[0].throughputMibPerSecond requires volumeType gp3'],
    ['an io1 volume without IOPS', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), volumeType: EmrEbsVolumeType.IO1 }] } }) },
      'capacity.core.ebsVolumes[0].iops must be set for io1 volumes'],
    // Instance fleets
    ['a primary fleet of two', { capacity: fleets({ primary: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 2 } }) },
      'capacity.primary (targetOnDemandCapacity 2, targetSpotCapacity 0) must have one target of 1 (or 3 for high availability) and the other 0'],
    ['a primary fleet both On-Demand and Spot', { capacity: fleets({ primary: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 1, targetSpotCapacity: 2 } }) },
      'capacity.primary (targetOnDemandCapacity 1, targetSpotCapacity 2) must have one target of 1 (or 3 for high availability) and the other 0'],
    ['a high-availability fleet on emr-6.9.0', { releaseLabel: EmrReleaseLabel.of('emr-6.9.0'),
      capacity: fleets({ primary: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 3 } }) },
    "capacity.primary (3 primary nodes) needs release emr-5.36.1, emr-6.8.1 (patch releases), emr-6.12.0 or later for high availability with instance fleets (releaseLabel is 'emr-6.9.0')"],
    ['a weighted primary instance type', { capacity: fleets({ primary: { instanceTypes: [{ instanceType: m, weightedCapacity: 2 }] } }) },
      'capacity.primary.instanceTypes[0].weightedCapacity (2) must be 1 in the primary fleet'],
    ['a core fleet with no capacity', { capacity: fleets({ core: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 0 } }) },
      'capacity.core (targetOnDemandCapacity 0, targetSpotCapacity 0) must have a total target capacity of at least 1'],
    ['a fleet without instance types', { capacity: fleets({ core: { instanceTypes: [] } }) },
      'capacity.core.instanceTypes (0 entries) must have between 1 and 30 entries'],
    ['a fleet of 31 instance types', { capacity: fleets({ task: { instanceTypes: types(31) } }) },
      'capacity.task.instanceTypes (31 entries) must have between 1 and 30 entries'],
    ['a repeated instance type in a fleet', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m }, { instanceType: m }] } }) },
      "capacity.task.instanceTypes[1].instanceType ('m7g.xlarge') must appear only once in the fleet"],
    ['a zero weighted capacity', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, weightedCapacity: 0 }] } }) },
      'capacity.task.instanceTypes[0].weightedCapacity (0) must be a whole number of at least 1'],
    ['a Spot percentage over 100', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, spotPrice: EmrSpotPrice.percentageOfOnDemand(101) }] } }) },
      'capacity.task.instanceTypes[0].spotPrice (101) must be between 1 and 100 percent of the On-Demand price'],
    ['a negative target capacity', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: -1, targetSpotCapacity: 2 } }) },
      'capacity.task.targetOnDemandCapacity (-1) must be at least 0'],
    ['a task fleet with no capacity', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m }], targetSpotCapacity: 0 } }) },
      'capacity.task (targetOnDemandCapacity 0, targetSpotCapacity 0) must have a total target capacity of at least 1 (leave task unset for no task fleet)'],
    ['a Spot timeout under 5 minutes', { capacity: fleets({ spotTimeout: Duration.minutes(4) }) },
      'capacity.spotTimeout (4 minutes) must be between 5 and 1440 minutes'],
    ['a Spot timeout over a day', { capacity: fleets({ spotTimeout: Duration.minutes(1441) }) },
      'capacity.spotTimeout (1441 minutes) must be between 5 and 1440 minutes'],
    ['a Spot timeout in fractions of a minute', { capacity: fleets({ spotTimeout: Duration.seconds(330) }) },
      'capacity.spotTimeout (5 minutes 30 seconds) must be a whole number of minutes'],
    ['priorities without a prioritized strategy', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, priority: 0 }] } }) },
      "capacity.<fleet>.instanceTypes[].priority requires onDemandAllocationStrategy 'prioritized' or spotAllocationStrategy 'capacity-optimized-prioritized'"],
    ['a targeted reservation that is not a resource group', { capacity: fleets({ capacityReservation: EmrCapacityReservation.targeted('cr-123') }) },
      "capacity.capacityReservation ('cr-123') must be the ARN of a resource group"],
  ])('fails with %s', (_name, props, message) => {
    expect(errorsOf(props).filter(e => e.includes(message))).toEqual([expect.stringMatching(/^Test\/Cluster(\/SecurityConfiguration)?: /)]);
  });

  test('accepts priorities with a prioritized strategy and 30 instance types', () => {
    expect(errorsOf({ capacity: fleets({
      task: { instanceTypes: [...types(29), { instanceType: m, priority: 1 }] },
      spotAllocationStrategy: EmrSpotAllocationStrategy.CAPACITY_OPTIMIZED_PRIORITIZED,
    }) })).toEqual([]);
  });

  test('fails with TLS certificates that are not a zip file', () => {
    expect(errorsOf(stack => ({
      inTransitEncryption: EmrTlsCertificates.fromPemZip(new s3.Bucket(stack, 'Certs'), 'certs/emr.pem'),
    }))).toEqual([
      "Test/Cluster/SecurityConfiguration: inTransitEncryption.key ('certs/emr.pem') must be an S3 object key of a zip file (not starting with /, ending in .zip)",
    ]);
  });

  test('reports every problem at once', () => {
    expect(errorsOf({
      releaseLabel: EmrReleaseLabel.of('emr-5.22.0'),
      capacity: groups({ primary: { instanceType: m, instanceCount: 3 } }),
      managedScaling: { minimumCapacityUnits: 9, maximumCapacityUnits: 3 },
    })).toHaveLength(5);
  });
});
