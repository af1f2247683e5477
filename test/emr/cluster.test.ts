import { Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';

import {
  AnalyticsNetwork, EmrApplication, EmrCapacity, EmrCapacityReservation, EmrCluster, EmrInstanceFleetSpotPrice, EmrInstanceGroupSpotPrice,
  EmrOnDemandAllocationStrategy, EmrReleaseLabel, EmrScalingUnit, EmrSpotTimeoutAction, EmrStep, EmrStepActionOnFailure,
  EmrTlsCertificates,
} from '../../lib';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';
import { nagAcknowledgments } from '../util/nag';

const GLUE_FACTORY = 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory';
const t = (name: string) => new ec2.InstanceType(name);

describe('EmrCluster with default props', () => {
  let stack: Stack;
  let template: Template;
  let cluster: EmrCluster;
  const ref = (c: { node: { defaultChild?: unknown } } | ec2.SecurityGroup) => stack.resolve((c as ec2.SecurityGroup).securityGroupId);
  beforeAll(() => {
    stack = testStack();
    // In a stack with an explicit env, the zones of the VPC the cluster creates are its one required input.
    cluster = new EmrCluster(stack, 'Cluster', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }) });
    template = Template.fromStack(stack);
  });

  test('runs emr-7.13.0 with Hadoop, Spark and Hive, using the Glue Data Catalog as metastore', () => {
    template.hasResourceProperties('AWS::EMR::Cluster', {
      ReleaseLabel: 'emr-7.13.0',
      Applications: [{ Name: 'Hadoop' }, { Name: 'Spark' }, { Name: 'Hive' }],
      Configurations: [
        { Classification: 'hive-site', ConfigurationProperties: { 'hive.metastore.client.factory.class': GLUE_FACTORY } },
        { Classification: 'spark-hive-site', ConfigurationProperties: { 'hive.metastore.client.factory.class': GLUE_FACTORY } },
      ],
    });
  });

  test('uses instance groups: primary and core On-Demand, one Spot task group, in one private subnet', () => {
    template.hasResourceProperties('AWS::EMR::Cluster', {
      Instances: Match.objectLike({
        MasterInstanceGroup: { Name: 'Primary', InstanceType: 'm7g.xlarge', InstanceCount: 1, Market: 'ON_DEMAND' },
        CoreInstanceGroup: { Name: 'Core', InstanceType: 'm7g.xlarge', InstanceCount: 2, Market: 'ON_DEMAND' },
        TaskInstanceGroups: [{ Name: 'Task1', InstanceType: 'm7g.xlarge', InstanceCount: 2, Market: 'SPOT' }],
        Ec2SubnetId: stack.resolve(cluster.vpc.privateSubnets[0].subnetId),
        EmrManagedMasterSecurityGroup: ref(cluster.primarySecurityGroup),
        EmrManagedSlaveSecurityGroup: ref(cluster.coreTaskSecurityGroup),
        ServiceAccessSecurityGroup: ref(cluster.serviceAccessSecurityGroup),
        TerminationProtected: false,
        KeepJobFlowAliveWhenNoSteps: true,
      }),
    });
  });

  test('terminates after one idle hour, has no managed scaling, steps or key pair', () => {
    const props = Object.values(template.findResources('AWS::EMR::Cluster'))[0].Properties;
    expect(props.AutoTerminationPolicy).toEqual({ IdleTimeout: 3600 });
    expect(props.ManagedScalingPolicy).toBeUndefined();
    expect(props.Steps).toBeUndefined();
    expect(props.Instances.Ec2KeyName).toBeUndefined();
    expect(props.AutoScalingRole).toBeUndefined();
  });

  test('logs to the emr-logs/ prefix of a new data bucket, encrypted with the cluster key', () => {
    template.hasResourceProperties('AWS::EMR::Cluster', {
      LogUri: { 'Fn::Join': ['', ['s3://', stack.resolve(cluster.logBucket.bucketName), '/emr-logs/']] },
      LogEncryptionKmsKeyId: stack.resolve(cluster.encryptionKey.keyArn),
      SecurityConfiguration: stack.resolve(cluster.securityConfiguration.securityConfigurationName),
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('encrypts at rest with SSE-KMS and KMS local disks including EBS, without in-transit TLS', () => {
    template.hasResourceProperties('AWS::EMR::SecurityConfiguration', {
      SecurityConfiguration: {
        EncryptionConfiguration: {
          EnableAtRestEncryption: true,
          EnableInTransitEncryption: false,
          AtRestEncryptionConfiguration: {
            S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: stack.resolve(cluster.encryptionKey.keyArn) },
            LocalDiskEncryptionConfiguration: {
              EncryptionKeyProviderType: 'AwsKms', AwsKmsKey: stack.resolve(cluster.encryptionKey.keyArn), EnableEbsEncryption: true,
            },
          },
        },
      },
    });
  });

  test('creates a VPC with an S3 gateway endpoint, private subnets tagged for the EMR managed policy and flow logs', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::Subnet', {
      MapPublicIpOnLaunch: false,
      Tags: Match.arrayWith([{ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' }]),
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: stack.resolve(cluster.encryptionKey.keyArn) });
  });

  test('opens no security group to 0.0.0.0/0 and declares the service access rules of private subnets', () => {
    for (const r of Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))) {
      expect(r.Properties.CidrIp).toBeUndefined();
    }
    for (const r of Object.values(template.findResources('AWS::EC2::SecurityGroup'))) {
      expect(r.Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: ref(cluster.serviceAccessSecurityGroup), SourceSecurityGroupId: ref(cluster.primarySecurityGroup),
      IpProtocol: 'tcp', FromPort: 9443, ToPort: 9443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: ref(cluster.primarySecurityGroup), SourceSecurityGroupId: ref(cluster.serviceAccessSecurityGroup),
      IpProtocol: 'tcp', FromPort: 8443, ToPort: 8443,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: ref(cluster.serviceAccessSecurityGroup), DestinationSecurityGroupId: ref(cluster.coreTaskSecurityGroup), FromPort: 8443,
    });
  });

  test('gives the service role the EMR v2 managed policy and PassRole on the instance role only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'elasticmapreduce.amazonaws.com' },
        Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }) })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEMRServicePolicy_v2']] }],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'PassInstanceRole', Action: 'iam:PassRole', Resource: stack.resolve(cluster.instanceRole.roleArn),
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      })]) },
    });
  });

  test('scopes the instance role to the log prefix, the keys and the Glue catalog, with no inline policy', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(cluster.instanceRole.roleName)],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Sid: 'WriteClusterLogs', Resource: stack.resolve(cluster.logBucket.arnForObjects('emr-logs/*')) }),
        Match.objectLike({ Sid: 'ReadGlueCatalog', Resource: Match.arrayWith(['arn:aws:glue:us-east-1:111111111111:catalog']) }),
      ]) },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('raises the five alarms on the cluster JobFlowId and builds a dashboard', () => {
    expect(cluster.monitoring.alarms.map(a => a.node.id)).toEqual(['Idle', 'UnhealthyNodes', 'HdfsUtilization', 'YarnMemoryAvailable', 'AppsPending']);
    const dims = [{ Name: 'JobFlowId', Value: stack.resolve(cluster.clusterId) }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'IsIdle', Dimensions: dims, Threshold: 1, EvaluationPeriods: 6 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'MRUnhealthyNodes', Threshold: 1, EvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HDFSUtilization', Threshold: 80 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'YARNMemoryAvailablePercentage', Threshold: 15, ComparisonOperator: 'LessThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'AppsPending', Threshold: 5, Namespace: 'AWS/ElasticMapReduce' });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('exposes the primary security group as its connections', () => {
    expect(cluster.connections.securityGroups).toEqual([cluster.primarySecurityGroup]);
  });

  test('retains the key, log bucket and flow logs', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup']) {
      for (const r of Object.values(template.findResources(type))) {
        expect(r).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      }
    }
  });
});

describe('EmrCluster options', () => {
  // One stack with one cluster per scenario, synthesized once: the scenarios share a VPC to keep the suite fast.
  let stack: Stack;
  let template: Template;
  let vpc: ec2.Vpc;
  let key: kms.Key;
  let logs: s3.Bucket;
  let certs: s3.Bucket;
  // Plain copies of the template and of resolved values (jest's toMatchObject compares prototypes).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let resources: Record<string, { Properties: Record<string, any> }>;
  const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  const c: Record<string, EmrCluster> = {};
  const clusterProps = (name: string) => resources[stack.getLogicalId(c[name].cluster)].Properties;
  /** The statements of the managed policy at `path` under cluster `name` (`ServiceRole/Policy`). */
  const policyOf = (name: string, path: string) => resources[stack.getLogicalId(path.split('/')
    .reduce<IConstruct>((scope, id) => scope.node.findChild(id), c[name]).node.defaultChild as import('aws-cdk-lib').CfnResource)]
    .Properties.PolicyDocument.Statement;

  beforeAll(() => {
    stack = testStack();
    vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 1 });
    key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    logs = new s3.Bucket(stack, 'Logs');
    certs = new s3.Bucket(stack, 'Certs');
    // Most scenarios share the network, key and log bucket: only what they test differs.
    const shared = { network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key, logBucket: logs };
    c.fleets = new EmrCluster(stack, 'Fleets', {
      ...shared,
      capacity: EmrCapacity.instanceFleets({
        primary: { instanceTypes: [{ instanceType: t('m7g.xlarge') }] },
        core: { instanceTypes: [{ instanceType: t('r7g.2xlarge'), weightedCapacity: 2 }], targetOnDemandCapacity: 4 },
        task: {
          instanceTypes: [
            { instanceType: t('c7g.4xlarge'), weightedCapacity: 4, spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(60) },
            { instanceType: t('c6g.4xlarge'), weightedCapacity: 4, spotPrice: EmrInstanceFleetSpotPrice.fixedUsd(0.3) },
          ],
        },
        capacityReservation: EmrCapacityReservation.targeted('arn:aws:resource-groups:us-east-1:111111111111:group/emr-crs'),
        onDemandAllocationStrategy: EmrOnDemandAllocationStrategy.LOWEST_PRICE,
      }),
      managedScaling: { minimumCapacityUnits: 4, maximumCapacityUnits: 40, maximumOnDemandCapacityUnits: 8 },
    });
    c.steps = new EmrCluster(stack, 'Steps', {
      ...shared,
      keepAliveWhenNoSteps: false,
      idleTimeout: Duration.seconds(0),
      capacity: EmrCapacity.instanceGroups({
        primary: { instanceType: t('m7g.xlarge') },
        core: { instanceType: t('m7g.xlarge'), instanceCount: 3 },
        tasks: [{ instanceType: t('c7g.xlarge'), spotPrice: EmrInstanceGroupSpotPrice.fixedUsd(0.1), automaticScaling: { minCapacity: 1, maxCapacity: 5 } }],
      }),
      bootstrapActions: [{ name: 'Install libraries', scriptUri: 's3://bucket/bootstrap.sh', args: ['--quiet'] }],
      steps: [
        EmrStep.hiveScript({ name: 'Load', script: 's3://bucket/load.q', variables: { DAY: '2026-01-01' } }),
        EmrStep.sparkSubmit({ name: 'Aggregate', entryPoint: 's3://bucket/agg.py', actionOnFailure: EmrStepActionOnFailure.TERMINATE_CLUSTER }),
      ],
    });
    c.existing = new EmrCluster(stack, 'Existing', {
      network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key, logBucket: logs, logPrefix: 'clusters/',
      inTransitEncryption: EmrTlsCertificates.fromPemZip(certs, 'tls/emr.zip'),
      glueDatabases: [gluedb(stack, 'sales')],
      applications: [EmrApplication.SPARK, EmrApplication.TRINO],
      releaseLabel: EmrReleaseLabel.EMR_7_12_0,
      configurations: [{ classification: 'spark-defaults', properties: { 'spark.dynamicAllocation.enabled': 'true' } }],
      ec2KeyName: 'ops',
      terminationProtection: true,
    });
    c.glueOn = new EmrCluster(stack, 'GlueOn', {
      ...shared,
      configurations: [{ classification: 'hive-site', properties: { 'hive.metastore.client.factory.class': GLUE_FACTORY, 'x': '1' } }],
    });
    c.glueOff = new EmrCluster(stack, 'GlueOff', { ...shared, glueDataCatalog: false, applications: [EmrApplication.HIVE] });
    c.vcpu = new EmrCluster(stack, 'Vcpu', { ...shared, managedScaling: { minimumCapacityUnits: 2, maximumCapacityUnits: 10, unit: EmrScalingUnit.VCPU } });
    c.protected = new EmrCluster(stack, 'Protected', { ...shared, terminationProtection: true, idleTimeout: Duration.hours(2) });
    c.spotPrimary = new EmrCluster(stack, 'SpotPrimary', {
      ...shared,
      capacity: EmrCapacity.instanceFleets({
        primary: { instanceTypes: [{ instanceType: t('m7g.xlarge') }], targetOnDemandCapacity: 0, targetSpotCapacity: 1 },
        core: { instanceTypes: [{ instanceType: t('m7g.xlarge') }] },
        spotTimeoutAction: EmrSpotTimeoutAction.TERMINATE_CLUSTER,
        spotTimeout: Duration.minutes(5),
        capacityReservation: EmrCapacityReservation.none(),
      }),
    });
    c.kerberos = new EmrCluster(stack, 'Kerberos', {
      ...shared,
      kerberos: { realm: 'EC2.INTERNAL', kdcAdminPassword: SecretValue.secretsManager('emr/kdc-admin'), ticketLifetime: Duration.hours(10) },
    });
    c.fleetDefaults = new EmrCluster(stack, 'FleetDefaults', {
      ...shared,
      capacity: EmrCapacity.instanceFleets({
        primary: { instanceTypes: [{ instanceType: t('m7g.xlarge') }] },
        core: { instanceTypes: [{ instanceType: t('m7g.xlarge') }] },
        task: { instanceTypes: [{ instanceType: t('c7g.xlarge') }] },
      }),
    });
    template = Template.fromStack(stack);
    resources = JSON.parse(JSON.stringify(template.toJSON().Resources));
  });

  test('renders instance fleets with capacity reservations, Spot fallback to On-Demand and fleet-unit managed scaling', () => {
    const props = clusterProps('fleets');
    expect(props.Instances.Ec2SubnetId).toBeUndefined();
    expect(props.Instances.Ec2SubnetIds).toEqual(stack.resolve(vpc.privateSubnets.map(s => s.subnetId)));
    expect(props.Instances.MasterInstanceFleet).toMatchObject({ TargetOnDemandCapacity: 1, TargetSpotCapacity: 0 });
    expect(props.Instances.CoreInstanceFleet).toMatchObject({
      TargetOnDemandCapacity: 4,
      LaunchSpecifications: { OnDemandSpecification: { AllocationStrategy: 'lowest-price', CapacityReservationOptions: {
        UsageStrategy: 'use-capacity-reservations-first',
        CapacityReservationResourceGroupArn: 'arn:aws:resource-groups:us-east-1:111111111111:group/emr-crs',
      } } },
    });
    expect(props.Instances.TaskInstanceFleets).toEqual([{
      Name: 'Task',
      TargetOnDemandCapacity: 0,
      TargetSpotCapacity: 4,
      InstanceTypeConfigs: [
        { InstanceType: 'c7g.4xlarge', WeightedCapacity: 4, BidPriceAsPercentageOfOnDemandPrice: 60 },
        { InstanceType: 'c6g.4xlarge', WeightedCapacity: 4, BidPrice: '0.3' },
      ],
      LaunchSpecifications: { SpotSpecification: {
        AllocationStrategy: 'price-capacity-optimized', TimeoutAction: 'SWITCH_TO_ON_DEMAND', TimeoutDurationMinutes: 20,
      } },
    }]);
    expect(props.ManagedScalingPolicy).toEqual({ ComputeLimits: {
      UnitType: 'InstanceFleetUnits', MinimumCapacityUnits: 4, MaximumCapacityUnits: 40, MaximumOnDemandCapacityUnits: 8,
    } });
  });

  test('defaults fleets to On-Demand primary (1) and core (2), Spot tasks (4), open reservations and a 20-minute Spot timeout', () => {
    const i = clusterProps('fleetDefaults').Instances;
    const onDemand = { AllocationStrategy: 'lowest-price', CapacityReservationOptions: { CapacityReservationPreference: 'open' } };
    expect(i.MasterInstanceFleet).toEqual({ Name: 'Primary', TargetOnDemandCapacity: 1, TargetSpotCapacity: 0,
      InstanceTypeConfigs: [{ InstanceType: 'm7g.xlarge', WeightedCapacity: 1 }], LaunchSpecifications: { OnDemandSpecification: onDemand } });
    expect(i.CoreInstanceFleet).toMatchObject({
      TargetOnDemandCapacity: 2, TargetSpotCapacity: 0, LaunchSpecifications: { OnDemandSpecification: onDemand },
    });
    expect(i.TaskInstanceFleets).toEqual([{ Name: 'Task', TargetOnDemandCapacity: 0, TargetSpotCapacity: 4,
      InstanceTypeConfigs: [{ InstanceType: 'c7g.xlarge', WeightedCapacity: 1 }],
      LaunchSpecifications: { SpotSpecification: {
        AllocationStrategy: 'price-capacity-optimized', TimeoutAction: 'SWITCH_TO_ON_DEMAND', TimeoutDurationMinutes: 20,
      } } }]);
  });

  test('turns on Kerberos with a cluster-dedicated KDC and a password from Secrets Manager, and needs no Kerberos acknowledgment', () => {
    expect(clusterProps('kerberos').KerberosAttributes).toEqual({
      Realm: 'EC2.INTERNAL', KdcAdminPassword: '{{resolve:secretsmanager:emr/kdc-admin:SecretString:::}}',
    });
    expect(resources[stack.getLogicalId(c.kerberos.securityConfiguration.resource)].Properties.SecurityConfiguration.AuthenticationConfiguration)
      .toEqual({ KerberosConfiguration: { Provider: 'ClusterDedicatedKdc', ClusterDedicatedKdcConfiguration: { TicketLifetimeInHours: 10 } } });
    const acks = nagAcknowledgments(c.kerberos).filter(a => a.startsWith('Resource '));
    expect(acks).toEqual(['Resource AwsSolutions-EMR4', 'Resource AwsSolutions-EMR5']);
  });

  test('renders typed steps, bootstrap actions, automatic scaling of a task group with its role, and a transient cluster', () => {
    const props = clusterProps('steps');
    expect(props.AutoTerminationPolicy).toBeUndefined();
    expect(props.Instances.KeepJobFlowAliveWhenNoSteps).toBe(false);
    expect(props.AutoScalingRole).toEqual(stack.resolve(c.steps.autoScalingRole!.roleArn));
    expect(props.Instances.TaskInstanceGroups[0]).toMatchObject({
      Market: 'SPOT', BidPrice: '0.1',
      AutoScalingPolicy: { Constraints: { MinCapacity: 1, MaxCapacity: 5 }, Rules: [
        expect.objectContaining({ Name: 'ScaleOutOnYarnMemory' }), expect.objectContaining({ Name: 'ScaleInOnYarnMemory' }),
      ] },
    });
    expect(props.Instances.TaskInstanceGroups[0].AutoScalingPolicy.Rules[0].Trigger.CloudWatchAlarmDefinition).toMatchObject({
      ComparisonOperator: 'LESS_THAN', Threshold: 15, Dimensions: [{ Key: 'JobFlowId', Value: '${emr.clusterId}' }],
    });
    expect(props.BootstrapActions).toEqual([
      { Name: 'Install libraries', ScriptBootstrapAction: { Path: 's3://bucket/bootstrap.sh', Args: ['--quiet'] } },
    ]);
    expect(props.Steps).toEqual([
      { Name: 'Load', ActionOnFailure: 'CONTINUE', HadoopJarStep: { Jar: 'command-runner.jar',
        Args: ['hive-script', '--run-hive-script', '--args', '-f', 's3://bucket/load.q', '-d', 'DAY=2026-01-01'] } },
      { Name: 'Aggregate', ActionOnFailure: 'TERMINATE_CLUSTER', HadoopJarStep: { Jar: 'command-runner.jar',
        Args: ['spark-submit', '--deploy-mode', 'cluster', 's3://bucket/agg.py'] } },
    ]);
    expect(policyOf('steps', 'ServiceRole/Policy')).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'PassAutoScalingRole', Resource: stack.resolve(c.steps.autoScalingRole!.roleArn),
      Condition: { StringEquals: { 'iam:PassedToService': 'application-autoscaling.amazonaws.com' } },
    })]));
    // Only clusters with automatic scaling get the role.
    expect(c.fleets.autoScalingRole).toBeUndefined();
  });

  test('uses existing VPC, key and buckets, enables TLS from a PEM zip and scopes Glue to the given databases', () => {
    const props = clusterProps('existing');
    expect(c.existing.encryptionKey).toBe(key);
    expect(c.existing.node.tryFindChild('Vpc')).toBeUndefined();
    expect(c.existing.node.tryFindChild('Key')).toBeUndefined();
    expect(c.existing.node.tryFindChild('Logs')).toBeUndefined();
    expect(props).toMatchObject(plain({
      ReleaseLabel: 'emr-7.12.0',
      LogUri: { 'Fn::Join': ['', ['s3://', stack.resolve(logs.bucketName), '/clusters/']] },
      LogEncryptionKmsKeyId: stack.resolve(key.keyArn),
      Configurations: [
        { Classification: 'spark-defaults', ConfigurationProperties: { 'spark.dynamicAllocation.enabled': 'true' } },
        { Classification: 'spark-hive-site', ConfigurationProperties: { 'hive.metastore.client.factory.class': GLUE_FACTORY } },
        { Classification: 'trino-connector-hive', ConfigurationProperties: { 'hive.metastore': 'glue' } },
      ],
      Instances: { Ec2KeyName: 'ops', TerminationProtected: true, Ec2SubnetId: stack.resolve(vpc.privateSubnets[0].subnetId) },
    }));
    // A protected cluster gets no default idle timeout.
    expect(props.AutoTerminationPolicy).toBeUndefined();
    const securityConfiguration = resources[stack.getLogicalId(c.existing.securityConfiguration.resource)].Properties;
    expect(securityConfiguration.SecurityConfiguration.EncryptionConfiguration).toMatchObject(plain({
      EnableInTransitEncryption: true,
      InTransitEncryptionConfiguration: { TLSCertificateConfiguration: {
        CertificateProviderType: 'PEM',
        S3Object: { 'Fn::Join': ['', ['s3://', stack.resolve(certs.bucketName), '/tls/emr.zip']] },
      } },
    }));
    expect(policyOf('existing', 'InstanceRole/Policy')).toEqual(expect.arrayContaining([
      expect.objectContaining({ Sid: 'ReadTlsCertificates', Action: 's3:GetObject', Resource: stack.resolve(certs.arnForObjects('tls/emr.zip')) }),
      expect.objectContaining({ Sid: 'ChangeGlueTables', Resource: expect.arrayContaining([
        'arn:aws:glue:us-east-1:111111111111:database/sales',
      ]) }),
    ]));
  });

  test('merges the Glue switch into a user classification that agrees with it, and can be switched off', () => {
    expect(clusterProps('glueOn').Configurations[0]).toEqual({ Classification: 'hive-site',
      ConfigurationProperties: { 'hive.metastore.client.factory.class': GLUE_FACTORY, 'x': '1' } });
    expect(clusterProps('glueOff').Configurations).toBeUndefined();
    expect(policyOf('glueOff', 'InstanceRole/Policy').map((s: { Sid: string }) => s.Sid)).not.toContain('ReadGlueCatalog');
  });

  test('counts managed scaling of instance groups in the chosen unit', () => {
    expect(clusterProps('vcpu').ManagedScalingPolicy).toEqual({
      ComputeLimits: { UnitType: 'VCPU', MinimumCapacityUnits: 2, MaximumCapacityUnits: 10 },
    });
  });

  test('warns when idle timeout and termination protection are both set, and keeps the idle timeout', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Protected', Match.stringLikeRegexp('idleTimeout and terminationProtection are both set'));
    expect(clusterProps('protected').AutoTerminationPolicy).toEqual({ IdleTimeout: 7200 });
  });

  test('uses the Spot timeout action given for fleets, a Spot primary node and no capacity reservation', () => {
    const props = clusterProps('spotPrimary');
    expect(props.Instances.MasterInstanceFleet.LaunchSpecifications).toEqual({
      SpotSpecification: { AllocationStrategy: 'price-capacity-optimized', TimeoutAction: 'TERMINATE_CLUSTER', TimeoutDurationMinutes: 5 },
    });
    expect(props.Instances.CoreInstanceFleet.LaunchSpecifications.OnDemandSpecification.CapacityReservationOptions)
      .toEqual({ CapacityReservationPreference: 'none' });
    expect(props.Instances.TaskInstanceFleets).toBeUndefined();
  });
});

describe('EmrCluster Availability Zones of the created VPC', () => {
  class FixedAzs extends Stack {
    public override get availabilityZones(): string[] {
      return ['us-east-1c', 'us-east-1d', 'us-east-1e'];
    }
  }
  const subnetAzs = (cluster: EmrCluster) => cluster.vpc.privateSubnets.map(s => s.availabilityZone);

  test('takes the first two of the stack\'s AZs when none are given (never guessed from the region)', () => {
    const stack = new FixedAzs(testStack().node.root as Construct, 'Azs', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(subnetAzs(new EmrCluster(stack, 'Cluster'))).toEqual(['us-east-1c', 'us-east-1d']);
  });

  test('takes the given AZs', () => {
    const stack = new FixedAzs(testStack().node.root as Construct, 'Azs', { env: { account: '111111111111', region: 'us-east-1' } });
    expect(subnetAzs(new EmrCluster(stack, 'Cluster', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1d', 'us-east-1e'] }) }))).toEqual(['us-east-1d', 'us-east-1e']);
  });
});
