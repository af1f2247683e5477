import { App, CfnElement, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';

import {
  AnalyticsNetwork, RedshiftAuditLog, RedshiftAuditLogging, RedshiftNodeType, RedshiftSnapshotCopyGrant, RedshiftWarehouse,
  RedshiftWarehouseProps, WorkloadManagement,
} from '../../lib';
import { ManagedPolicyRole } from '../../lib/core/managed-policy-role';
import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { testStack } from '../util/app';
import { gluedb } from '../util/glue-database';
import { validationMessages } from '../util/validation-messages';

const AZS = ['us-east-1a', 'us-east-1b'];

/** A JSON round trip: resolved tokens and template fragments compare as plain objects. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

/** An existing VPC, cheap to build: no resources of its own. */
function importedVpc(scope: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'Vpc', { vpcId: 'vpc-1', availabilityZones: AZS, isolatedSubnetIds: ['subnet-1', 'subnet-2'] });
}

/** Validation messages of a warehouse `Test/Wh` in us-east-1 in an existing VPC, without synthesizing. */
function errors(props: RedshiftWarehouseProps = {}): string[] {
  const stack = testStack();
  new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(stack)), ...props });
  return stack.node.findAll().flatMap(validationMessages);
}

describe('RedshiftWarehouse with default props', () => {
  let stack: Stack;
  let warehouse: RedshiftWarehouse;
  let template: Template;
  beforeAll(() => {
    stack = testStack('Main', { env: undefined });
    warehouse = new RedshiftWarehouse(stack, 'Warehouse');
    template = Template.fromStack(stack);
  });

  test('creates an encrypted, private, multi-node RA3 cluster with a managed admin secret and every documented default', () => {
    const key = stack.resolve(warehouse.encryptionKey.keyArn);
    template.hasResource('AWS::Redshift::Cluster', {
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ClusterIdentifier: warehouse.clusterIdentifier,
        ClusterType: 'multi-node',
        NodeType: 'ra3.xlplus',
        NumberOfNodes: 2,
        DBName: 'analytics',
        MasterUsername: 'warehouse_admin',
        ManageMasterPassword: true,
        MasterPasswordSecretKmsKeyId: key,
        MasterUserPassword: Match.absent(),
        Port: 5440,
        Encrypted: true,
        KmsKeyId: key,
        PubliclyAccessible: false,
        EnhancedVpcRouting: true,
        AutomatedSnapshotRetentionPeriod: 7,
        PreferredMaintenanceWindow: 'sun:03:00-sun:03:30',
        AllowVersionUpgrade: true,
        AvailabilityZoneRelocation: true,
        ClusterParameterGroupName: stack.resolve(warehouse.parameterGroup.ref),
        ClusterSubnetGroupName: stack.resolve(warehouse.subnetGroup.ref),
        VpcSecurityGroupIds: [stack.resolve(warehouse.securityGroup.securityGroupId)],
        LoggingProperties: { LogDestinationType: 'cloudwatch', LogExports: ['connectionlog', 'userlog', 'useractivitylog'] },
        IamRoles: Match.absent(),
        DestinationRegion: Match.absent(),
        SnapshotCopyGrantName: Match.absent(),
      },
    });
    expect(warehouse.clusterIdentifier).toMatch(/^main-warehouse-[0-9a-f]{8}$/);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/MasterUserPassword/);
  });

  test('requires TLS, logs user activity, caps concurrency scaling at 1 and renders automatic WLM', () => {
    template.hasResourceProperties('AWS::Redshift::ClusterParameterGroup', {
      ParameterGroupFamily: 'redshift-1.0',
      Parameters: [
        { ParameterName: 'require_ssl', ParameterValue: 'true' },
        { ParameterName: 'enable_user_activity_logging', ParameterValue: 'true' },
        { ParameterName: 'max_concurrency_scaling_clusters', ParameterValue: '1' },
        { ParameterName: 'wlm_json_configuration', ParameterValue: WorkloadManagement.automatic().render() },
      ],
    });
    expect(warehouse.wlmJsonConfiguration).toEqual(WorkloadManagement.automatic().render());
  });

  test('encrypts with a rotating customer-managed key that CloudWatch Logs may use for this cluster only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowCloudWatchLogsForThisWarehouse',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
      })]) },
    });
  });

  test('creates the audit log groups with one year retention and the key, before the cluster', () => {
    for (const log of ['connectionlog', 'userlog', 'useractivitylog']) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/redshift/cluster/${warehouse.clusterIdentifier}/${log}`,
        RetentionInDays: 365,
        KmsKeyId: stack.resolve(warehouse.encryptionKey.keyArn),
      });
    }
    const cluster = template.findResources('AWS::Redshift::Cluster');
    const logGroupIds = warehouse.auditLogGroups.map(g => stack.getLogicalId(g.node.defaultChild as never));
    expect(Object.values(cluster)[0].DependsOn).toEqual(expect.arrayContaining(logGroupIds));
  });

  test('runs in a new VPC with isolated subnets only, flow logs, and S3 and Glue endpoints', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    template.hasResourceProperties('AWS::Redshift::ClusterSubnetGroup', { SubnetIds: Match.arrayWith([]) });
  });

  test('opens no ingress to the cluster, and the Glue endpoint only to the cluster', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: `Redshift cluster ${warehouse.clusterIdentifier}`,
      SecurityGroupIngress: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443, ToPort: 443, SourceSecurityGroupId: stack.resolve(warehouse.securityGroup.securityGroupId),
    });
  });

  test('raises the four alarms and builds a dashboard', () => {
    expect(warehouse.monitoring.alarms.map(a => a.node.id)).toEqual(['CpuUtilization', 'DiskSpaceUsed', 'HealthStatus', 'QueuedQueries']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 90, EvaluationPeriods: 3 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'PercentageDiskSpaceUsed', Threshold: 80 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'HealthStatus', Threshold: 1, ComparisonOperator: 'LessThanThreshold', TreatMissingData: 'breaching', Statistic: 'Minimum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'WLMQueueLength', Threshold: 10, Dimensions: [{ Name: 'ClusterIdentifier', Value: warehouse.clusterIdentifier }],
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});

describe('RedshiftWarehouse options', () => {
  // One stack with one warehouse per option set, synthesized once: every synth costs time.
  let stack: Stack;
  let template: Template;
  let vpc: ec2.Vpc;
  let key: kms.Key;
  let auditBucket: s3.Bucket;
  let lake: s3.Bucket;
  let topic: sns.Topic;
  const wh: Record<string, RedshiftWarehouse> = {};
  const resource = (c: IConstruct) => JSON.parse(JSON.stringify(template.toJSON().Resources[stack.getLogicalId(c as CfnElement)].Properties));
  const clusterOf = (w: RedshiftWarehouse) => resource(w.cluster);
  beforeAll(() => {
    stack = testStack('Options');
    vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, natGateways: 1, restrictDefaultSecurityGroup: false });
    key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    auditBucket = new s3.Bucket(stack, 'AuditBucket', { encryption: s3.BucketEncryption.S3_MANAGED });
    lake = new s3.Bucket(stack, 'Lake', { encryption: s3.BucketEncryption.KMS });
    topic = new sns.Topic(stack, 'Topic');
    wh.single = new RedshiftWarehouse(stack, 'Single', { network: AnalyticsNetwork.fromVpc(vpc), numberOfNodes: 1 });
    wh.dc2 = new RedshiftWarehouse(stack, 'Dc2', {
      network: AnalyticsNetwork.fromVpc(vpc), encryptionKey: key, nodeType: RedshiftNodeType.DC2_LARGE, numberOfNodes: 4, port: 6543,
      clusterIdentifier: 'sales', databaseName: 'sales_dw', masterUsername: 'dw_admin',
      automatedSnapshotRetention: Duration.days(0), preferredMaintenanceWindow: 'sat:23:45-sun:00:15',
    });
    wh.audit = new RedshiftWarehouse(stack, 'Audit', {
      network: AnalyticsNetwork.fromVpc(vpc), clusterIdentifier: 'audited',
      auditLogging: RedshiftAuditLogging.s3({ bucket: auditBucket, keyPrefix: 'audit/', logs: [RedshiftAuditLog.CONNECTION] }),
    });
    wh.spectrum = new RedshiftWarehouse(stack, 'Spectrum', { network: AnalyticsNetwork.fromVpc(vpc), spectrum: { lakeBuckets: [lake], glueDatabases: [gluedb(stack, 'sales')] } });
    wh.alarmed = new RedshiftWarehouse(stack, 'Alarmed', { network: AnalyticsNetwork.fromVpc(vpc), alarmTopic: topic, alarmThresholds: { cpuUtilizationPercent: 75 } });
    wh.quiet = new RedshiftWarehouse(stack, 'Quiet', { network: AnalyticsNetwork.fromVpc(vpc), alarmsEnabled: false, dashboardEnabled: false, clusterIdentifier: 'm' });
    wh.quiet.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.0.0/16'));
    template = Template.fromStack(stack);
  });

  test('creates a single-node cluster without NumberOfNodes', () => {
    expect(clusterOf(wh.single)).toMatchObject({ ClusterType: 'single-node' });
    expect(clusterOf(wh.single).NumberOfNodes).toBeUndefined();
  });

  test('uses an existing VPC, its private subnets, an existing key and a DC2 node type without relocation', () => {
    expect(clusterOf(wh.dc2)).toMatchObject(plain({
      ClusterIdentifier: 'sales', NodeType: 'dc2.large', NumberOfNodes: 4, Port: 6543, DBName: 'sales_dw', MasterUsername: 'dw_admin',
      AvailabilityZoneRelocation: false, AutomatedSnapshotRetentionPeriod: 0, KmsKeyId: stack.resolve(key.keyArn),
      PreferredMaintenanceWindow: 'sat:23:45-sun:00:15',
    }));
    expect(resource(wh.dc2.subnetGroup).SubnetIds)
      .toEqual(vpc.privateSubnets.map(sn => stack.resolve(sn.subnetId)));
    template.resourceCountIs('AWS::EC2::VPC', 1);
    expect(wh.dc2.vpc).toBe(vpc);
  });

  test('sends audit logs to an SSE-S3 bucket with a bucket policy scoped to this cluster', () => {
    expect(clusterOf(wh.audit).LoggingProperties).toEqual({
      LogDestinationType: 's3', BucketName: stack.resolve(auditBucket.bucketName), S3KeyPrefix: 'audit/', LogExports: ['connectionlog'],
    });
    const sourceArn = { 'aws:SourceArn': 'arn:aws:redshift:us-east-1:111111111111:cluster:audited' };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: 's3:PutObject', Principal: { Service: 'redshift.amazonaws.com' }, Condition: { StringEquals: sourceArn } }),
        Match.objectLike({ Action: 's3:GetBucketAcl', Principal: { Service: 'redshift.amazonaws.com' }, Condition: { StringEquals: sourceArn } }),
      ]) },
    });
    expect(wh.audit.auditLogGroups).toEqual([]);
  });

  test('attaches a Spectrum role that reads the lake bucket and the Glue catalog through a managed policy', () => {
    const role = wh.spectrum.spectrumRole!;
    expect(clusterOf(wh.spectrum).IamRoles).toEqual([stack.resolve(role.roleArn)]);
    expect(role).toBeInstanceOf(ManagedPolicyRole);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(role.roleName)],
      PolicyDocument: { Statement: [
        Match.objectLike({ Action: 's3:GetObject', Resource: stack.resolve(lake.arnForObjects('*')) }),
        Match.objectLike({ Action: ['s3:GetBucketLocation', 's3:ListBucket'], Resource: stack.resolve(lake.bucketArn) }),
        Match.objectLike({ Action: 'kms:Decrypt', Resource: stack.resolve(lake.encryptionKey!.keyArn) }),
        Match.objectLike({
          Action: Match.arrayWith(['glue:GetPartitions', 'glue:GetTable']),
          Resource: [
            'arn:aws:glue:us-east-1:111111111111:catalog',
            'arn:aws:glue:us-east-1:111111111111:database/sales',
            'arn:aws:glue:us-east-1:111111111111:table/sales/*',
          ],
        }),
      ] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    expect(wh.single.spectrumRole).toBeUndefined();
  });

  test('lets only Redshift of the warehouse region assume the Spectrum role (the regional service principal)', () => {
    // Redshift restricts a role to regions by its regional service principal; it documents no aws:SourceAccount or
    // aws:SourceArn for the roles it assumes. https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html
    expect(resource(wh.spectrum.spectrumRole!.node.defaultChild!).AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'redshift.us-east-1.amazonaws.com' } }],
    });
  });

  test('puts a grant to the Spectrum role into its managed policy, not an inline policy', () => {
    const s = testStack();
    const lakeBucket = new s3.Bucket(s, 'Lake');
    const w = new RedshiftWarehouse(s, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(s)), spectrum: { lakeBuckets: [lakeBucket], glueDatabases: [gluedb(s, 'db')] } });
    w.spectrumRole!.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [lakeBucket.arnForObjects('unload/*')] }));
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject' })]) },
    });
  });

  test('sends alarm transitions to a topic, honours thresholds, and can drop alarms and dashboard', () => {
    const cpu = resource(wh.alarmed.monitoring.alarms[0].node.defaultChild!);
    expect(cpu).toMatchObject(plain({
      MetricName: 'CPUUtilization', Threshold: 75, AlarmActions: [stack.resolve(topic.topicArn)], OKActions: [stack.resolve(topic.topicArn)],
    }));
    expect(wh.alarmed.monitoring.alarms).toHaveLength(4);
    expect(wh.quiet.monitoring.alarms).toEqual([]);
    expect(wh.quiet.monitoring.dashboard).toBeUndefined();
  });

  test('exposes metrics with the cluster dimension and opens the port to allowed peers', () => {
    expect(stack.resolve(wh.quiet.metricWlmQueueWaitTime('etl').dimensions)).toEqual({ ClusterIdentifier: 'm', QueueName: 'etl' });
    expect(stack.resolve(wh.quiet.metricQueryDuration('long').dimensions)).toEqual({ ClusterIdentifier: 'm', latency: 'long' });
    expect(wh.quiet.metricHealthStatus().statistic).toBe('Minimum');
    expect(resource(wh.quiet.securityGroup.node.defaultChild!).SecurityGroupIngress)
      .toEqual([expect.objectContaining({ CidrIp: '10.0.0.0/16', FromPort: 5440, ToPort: 5440 })]);
  });

  test('copies snapshots to the region of a snapshot copy grant', () => {
    const app = new App();
    const dr = new Stack(app, 'Dr', { env: { account: '111111111111', region: 'eu-west-1' } });
    const grant = new RedshiftSnapshotCopyGrant(dr, 'Grant');
    const source = new Stack(app, 'Source', { env: { account: '111111111111', region: 'eu-central-1' } });
    const copying = new RedshiftWarehouse(source, 'Wh', {
      network: AnalyticsNetwork.fromVpc(ec2.Vpc.fromVpcAttributes(source, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-central-1a'], isolatedSubnetIds: ['subnet-1'] })),
      snapshotCopy: { destinationRegion: 'eu-west-1', grantName: grant.grantName, retention: Duration.days(14) },
    });
    expect(source.resolve(copying.cluster.destinationRegion)).toBe('eu-west-1');
    expect(copying.cluster.snapshotCopyGrantName).toBe(grant.grantName);
    expect(copying.cluster.snapshotCopyRetentionPeriod).toBe(14);
    expect(grant.grantName).toMatch(/^dr-grant-[0-9a-f]{8}$/);
    expect(dr.resolve(grant.grant.kmsKeyId)).toEqual(dr.resolve(grant.encryptionKey.keyArn));
    expect((grant.encryptionKey.node.defaultChild as kms.CfnKey).enableKeyRotation).toBe(true);
  });

  test('keeps RETAIN on DESTROY without the context flag, and warns', () => {
    const s = testStack();
    const w = new RedshiftWarehouse(s, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(s)), removalPolicy: RemovalPolicy.DESTROY });
    expect(w.cluster.cfnOptions.deletionPolicy).toBe('RetainExceptOnCreate');
    expect(w.node.metadata.map(m => m.data)).toEqual([expect.stringMatching(/removalPolicy destroy is ignored/)]);
  });

  test('deletes the cluster on DESTROY with the context flag', () => {
    const s = testStack('Test', {}, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    const w = new RedshiftWarehouse(s, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(s)), removalPolicy: RemovalPolicy.DESTROY });
    expect(w.cluster.cfnOptions.deletionPolicy).toBe('Delete');
  });
});

describe('RedshiftWarehouse validation', () => {
  test('accepts valid settings and skips tokens', () => {
    expect(errors({ numberOfNodes: 1, nodeType: RedshiftNodeType.RA3_XLPLUS })).toEqual([]);
    expect(errors({ numberOfNodes: 16 })).toEqual([]);
    expect(errors({ nodeType: RedshiftNodeType.DC2_LARGE, automatedSnapshotRetention: Duration.days(0), port: 6000 })).toEqual([]);
    expect(errors({ numberOfNodes: Token.asNumber({ Ref: 'Nodes' }), clusterIdentifier: Token.asString({ Ref: 'Id' }) })).toEqual([]);
    expect(errors({ nodeType: RedshiftNodeType.of('ra3.future'), numberOfNodes: 100, port: 8200 })).toEqual([]);
  });

  test('fails a single node for a node type that has no single-node clusters', () => {
    expect(errors({ nodeType: RedshiftNodeType.RA3_4XLARGE, numberOfNodes: 1 })).toEqual([
      'Test/Wh: numberOfNodes (1) must be between 2 and 32 for ra3.4xlarge: it does not support single-node clusters',
    ]);
  });

  test('fails more nodes than the node type allows at creation', () => {
    expect(errors({ numberOfNodes: 17 })).toEqual([
      'Test/Wh: numberOfNodes (17) must be a whole number between 2 and 16 for ra3.xlplus, or 1 for a single-node cluster',
    ]);
    expect(errors({ nodeType: RedshiftNodeType.DC2_8XLARGE, numberOfNodes: 0 })).toEqual([
      'Test/Wh: numberOfNodes (0) must be a whole number between 2 and 128 for dc2.8xlarge',
    ]);
  });

  test('fails invalid identifiers and names', () => {
    expect(errors({ clusterIdentifier: 'My--Cluster', databaseName: 'Sales', masterUsername: '1admin' })).toEqual([
      "Test/Wh: clusterIdentifier ('My--Cluster') must be 1 to 63 lowercase letters, digits or hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row",
      "Test/Wh: databaseName ('Sales') must be 1 to 64 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore",
      "Test/Wh: masterUsername ('1admin') must be 1 to 128 lowercase letters, digits or the characters _ + . @ -, starting with a letter",
    ]);
    expect(errors({ masterUsername: 'public' })).toEqual(["Test/Wh: masterUsername ('public') must not be PUBLIC (reserved)"]);
  });

  test('fails ports outside the ranges of the node family', () => {
    expect(errors({ port: 6000 })).toEqual(['Test/Wh: port (6000) must be between 5431 and 5455 or between 8191 and 8215 for ra3.xlplus']);
    expect(errors({ nodeType: RedshiftNodeType.DC2_LARGE, automatedSnapshotRetention: Duration.days(1), port: 80 })).toEqual([
      'Test/Wh: port (80) must be a whole number between 1150 and 65535',
    ]);
  });

  test('fails AZ relocation on a non-RA3 node type', () => {
    expect(errors({ nodeType: RedshiftNodeType.DC2_LARGE, availabilityZoneRelocation: true })).toEqual([
      'Test/Wh: availabilityZoneRelocation requires an RA3 node type (got dc2.large)',
    ]);
  });

  test('fails concurrency scaling on a single-node cluster and more than 10 scaling clusters', () => {
    expect(errors({
      numberOfNodes: 1, maxConcurrencyScalingClusters: 11,
      workloadManagement: WorkloadManagement.automatic({ defaultQueue: { concurrencyScaling: true } }),
    })).toEqual([
      'Test/Wh: workloadManagement (a queue with concurrencyScaling) requires a multi-node cluster: concurrency scaling does not support single-node clusters',
      'Test/Wh: maxConcurrencyScalingClusters (11) must be a whole number between 0 and 10',
    ]);
  });

  test('warns when concurrency scaling cannot take queries from a cluster of more than 32 nodes', () => {
    const scaling = WorkloadManagement.automatic({ defaultQueue: { concurrencyScaling: true } });
    const warnings = (nodes: number) => {
      const stack = testStack();
      const w = new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(stack)), nodeType: RedshiftNodeType.RA3_16XLARGE, numberOfNodes: nodes, workloadManagement: scaling });
      return w.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => m.data);
    };
    expect(warnings(33)).toEqual([
      'workloadManagement enables concurrency scaling, but a cluster created with 33 nodes (more than 32) never routes queries to ' +
      'concurrency scaling clusters [ack: cdk-analytics-blueprints:redshiftConcurrencyScalingNodes]',
    ]);
    expect(warnings(32)).toEqual([]);
  });

  test('reports WLM problems at the warehouse path', () => {
    expect(errors({ workloadManagement: WorkloadManagement.manual({ defaultQueue: { concurrency: 51 } }) })).toEqual([
      'Test/Wh: workloadManagement.defaultQueue.concurrency (51) must be a whole number between 1 and 50',
      'Test/Wh: workloadManagement (51 slots) must have at most 50 query slots (concurrency) over all queues, default queue included',
    ]);
  });

  test('fails automated snapshot retention outside the allowed whole days', () => {
    expect(errors({ automatedSnapshotRetention: Duration.days(0) })).toEqual([
      'Test/Wh: automatedSnapshotRetention (0 days) must be a whole number of days between 1 and 35 (RA3 clusters cannot turn automated snapshots off)',
    ]);
    const dc2 = { nodeType: RedshiftNodeType.DC2_LARGE, availabilityZoneRelocation: false };
    expect(errors({ ...dc2, automatedSnapshotRetention: Duration.hours(36) })).toEqual([
      'Test/Wh: automatedSnapshotRetention (1.5 days) must be a whole number of days between 0 and 35',
    ]);
  });

  test('fails malformed or too short maintenance windows', () => {
    expect(errors({ preferredMaintenanceWindow: 'sunday 03:00' })).toEqual([
      "Test/Wh: preferredMaintenanceWindow ('sunday 03:00') must have the format ddd:hh24:mi-ddd:hh24:mi in UTC, for example 'sun:03:00-sun:03:30'",
    ]);
    expect(errors({ preferredMaintenanceWindow: 'mon:01:00-mon:01:15' })).toEqual([
      "Test/Wh: preferredMaintenanceWindow ('mon:01:00-mon:01:15') must be at least 30 minutes long (got 15)",
    ]);
  });

  test('fails a snapshot copy to the same region, a bad grant name or retention', () => {
    expect(errors({ snapshotCopy: { destinationRegion: 'us-east-1', grantName: 'Bad_Grant', retention: Duration.days(36) } })).toEqual([
      "Test/Wh: snapshotCopy.destinationRegion ('us-east-1') must differ from the region of the warehouse: snapshots are copied to another region",
      "Test/Wh: snapshotCopy.grantName ('Bad_Grant') must be 1 to 63 lowercase letters, digits or hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row",
      'Test/Wh: snapshotCopy.retention (36 days) must be a whole number of days between 1 and 35',
    ]);
    expect(errors({ snapshotCopy: { destinationRegion: 'us-west-2', grantName: 'dr-grant' } })).toEqual([]);
  });

  test('fails S3 audit logging to an SSE-KMS bucket', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS });
    new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(stack)), auditLogging: RedshiftAuditLogging.s3({ bucket }) });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([
      'Test/Wh: auditLogging.bucket must be encrypted with SSE-S3 (AES256): Redshift audit logging does not support SSE-KMS buckets',
    ]);
  });

  test('fails its own VPC without availabilityZones in a stack with an explicit env, instead of a lookup; accepts them', () => {
    expect(errors({ network: undefined })).toEqual([expect.stringMatching(/^Test\/Wh\/Network: availabilityZones must be given: /)]);
    expect(errors({ network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) })).toEqual([]);
  });

  test('fails a public endpoint, naming the factories that apply', () => {
    expect(errors({ network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) })).toContain(
      'Test/Wh: network (AnalyticsNetwork.publicEndpoint()) does not apply to RedshiftWarehouse, which has no public endpoint: ' +
      'use AnalyticsNetwork.newVpc({ availabilityZones }) or AnalyticsNetwork.fromVpc(vpc)');
  });

  test('fails a new VPC CIDR that cannot hold the subnets', () => {
    expect(errors({ network: AnalyticsNetwork.newVpc({ availabilityZones: AZS, cidr: '10.40.0.0/24' }) })).toEqual([
      "Test/Wh: network.cidr ('10.40.0.0/24') must be an IPv4 CIDR block with a prefix length between /16 and /23 (2 /24 subnets)",
    ]);
  });
});

describe('RedshiftSnapshotCopyGrant validation', () => {
  test('fails a grant name that Redshift rejects or that is a token', () => {
    const stack = testStack();
    new RedshiftSnapshotCopyGrant(stack, 'Bad', { grantName: 'ends-with-' });
    new RedshiftSnapshotCopyGrant(stack, 'Token', { grantName: Token.asString({ Ref: 'Name' }) });
    new RedshiftSnapshotCopyGrant(stack, 'Good', { grantName: 'dr-grant' });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([
      "Test/Bad: grantName ('ends-with-') must be 1 to 63 lowercase letters, digits or hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row",
      'Test/Token: grantName must be a plain string, not a token: the source region refers to it by name',
    ]);
  });
});
