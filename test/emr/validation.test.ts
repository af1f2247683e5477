import { Duration, SecretValue, Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import {
  AnalyticsNetwork, EmrApplication, EmrCapacity, EmrCapacityReservation, EmrCluster, EmrClusterProps, EmrDataLocation, EmrEbsVolumeType,
  EmrFleetInstanceType, EmrInstanceFleetSpotPrice, EmrInstanceFleetsProps, EmrInstanceGroupSpotPrice, EmrInstanceGroupsProps, EmrMarket,
  EmrReleaseLabel, EmrScalingUnit, EmrSpotAllocationStrategy, EmrStep, EmrStepActionOnFailure, EmrTaskInstanceGroupOptions,
  EmrTlsCertificates, S3EndpointAccess, SecureVpc,
} from '../../lib';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';
import { validationMessages } from '../util/validation-messages';

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
    network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
      vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'],
    })),
    encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
    logBucket: s3.Bucket.fromBucketName(stack, 'ImportedLogs', 'logs'),
    ...given,
  });
  return stack.node.findAll().flatMap(validationMessages);
}

const groups = (over: Partial<EmrInstanceGroupsProps> = {}) => EmrCapacity.instanceGroups({
  primary: { instanceType: m }, core: { instanceType: m }, ...over,
});
const task = (over: Partial<EmrTaskInstanceGroupOptions> = {}): EmrTaskInstanceGroupOptions => ({ instanceType: m, ...over });
const fleets = (over: Partial<EmrInstanceFleetsProps> = {}) => EmrCapacity.instanceFleets({
  primary: { instanceTypes: [{ instanceType: m }] }, core: { instanceTypes: [{ instanceType: m }] }, ...over,
});
/** A shared network with isolated subnets only, as `SecureVpc` builds it without NAT gateways. */
const isolatedVpc = (stack: import('aws-cdk-lib').Stack) => new SecureVpc(stack, 'Isolated', { availabilityZones: ['us-east-1a', 'us-east-1b'] }).vpc;
const types = (n: number): EmrFleetInstanceType[] => Array.from({ length: n }, (_, i) => ({ instanceType: t(`m${i + 1}.xlarge`) }));

describe('EmrCluster validation', () => {
  test('accepts the defaults and a fully specified cluster', () => {
    const stack = testStack();
    new EmrCluster(stack, 'Cluster', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }) });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([]);
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
    ['no application', { applications: [] }, 'applications ([]) must list at least one application: the cluster installs exactly these, and steps and jobs run on them'],
    ['a repeated application', { applications: [EmrApplication.SPARK, EmrApplication.SPARK] },
      "applications (['Spark', 'Spark']) must not repeat an application (Spark): each is installed once"],
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
      "steps[0].name ('xxxxxxxxxx"],
    ['a Hive step without Hive', { applications: [EmrApplication.SPARK], steps: [EmrStep.hiveScript({ name: 'load', script: 's3://b/load.q' })] },
      "steps[0] ('load') needs the Hive application (applications are Spark)"],
    ['a step script that is not in S3', { steps: [EmrStep.sparkSubmit({ name: 'x', entryPoint: '/home/app.py' })] },
      "steps[0] ('/home/app.py') must be an S3 URI (s3://bucket/key) of the step code"],
    ['more than 16 bootstrap actions', { bootstrapActions: Array.from({ length: 17 }, (_, i) => ({ name: `b${i}`, scriptUri: 's3://b/x.sh' })) },
      'bootstrapActions (17 entries) must have between 0 and 16 entries'],
    ['a bootstrap script outside S3', { bootstrapActions: [{ name: 'agent', scriptUri: 'https://example.com/x.sh' }] },
      "bootstrapActions[0].scriptUri ('https://example.com/x.sh') must be an S3 URI (s3://bucket/key) of the script"],
    ['a single availability zone', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a'] }) },
      'network.availabilityZones (1 entries) must have between 2 and 6 entries'],
    ['a public endpoint', { network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) },
      'network (AnalyticsNetwork.publicEndpoint()) does not apply to EmrCluster, which has no public endpoint: use ' +
      'AnalyticsNetwork.newVpc({ availabilityZones }) or AnalyticsNetwork.fromVpc(vpc)'],
    ['a new VPC CIDR too small for the subnets and the NAT subnets', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'], cidr: '10.0.0.0/20' }) },
      "network.cidr ('10.0.0.0/20') must be an IPv4 CIDR block with a prefix length between /16 and /18 (2 /20 subnets and 2 /26 NAT subnets)"],
    ['a log prefix without a trailing slash', { logPrefix: 'logs' },
      "logPrefix ('logs') must be a key prefix that ends in '/' and does not start with '/' (or ''), as the nodes' IAM access covers <prefix>*"],
    ['a subnet selection that selects nothing', (stack) => ({
      network: AnalyticsNetwork.fromVpc(new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a'] }), { subnets: { availabilityZones: ['us-east-1b'] } }),
    }), 'network.subnets must select at least one subnet of the VPC'],
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
    ['a zero fixed Spot price', { capacity: groups({ tasks: [task({ spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(0) })] }) },
      'capacity.tasks[0].spotPrice (0) must be a positive price in USD per hour'],
    ['a Spot price on an On-Demand task group', { capacity: groups({ tasks: [task({ market: EmrMarket.ON_DEMAND, spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(1) })] }) },
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
    ['io1 IOPS over 50 per GiB', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), volumeType: EmrEbsVolumeType.IO1, iops: 4000 }] } }) },
      'capacity.core.ebsVolumes[0].iops (4000) must be at most 50 per GiB for io1 (3200 for 64 GiB)'],
    ['io1 IOPS over 64000', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(2000), volumeType: EmrEbsVolumeType.IO1, iops: 70000 }] } }) },
      'capacity.core.ebsVolumes[0].iops (70000) must be a whole number between 100 and 64000 for io1'],
    ['an io1 volume without IOPS', { capacity: groups({ core: { instanceType: m, ebsVolumes: [{ size: Size.gibibytes(64), volumeType: EmrEbsVolumeType.IO1 }] } }) },
      'capacity.core.ebsVolumes[0].iops must be set for io1 volumes'],
    // Instance fleets
    ['a negative fixed Spot price in a fleet', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, spotPrice: EmrInstanceFleetSpotPrice.fixedUsd(-0.1) }] } }) },
      'capacity.task.instanceTypes[0].spotPrice (-0.1) must be a positive price in USD per hour'],
    ['a Spot price of 0 percent of On-Demand', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(0) }] } }) },
      'capacity.task.instanceTypes[0].spotPrice (0% of On-Demand) must be above 0 and at most 1000 percent of the On-Demand price'],
    ['a Spot price over 1000 percent of On-Demand', { capacity: fleets({ core: { instanceTypes: [{ instanceType: m, spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(1001) }] } }) },
      'capacity.core.instanceTypes[0].spotPrice (1001% of On-Demand) must be above 0 and at most 1000 percent of the On-Demand price'],
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
    ['a negative target capacity', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: -1, targetSpotCapacity: 2 } }) },
      'capacity.task.targetOnDemandCapacity (-1) must be a whole number of at least 0'],
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
    // Issue 14: names, integers, alarm thresholds and what the user brings.
    ['IMDSv2 on a release that cannot enforce it', { releaseLabel: EmrReleaseLabel.of('emr-6.1.0') },
      "releaseLabel ('emr-6.1.0') cannot make the nodes IMDSv2-only (EMR supports it from emr-5.32.0 / emr-6.2.0): upgrade the release, or set requireImdsV2: false"],
    ['an empty cluster name', { clusterName: '' }, "clusterName ('') must be 1 to 256 characters, without control characters"],
    ['a cluster name with a control character', { clusterName: 'etl\u0007' }, 'must be 1 to 256 characters, without control characters'],
    ['a cluster name over 256 characters', { clusterName: 'c'.repeat(257) }, 'must be 1 to 256 characters, without control characters'],
    ['a key pair name that is not ASCII', { ec2KeyName: 'clé' }, "ec2KeyName ('clé') must be the name of an EC2 key pair (1 to 255 ASCII characters)"],
    ['two steps with the same name', { steps: [EmrStep.command({ name: 'load', command: ['true'] }), EmrStep.command({ name: 'load', command: ['false'] })] },
      "steps[1].name ('load') must be unique among the steps of the cluster"],
    ['a step with an empty command', { steps: [EmrStep.command({ name: 'nothing', command: [] })] }, 'steps[0].command ([]) must name a command to run'],
    ['a long-running cluster step that terminates the cluster', {
      steps: [EmrStep.command({ name: 'last', command: ['true'], actionOnFailure: EmrStepActionOnFailure.TERMINATE_CLUSTER })] },
    "steps[0].actionOnFailure ('TERMINATE_CLUSTER') must be CONTINUE or CANCEL_AND_WAIT on a long-running cluster (TERMINATE_CLUSTER is for a transient cluster: keepAliveWhenNoSteps: false)"],
    ['a bootstrap action name with a control character', { bootstrapActions: [{ name: 'a\u0001', scriptUri: 's3://b/x.sh' }] },
      'bootstrapActions[0].name'],
    ['a data location prefix without a trailing slash', (stack) => ({ dataLocations: [EmrDataLocation.read(new s3.Bucket(stack, 'Lake'), 'raw')] }),
      "dataLocations[0].prefix ('raw') must be a key prefix that ends in '/' and does not start with '/' (or ''), as the nodes' IAM access covers <prefix>*"],
    ['a Glue database name in upper case', (stack) => ({ glueDatabases: [gluedb(stack, 'Sales')] }),
      "glueDatabases[0].databaseName ('Sales') must be a lower-case Glue database name (letters, digits, _ and -, at most 255); glueAllDatabases grants every database"],
    ['Glue databases without the Glue Data Catalog', (stack) => ({ glueDataCatalog: false, glueDatabases: [gluedb(stack, 'sales')] }),
      'glueDatabases requires glueDataCatalog: true'],
    ['every Glue database without the Glue Data Catalog', { glueDataCatalog: false, glueAllDatabases: true }, 'glueAllDatabases requires glueDataCatalog: true'],
    ['every Glue database and a list of them', (stack) => ({ glueAllDatabases: true, glueDatabases: [gluedb(stack, 'sales')] }),
      'glueAllDatabases cannot be set together with glueDatabases'],
    ['Glue deletes without databases', { glueDeletes: true }, 'glueDeletes requires glueDataCatalog: true and at least one of glueDatabases (or glueAllDatabases)'],
    // aws-cdk-lib's Dashboard used to throw on this, with no construct path, before any other check ran.
    ['a dashboard name with spaces', { dashboardName: 'EMR cluster!' },
      "dashboardName ('EMR cluster!') must be 1 to 255 characters: letters, digits, hyphens (-) and underscores (_)"],
    ['an HDFS alarm over 100 percent', { alarmThresholds: { hdfsUtilizationPercent: 120 } },
      'alarmThresholds.hdfsUtilizationPercent (120) must be between 0 and 100 percent'],
    ['a negative YARN memory alarm', { alarmThresholds: { yarnMemoryAvailablePercent: -1 } },
      'alarmThresholds.yarnMemoryAvailablePercent (-1) must be between 0 and 100 percent'],
    ['an unhealthy-node alarm at 0', { alarmThresholds: { unhealthyNodes: 0 } }, 'alarmThresholds.unhealthyNodes (0) must be a whole number of at least 1'],
    ['a fractional pending-applications alarm', { alarmThresholds: { appsPending: 2.5 } }, 'alarmThresholds.appsPending (2.5) must be a whole number of at least 1'],
    ['an idle alarm under one period', { alarmThresholds: { idleFor: Duration.minutes(2) } },
      'alarmThresholds.idleFor (2 minutes) must be between 5 and 1440 minutes'],
    ['an idle alarm over a day', { alarmThresholds: { idleFor: Duration.days(2) } },
      'alarmThresholds.idleFor (2880 minutes) must be between 5 and 1440 minutes'],
    ['a fractional Spot target', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m }], targetSpotCapacity: 1.5 } }) },
      'capacity.task.targetSpotCapacity (1.5) must be a whole number of at least 0'],
    ['a negative priority', { capacity: fleets({ task: { instanceTypes: [{ instanceType: m, priority: -1 }] },
      spotAllocationStrategy: EmrSpotAllocationStrategy.CAPACITY_OPTIMIZED_PRIORITIZED }) },
    'capacity.task.instanceTypes[0].priority (-1) must be at least 0'],
    ['a fractional automatic-scaling maximum', { capacity: groups({ tasks: [task({ automaticScaling: { minCapacity: 0, maxCapacity: 2.5 } })] }) },
      'capacity.tasks[0].automaticScaling.maxCapacity (2.5) must be a whole number of at least 0'],
    ['a cooldown in fractions of a second', { capacity: groups({ tasks: [task({ automaticScaling: { minCapacity: 0, maxCapacity: 2, cooldown: Duration.millis(90500) } })] }) },
      'capacity.tasks[0].automaticScaling.cooldown (90.5 seconds) must be a whole number of seconds'],
    ['a task group name over 256 characters', { capacity: groups({ tasks: [task({ name: 't'.repeat(257) })] }) },
      'capacity.tasks[0].name'],
    ['an infinite Spot price', { capacity: groups({ tasks: [task({ spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(Infinity) })] }) },
      'capacity.tasks[0].spotPrice (Infinity) must be a positive price in USD per hour'],
    // Issue 19: a shared isolated-only VPC used to end the synth with aws-cdk-lib's own error.
    ['a VPC with isolated subnets only', (stack) => ({ network: AnalyticsNetwork.fromVpc(isolatedVpc(stack))}),
      'network (Test/Isolated/Vpc) has no private subnets with egress, where the cluster launches by default. Give the VPC a NAT gateway (SecureVpc: natGateways: 1), ' +
      'or select its isolated subnets (AnalyticsNetwork.fromVpc(vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })) and give the VPC an S3 gateway endpoint and KMS and Glue interface endpoints'],
    ['isolated subnets without KMS and Glue endpoints', (stack) => ({ network: AnalyticsNetwork.fromVpc(isolatedVpc(stack), { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }) }),
      'network.subnets selects isolated subnets of Test/Isolated/Vpc: from there the nodes reach s3, kms, glue only through VPC endpoints, and the VPC has ' +
      'none for kms, glue. Add them (SecureVpc.addInterfaceEndpoint, an S3 gateway endpoint), or launch into subnets with a NAT route'],
    // A SecureVpc's S3 gateway endpoint admits this account's buckets only, unless told otherwise: the nodes
    // would not reach the Amazon Linux and EMR repositories and the cluster would fail to bootstrap.
    ['a shared VPC whose S3 endpoint policy blocks the EMR repositories', (stack) => ({
      network: AnalyticsNetwork.fromVpc(new SecureVpc(stack, 'Shared', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 }).vpc),
    }), 'network (Test/Shared/Vpc) has an S3 gateway endpoint whose policy does not admit the AWS-owned buckets EMR nodes read at launch ' +
      '(Amazon Linux and EMR repositories, EMR system logs): add S3EndpointAccess.emrClusters(this) to the SecureVpc\'s s3EndpointPolicyStatements ' +
      '(https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html)'],
    ['a subnet group the VPC does not have', (stack) => ({ network: AnalyticsNetwork.fromVpc(isolatedVpc(stack), { subnets: { subnetGroupName: 'Missing' } }) }),
      'network.subnets selects no subnets of Test/Isolated/Vpc: '],
    ['public subnets', (stack) => ({
      network: AnalyticsNetwork.fromVpc(new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 }), { subnets: { subnetType: ec2.SubnetType.PUBLIC } }),
    }), 'network.subnets must select private subnets (it selects public subnets of Test/Vpc)'],
  ])('fails with %s', (_name, props, message) => {
    expect(errorsOf(props).filter(e => e.includes(message)))
      .toEqual([expect.stringMatching(/^Test\/Cluster(\/SecurityConfiguration|\/Monitoring)?: /)]);
  });

  test('accepts a shared SecureVpc whose S3 endpoint admits the EMR buckets, and a VPC whose S3 endpoint has no policy', () => {
    expect(errorsOf(stack => ({ network: AnalyticsNetwork.fromVpc(new SecureVpc(stack, 'Shared', {
      availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1, s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(stack),
    }).vpc) }))).toEqual([]);
    expect(errorsOf(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 });
      vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      return { network: AnalyticsNetwork.fromVpc(vpc) };
    })).toEqual([]);
  });

  test('accepts the isolated subnets of a shared SecureVpc that has the S3, KMS and Glue endpoints', () => {
    expect(errorsOf(stack => {
      const network = new SecureVpc(stack, 'Isolated', { availabilityZones: ['us-east-1a', 'us-east-1b'], s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(stack) });
      network.addInterfaceEndpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS);
      network.addInterfaceEndpoint('Glue', ec2.InterfaceVpcEndpointAwsService.GLUE);
      return { network: AnalyticsNetwork.fromVpc(network.vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }) };
    })).toEqual([]);
    // Without the Glue Data Catalog, S3 and KMS are enough.
    expect(errorsOf(stack => {
      const network = new SecureVpc(stack, 'Isolated', { availabilityZones: ['us-east-1a', 'us-east-1b'], s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(stack) });
      network.addInterfaceEndpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS);
      return { network: AnalyticsNetwork.fromVpc(network.vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), glueDataCatalog: false };
    })).toEqual([]);
  });

  test('warns, at synth, when the isolated subnets of an imported VPC may lack endpoints it cannot see', () => {
    const stack = testStack();
    const cluster = new EmrCluster(stack, 'Cluster', {
      network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-iso'] }), { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
      logBucket: s3.Bucket.fromBucketName(stack, 'ImportedLogs', 'logs'),
    });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([]);
    expect(cluster.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data))).toEqual(expect.arrayContaining([
      'network.subnets selects isolated subnets of vpc-1: from there the nodes reach s3, kms, glue only through VPC endpoints, and the VPC has none for ' +
        's3, kms, glue. Add them (SecureVpc.addInterfaceEndpoint, an S3 gateway endpoint), or launch into subnets with a NAT route. ' +
        'This app defines none of those endpoints; an imported VPC may have them from elsewhere: acknowledge this warning if it does. ' +
        '[ack: cdk-analytics-blueprints:emrIsolatedSubnetsEndpoints]',
    ]));
  });

  test('accepts Spot prices in their ranges, and tokens', () => {
    const n = Token.asNumber({ Ref: 'N' });
    expect(errorsOf({ capacity: groups({ tasks: [task({ spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(0.05) }), task({ name: 'T', spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(n) })] }) }))
      .toEqual([]);
    expect(errorsOf({ capacity: fleets({ task: { instanceTypes: [
      { instanceType: t('m1.xlarge'), spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(0.5) },
      { instanceType: t('m2.xlarge'), spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(1000) },
      { instanceType: t('m3.xlarge'), spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(n) },
      { instanceType: t('m4.xlarge'), spotPrice: EmrInstanceFleetSpotPrice.onDemandPrice() },
    ] } }) })).toEqual([]);
  });

  test('a percentage Spot price on an instance group, or a group price in a fleet, cannot be written', () => {
    const group: EmrTaskInstanceGroupOptions = {
      instanceType: m,
      // @ts-expect-error the instance group API has a fixed BidPrice only: percentages need instance fleets
      spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(50),
    };
    const fleetType: EmrFleetInstanceType = {
      instanceType: m,
      // @ts-expect-error a fleet instance type takes EmrInstanceFleetSpotPrice
      spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(1),
    };
    expect([group, fleetType]).toHaveLength(2);
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

describe('EmrCluster warnings (risky but legal, or unknown to this library)', () => {
  /** The warnings on the cluster's own construct, as `<id>: <message>` (read from its metadata, without a synth). */
  function warningsOf(props: EmrClusterProps | ((stack: import('aws-cdk-lib').Stack) => EmrClusterProps)): string[] {
    const stack = testStack();
    const given = typeof props === 'function' ? props(stack) : props;
    const cluster = new EmrCluster(stack, 'Cluster', {
      network: AnalyticsNetwork.fromVpc(new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 })),
      encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000'),
      logBucket: s3.Bucket.fromBucketName(stack, 'ImportedLogs', 'logs'),
      ...given,
    });
    return cluster.node.metadata.filter(m => m.type === 'aws:cdk:warning')
      .map(m => String(m.data).replace(/^(.*) \[ack: cdk-analytics-blueprints:(\w+)\]$/s, '$2: $1'));
  }

  test('warns about nothing for the defaults, known names and On-Demand primary and core fleets', () => {
    expect(warningsOf({})).toEqual([]);
    expect(warningsOf({
      releaseLabel: EmrReleaseLabel.of('emr-6.10.1'), applications: [EmrApplication.of('Phoenix'), EmrApplication.HBASE],
      capacity: fleets({ task: { instanceTypes: [{ instanceType: t('c7gd.16xlarge') }], targetSpotCapacity: 4 } }),
    })).toEqual([]);
  });

  test('warns about a release label, an application and instance types it does not know', () => {
    expect(warningsOf({
      releaseLabel: EmrReleaseLabel.of('emr-7.31.0'),
      applications: [EmrApplication.SPARK, EmrApplication.of('spark')],
      capacity: groups({ core: { instanceType: t('m7g.xlarg') }, tasks: [task({ instanceType: t('z9.large') })] }),
    })).toEqual([
      "emrUnknownRelease: releaseLabel 'emr-7.31.0' is not a release this library knows (the newest it knows is 'emr-7.13.0'): " +
        'check it against https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html, EMR rejects an unknown label at launch',
      "emrUnknownApplication: applications 'spark' is not an application this library knows: check the spelling (names are case-sensitive) " +
        "against the release's application list (https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html)",
      "emrUnknownInstanceType: instance types 'm7g.xlarg', 'z9.large' are not EC2 instance types this library knows: check the spelling, " +
        'and that EMR supports them in your Region (https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html)',
    ]);
  });

  test('warns about every Glue database and deletes anywhere in a bucket', () => {
    const warnings = warningsOf(stack => {
      const lake = new s3.Bucket(stack, 'Lake');
      return {
        glueAllDatabases: true, glueDeletes: true,
        dataLocations: [EmrDataLocation.read(lake), EmrDataLocation.readWriteDelete(lake), EmrDataLocation.readWriteDelete(lake, 'tmp/')],
      };
    });
    expect(warnings).toEqual([
      'emrEveryGlueDatabase: glueAllDatabases lets the nodes create and change tables in every Glue database of the account and region, ' +
        'and delete them: list the databases the cluster uses instead where you can.',
      'emrWholeBucketDelete: dataLocations 1 let the nodes delete any object of the bucket (readWriteDelete without a prefix): ' +
        'give the prefix the jobs write to, so that a job cannot delete the rest of the lake.',
    ]);
  });

  test('warns about Spot primary and core fleets', () => {
    const warnings = warningsOf({ capacity: fleets({
      primary: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 0, targetSpotCapacity: 1 },
      core: { instanceTypes: [{ instanceType: m }], targetOnDemandCapacity: 1, targetSpotCapacity: 2 },
    }) });
    expect(warnings.map(w => w.split(':')[0])).toEqual(['emrSpotPrimary', 'emrSpotCore']);
    expect(warnings[0]).toContain('when EC2 reclaims the primary node the cluster terminates');
    expect(warnings[1]).toContain('a reclaimed core node loses its HDFS blocks');
  });
});
