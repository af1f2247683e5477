import { Duration, RemovalPolicy, Size, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as sns from 'aws-cdk-lib/aws-sns';

import { AnalyticsNetwork, OpenSearchCluster, OpenSearchClusterProps, OpenSearchMasterUser, OpenSearchWarmInstanceType } from '../../lib';
import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** Warnings recorded on any construct of the stack (after synth or validation), without synthesizing again. */
function warningsOf(stack: Stack): string[] {
  return stack.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data)));
}

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe('OpenSearchCluster with default props', () => {
  let stack: Stack;
  let template: Template;
  let search: OpenSearchCluster;
  beforeAll(() => {
    stack = testStack();
    search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    template = Template.fromStack(stack);
  });

  test('runs OpenSearch 2.19 with 3 dedicated masters and 3 data nodes across 3 AZs with standby', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EngineVersion: 'OpenSearch_2.19',
      ClusterConfig: {
        DedicatedMasterEnabled: true,
        DedicatedMasterCount: 3,
        DedicatedMasterType: 'm6g.large.search',
        InstanceCount: 3,
        InstanceType: 'r6g.large.search',
        MultiAZWithStandbyEnabled: true,
        ZoneAwarenessEnabled: true,
        ZoneAwarenessConfig: { AvailabilityZoneCount: 3 },
        WarmEnabled: Match.absent(),
        ColdStorageOptions: Match.absent(),
      },
      EBSOptions: { EBSEnabled: true, VolumeSize: 100, VolumeType: 'gp3', Iops: 3000, Throughput: 125 },
    });
  });

  test('places the domain in three isolated subnets, one per AZ, with its own security group', () => {
    const domain = template.findResources('AWS::OpenSearchService::Domain');
    const vpcOptions = Object.values(domain)[0].Properties.VPCOptions;
    expect(vpcOptions.SubnetIds).toHaveLength(3);
    expect(vpcOptions.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(search.securityGroup!.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }]);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 3);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
  });

  test('encrypts at rest with a rotating customer-managed key, node to node, and serves HTTPS only with TLS 1.2+ PFS', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      EncryptionAtRestOptions: { Enabled: true, KmsKeyId: { Ref: logicalId(stack, search.encryptionKey as kms.Key) } },
      NodeToNodeEncryptionOptions: { Enabled: true },
      DomainEndpointOptions: { EnforceHTTPS: true, TLSSecurityPolicy: 'Policy-Min-TLS-1-2-PFS-2023-10' },
    });
  });

  test('enables fine-grained access control with an IAM role as master user', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: {
        Enabled: true,
        InternalUserDatabaseEnabled: false,
        MasterUserOptions: { MasterUserARN: { 'Fn::GetAtt': [logicalId(stack, search.masterUserRole as iam.Role), 'Arn'] } },
      },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('admits the master user role by name, and IAM principals of the account through their identity policies, on this domain only', () => {
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0];
    const statements = stack.resolve(domain.Properties.AccessPolicies).Statement;
    expect(statements).toHaveLength(2);
    expect(statements[0].Principal).toEqual({ AWS: { 'Fn::GetAtt': [logicalId(stack, search.masterUserRole as iam.Role), 'Arn'] } });
    expect(JSON.stringify(statements[1].Principal)).toContain(':iam::111111111111:root');
    for (const statement of statements) {
      expect(statement.Action).toBe('es:ESHttp*');
      expect(JSON.stringify(statement.Resource)).toContain(`:es:us-east-1:111111111111:domain/${search.domainName}/*`);
      expect(statement.Condition).toBeUndefined();
    }
  });

  test('the master user role is assumable by the configuration function only, and may call exactly the REST verbs it needs on this domain', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(stack, search.masterUserRole as iam.Role)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow',
      Principal: { AWS: { 'Fn::GetAtt': [logicalId(stack, search.lifecycleFunctionRole as iam.Role), 'Arn'] } },
    }]);
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find(p =>
      JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(stack, search.masterUserRole as iam.Role) }]))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Sid: 'DomainRestApi', Effect: 'Allow' });
    expect([...statements[0].Action].sort()).toEqual(['es:ESHttpDelete', 'es:ESHttpGet', 'es:ESHttpPatch', 'es:ESHttpPost', 'es:ESHttpPut']);
    expect(statements[0].Resource).toEqual([
      `arn:aws:es:us-east-1:111111111111:domain/${search.domainName}`, `arn:aws:es:us-east-1:111111111111:domain/${search.domainName}/*`,
    ]);
  });

  test('publishes slow search, slow index, application and audit logs to encrypted log groups kept for a year', () => {
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0];
    expect(Object.keys(domain.Properties.LogPublishingOptions).sort()).toEqual(
      ['AUDIT_LOGS', 'ES_APPLICATION_LOGS', 'INDEX_SLOW_LOGS', 'SEARCH_SLOW_LOGS']);
    for (const group of [search.slowSearchLogGroup, search.slowIndexLogGroup, search.appLogGroup, search.auditLogGroup]) {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, search.encryptionKey as kms.Key), 'Arn'] } },
        DeletionPolicy: 'RetainExceptOnCreate',
      });
      expect(group).toBeInstanceOf(logs.LogGroup);
    }
    const policy = JSON.stringify(Object.values(template.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument);
    expect(policy).toContain('\\"Principal\\":{\\"Service\\":\\"es.amazonaws.com\\"}');
    expect(policy).toContain('\\"aws:SourceArn\\"');
  });

  test('lets CloudWatch Logs use the key only for log groups of this account and region', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
      })]) },
    });
  });

  test('retains the domain, key and log groups', () => {
    for (const type of ['AWS::OpenSearchService::Domain', 'AWS::KMS::Key', 'AWS::Logs::LogGroup']) {
      for (const r of Object.values(template.findResources(type))) {
        expect(r).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      }
    }
  });

  test('creates the AWS-recommended alarms (contract list) and a dashboard', () => {
    expect(search.monitoring.alarms.map(a => a.node.id)).toEqual([
      'ClusterStatusRed', 'ClusterStatusYellow', 'FreeStorageSpace', 'ClusterIndexWritesBlocked', 'Nodes', 'MasterReachableFromNode',
      'AutomatedSnapshotFailure', 'CPUUtilization', 'JVMMemoryPressure', 'MasterCPUUtilization', 'MasterJVMMemoryPressure',
      'ThreadpoolWriteQueue', 'ThreadpoolWriteRejected', 'ThreadpoolSearchQueue', 'ThreadpoolSearchQueueMaximum', 'ThreadpoolSearchRejected',
      'Http5xx', 'ShardsActive', 'KMSKeyError', 'KMSKeyInaccessible', 'OldGenJVMMemoryPressure', 'MasterOldGenJVMMemoryPressure',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test('sets thresholds from the topology: 25% of a node volume, and every node', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FreeStorageSpace', Threshold: 25600, ComparisonOperator: 'LessThanOrEqualToThreshold', Statistic: 'Minimum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Nodes', Threshold: 6, ComparisonOperator: 'LessThanThreshold', Period: 86400,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ClusterStatus.yellow', Threshold: 1, EvaluationPeriods: 5,
    });
  });

  test('turns audit logging on in the security plugin and guards the KMS key, with no lifecycle, and emits no warnings', () => {
    template.resourceCountIs('Custom::OpenSearchIsmPolicy', 0);
    template.hasResourceProperties('Custom::OpenSearchAuditLog', {
      Endpoint: { 'Fn::GetAtt': [logicalId(stack, search.domain), 'DomainEndpoint'] },
      RoleArn: { 'Fn::GetAtt': [logicalId(stack, search.masterUserRole as iam.Role), 'Arn'] },
    });
    const guard = stack.getLogicalId(search.node.findChild('KeyGuard').node.defaultChild as never);
    template.hasResourceProperties('Custom::OpenSearchKeyGuard', { KmsKeyId: { Ref: logicalId(stack, search.encryptionKey as kms.Key) } });
    expect(template.findResources('AWS::OpenSearchService::Domain')[logicalId(stack, search.domain)].DependsOn).toContain(guard);
    expect(warningsOf(stack)).toEqual([]);
  });
});

describe('OpenSearchCluster with UltraWarm and an index lifecycle', () => {
  let stack: Stack;
  let template: Template;
  let search: OpenSearchCluster;
  beforeAll(() => {
    stack = testStack();
    search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }),
      warmNodes: 3,
      warmInstanceType: OpenSearchWarmInstanceType.ULTRAWARM1_LARGE,
      coldStorageEnabled: true,
      indexLifecycles: [{
        policyId: 'logs', indexPatterns: ['logs-*'], rollover: { minIndexAge: Duration.days(1), minPrimaryShardSize: Size.gibibytes(30) },
        warmAfter: Duration.days(7), coldAfter: Duration.days(30), deleteAfter: Duration.days(365),
      }],
    });
    search.addIndexLifecycle({ policyId: 'audit', indexPatterns: ['audit-*'], deleteAfter: Duration.hours(36), priority: 50 });
    template = Template.fromStack(stack);
  });

  test('enables UltraWarm and cold storage', () => {
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      ClusterConfig: Match.objectLike({
        WarmEnabled: true, WarmCount: 3, WarmType: 'ultrawarm1.large.search', ColdStorageOptions: { Enabled: true },
      }),
    });
  });

  test('renders hot -> warm -> cold -> delete as an ISM policy with rollover and an ISM template', () => {
    template.hasResourceProperties('Custom::OpenSearchIsmPolicy', {
      PolicyId: 'logs',
      Policy: Match.serializedJson({
        policy: {
          description: 'Managed by cdk-analytics-blueprints: hot -> warm -> cold -> delete',
          default_state: 'hot',
          states: [
            { name: 'hot', actions: [{ rollover: { min_primary_shard_size: '30720mb', min_index_age: '1d' } }],
              transitions: [{ state_name: 'warm', conditions: { min_index_age: '7d' } }] },
            { name: 'warm', actions: [{ warm_migration: {} }], transitions: [{ state_name: 'cold', conditions: { min_index_age: '30d' } }] },
            { name: 'cold', actions: [{ cold_migration: { timestamp_field: '@timestamp' } }],
              transitions: [{ state_name: 'delete', conditions: { min_index_age: '365d' } }] },
            { name: 'delete', actions: [{ cold_delete: {} }], transitions: [] },
          ],
          ism_template: [{ index_patterns: ['logs-*'], priority: 100 }],
        },
      }),
    });
  });

  test('renders ages that are not whole days in hours, and uses delete for hot indexes', () => {
    template.hasResourceProperties('Custom::OpenSearchIsmPolicy', {
      PolicyId: 'audit',
      Policy: Match.serializedJson(Match.objectLike({ policy: Match.objectLike({
        states: [
          { name: 'hot', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: '36h' } }] },
          { name: 'delete', actions: [{ delete: {} }], transitions: [] },
        ],
        ism_template: [{ index_patterns: ['audit-*'], priority: 50 }],
      }) })),
    });
  });

  test('calls the domain as the master user role, from one function in the VPC', () => {
    template.resourceCountIs('Custom::OpenSearchIsmPolicy', 2);
    template.hasResourceProperties('Custom::OpenSearchIsmPolicy', {
      Endpoint: { 'Fn::GetAtt': [logicalId(stack, search.domain), 'DomainEndpoint'] },
      RoleArn: { 'Fn::GetAtt': [logicalId(stack, search.masterUserRole as iam.Role), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Handler: 'index.handler', Timeout: 300, ReservedConcurrentExecutions: Match.absent(),
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [Match.anyValue()] },
    });
    // Endpoints from the partition, and a lost reply fails the stack in 6 minutes instead of an hour.
    for (const type of ['Custom::OpenSearchIsmPolicy', 'Custom::OpenSearchAuditLog']) {
      template.allResourcesProperties(type, { UrlSuffix: { Ref: 'AWS::URLSuffix' }, ServiceTimeout: '360' });
    }
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: 'sts:AssumeRole', Resource: { 'Fn::GetAtt': [logicalId(stack, search.masterUserRole as iam.Role), 'Arn'] },
      })]) },
    });
    expect(search.lifecycleFunctionRole).toBeDefined();
  });

  test('opens HTTPS to the domain from the function only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(search.securityGroup!.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
    });
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { CidrIp: '0.0.0.0/0' }, 0);
  });
});

describe('OpenSearchCluster options', () => {
  test('an internal master user gets a generated password in Secrets Manager, encrypted with the cluster key', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), masterUser: OpenSearchMasterUser.internalUser('root'),
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, search.encryptionKey as kms.Key), 'Arn'] },
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"root"}', GenerateStringKey: 'password' }),
    });
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: Match.objectLike({ InternalUserDatabaseEnabled: true, MasterUserOptions: Match.objectLike({ MasterUserName: 'root' }) }),
    });
    template.hasResourceProperties('Custom::OpenSearchIsmPolicy', { SecretArn: { Ref: logicalId(stack, search.masterUserSecret as never) } });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.secretsmanager' });
    expect(search.masterUserRole).toBeUndefined();
  });

  test('a public endpoint has no VPC, allows only the given source IPs, runs the function outside any VPC, and passes nag', () => {
    const stack = testStack();
    const alarmTopic = new sns.Topic(stack, 'Alarms', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }), enforceSSL: true });
    const search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']), masterUser: OpenSearchMasterUser.internalUser(), alarmTopic,
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
    });
    const template = Template.fromStack(stack);
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0];
    expect(domain.Properties.VPCOptions).toBeUndefined();
    const statements = stack.resolve(domain.Properties.AccessPolicies).Statement;
    // An internal user signs in with basic auth, which IAM sees as anonymous: any principal, from the allowed IPs.
    expect(statements).toEqual([expect.objectContaining({ Principal: { AWS: '*' }, Condition: { IpAddress: { 'aws:sourceIp': ['203.0.113.0/24'] } } })]);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(nagFindings(stack)).toEqual([]);
    expect(nagAcknowledgments(search)).toEqual([
      'Domain/Resource AwsSolutions-OS1',
      'Domain/Resource AwsSolutions-OS3',
      'Domain/Resource AwsSolutions-OS5',
      'Domain/Resource HIPAA.Security-OpenSearchInVPCOnly',
      'Domain/Resource NIST.800.53.R5-OpenSearchInVPCOnly',
      'Domain/Resource PCI.DSS.321-OpenSearchInVPCOnly',
      'IsmPolicyFunction/Function/Resource HIPAA.Security-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource HIPAA.Security-LambdaDLQ',
      'IsmPolicyFunction/Function/Resource HIPAA.Security-LambdaInsideVPC',
      'IsmPolicyFunction/Function/Resource NIST.800.53.R5-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource NIST.800.53.R5-LambdaDLQ',
      'IsmPolicyFunction/Function/Resource NIST.800.53.R5-LambdaInsideVPC',
      'IsmPolicyFunction/Function/Resource PCI.DSS.321-LambdaConcurrency',
      'IsmPolicyFunction/Function/Resource PCI.DSS.321-LambdaDLQ',
      'IsmPolicyFunction/Function/Resource PCI.DSS.321-LambdaInsideVPC',
      'MasterUserSecret/Resource AwsSolutions-SMG4',
      'MasterUserSecret/Resource HIPAA.Security-SecretsManagerRotationEnabled',
      'MasterUserSecret/Resource NIST.800.53.R5-SecretsManagerRotationEnabled',
      'MasterUserSecret/Resource PCI.DSS.321-SecretsManagerRotationEnabled',
    ]);
  });

  test('an existing VPC gets one private subnet per AZ in its first availabilityZoneCount zones', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: [...AZS, 'us-east-1d'] });
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(vpc), dataNodes: 6 });
    const domain = Object.values(Template.fromStack(stack).findResources('AWS::OpenSearchService::Domain'))[0];
    const expected = vpc.privateSubnets.slice(0, 3).map(s => stack.resolve(s.subnetId));
    expect(domain.Properties.VPCOptions.SubnetIds).toEqual(expected);
  });

  test('uses the key, master role, domain name, TLS policy, log retention and removal policy given', () => {
    const stack = testStack('Test', {}, { context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } });
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const admin = iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111111111111:role/SearchAdmin');
    new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), encryptionKey: key, domainName: 'my-logs', masterUser: OpenSearchMasterUser.iamRole(admin),
      removalPolicy: RemovalPolicy.DESTROY,
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2, logRetention: logs.RetentionDays.THREE_MONTHS,
      availabilityZoneCount: 3, multiAzWithStandbyEnabled: false, masterNodes: 5, dataNodes: 6,
      alarmsEnabled: false, dashboardEnabled: false,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      DomainName: 'my-logs',
      DomainEndpointOptions: Match.objectLike({ TLSSecurityPolicy: 'Policy-Min-TLS-1-2-2019-07' }),
      ClusterConfig: Match.objectLike({ DedicatedMasterCount: 5, InstanceCount: 6, MultiAZWithStandbyEnabled: false }),
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResource('AWS::OpenSearchService::Domain', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AdvancedSecurityOptions: Match.objectLike({ MasterUserOptions: { MasterUserARN: 'arn:aws:iam::111111111111:role/SearchAdmin' } }),
    });
    // The ISM function's, the flow logs' and aws-cdk-lib's default-security-group provider's roles; no master role.
    template.resourceCountIs('AWS::IAM::Role', 3);
    template.hasResourceProperties('Custom::OpenSearchIsmPolicy', { RoleArn: 'arn:aws:iam::111111111111:role/SearchAdmin' });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

describe('OpenSearchCluster validation', () => {
  /** Builds the cluster and returns the validation messages, without synthesizing a template. */
  function errorsOf(props: Partial<OpenSearchClusterProps>): string[] {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), ...props });
    return stack.node.findAll().flatMap(validationMessages);
  }
  const at = (message: string) => `Test/Search: ${message}`;

  test('accepts the defaults, a valid 2-AZ topology, and tokens', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }), availabilityZoneCount: 2, multiAzWithStandbyEnabled: false,
      dataNodes: 4, warmNodes: 2, masterNodes: 5,
    })).toEqual([]);
    expect(errorsOf({
      dataNodes: Token.asNumber({ Ref: 'DataNodes' }), warmNodes: Token.asNumber({ Ref: 'WarmNodes' }),
      masterNodes: Token.asNumber({ Ref: 'Masters' }), volumeIops: Token.asNumber({ Ref: 'Iops' }),
    })).toEqual([]);
  });

  test('reports every problem at once', () => {
    expect(errorsOf({ masterNodes: 4, dataNodes: 4, volumeIops: 2000 })).toEqual([
      at('masterNodes (4) must be one of 3, 5'),
      at('dataNodes (4) must be a multiple of the 3 availability zones of Multi-AZ with Standby (3)'),
      at('volumeIops (2000) must be a whole number between 3000 and 16000'),
    ]);
  });

  test.each<[string, Partial<OpenSearchClusterProps>, string]>([
    ['masterNodes other than 3 or 5', { masterNodes: 2 }, 'masterNodes (2) must be one of 3, 5'],
    ['standby with 2 AZs', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }), availabilityZoneCount: 2, dataNodes: 6 },
      'availabilityZoneCount (2) must be 3 when multiAzWithStandbyEnabled is true'],
    ['standby with data nodes not a multiple of 3', { dataNodes: 5 },
      'dataNodes (5) must be a multiple of the 3 availability zones of Multi-AZ with Standby (3)'],
    ['standby on Elasticsearch', { engineVersion: opensearch.EngineVersion.ELASTICSEARCH_7_10 },
      "engineVersion ('Elasticsearch_7.10') must be OpenSearch 1.3 or later when multiAzWithStandbyEnabled is true"],
    ['fewer data nodes than AZs', { multiAzWithStandbyEnabled: false, dataNodes: 2 },
      'dataNodes (2) must be at least 3 (one per availability zone, availabilityZoneCount is 3)'],
    ['an odd data node count with 2 AZs', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }), availabilityZoneCount: 2,
      multiAzWithStandbyEnabled: false, dataNodes: 3 }, 'dataNodes (3) must be a multiple of availabilityZoneCount (2)'],
    ['a single UltraWarm node', { multiAzWithStandbyEnabled: false, warmNodes: 1 }, 'warmNodes (1) must be at least 2'],
    ['a data node type as UltraWarm type', { warmNodes: 3, warmInstanceType: OpenSearchWarmInstanceType.of('r6g.large.search') },
      "warmInstanceType ('r6g.large.search') must be an UltraWarm instance type (ultrawarm<generation>.<size>.search, for example " +
      "'ultrawarm1.medium.search'): data node types cannot be warm nodes"],
    ['warm nodes not a multiple of the AZs with standby', { warmNodes: 2 },
      'warmNodes (2) must be a multiple of availabilityZoneCount with Multi-AZ with Standby (3)'],
    ['cold storage before Elasticsearch 7.9', { engineVersion: opensearch.EngineVersion.ELASTICSEARCH_7_7, multiAzWithStandbyEnabled: false,
      warmNodes: 2, coldStorageEnabled: true }, "engineVersion ('Elasticsearch_7.7') must be Elasticsearch 7.9 or later (or OpenSearch) when coldStorageEnabled is true"],
    ['a volume under 10 GiB', { volumeSize: Size.gibibytes(8) }, 'volumeSize (8) must be at least 10 GiB'],
    ['a fractional volume size', { volumeSize: Size.mebibytes(20 * 1024 + 512) }, "volumeSize ('20.5 GiB') must be a whole number of GiB"],
    ['gp3 IOPS above 16,000 on a small volume', { volumeSize: Size.gibibytes(1000), volumeIops: 20000 },
      'volumeIops (20000) must be a whole number between 3000 and 16000'],
    ['gp3 throughput above 1,000 MiB/s on a small volume', { volumeIops: 8000, volumeThroughput: 1200 },
      'volumeThroughput (1200) must be a whole number between 125 and 1000 MiB/s'],
    ['a new VPC with more zones than availabilityZoneCount', { network: AnalyticsNetwork.newVpc({ availabilityZones: [...AZS, 'us-east-1d'] }) },
      "network.availabilityZones (['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']) must list exactly availabilityZoneCount (3) zones"],
    ['a public endpoint open to the internet', { network: AnalyticsNetwork.publicEndpoint(['0.0.0.0/0']) },
      "network.allowedIpRanges ('0.0.0.0/0') must not allow the whole internet"],
    ['a public endpoint with something that is not a CIDR', { network: AnalyticsNetwork.publicEndpoint(['example.com']) },
      "network.allowedIpRanges ('example.com') must be IPv4 CIDR ranges such as 203.0.113.0/24"],
    ['a public endpoint without ranges', { network: AnalyticsNetwork.publicEndpoint([]) },
      'network.allowedIpRanges (0 entries) must have between 1 and 100 entries'],
    ['an internal master user name over 64 characters', { masterUser: OpenSearchMasterUser.internalUser('a'.repeat(65)) },
      `masterUser.username ('${'a'.repeat(65)}') must be 1 to 64 characters`],
  ])('fails %s', (_name, props, message) => {
    expect(errorsOf(props)).toEqual([at(message)]);
  });

  test('scales the gp3 IOPS and throughput limits with every started 3 TiB of volume', () => {
    const dataNodeInstanceType = 'r6g.4xlarge.search'; // gp3 up to 12 TiB
    expect(errorsOf({ dataNodeInstanceType, volumeSize: Size.gibibytes(6144), volumeIops: 32000, volumeThroughput: 2000 })).toEqual([]);
    expect(errorsOf({ dataNodeInstanceType, volumeSize: Size.gibibytes(6145), volumeIops: 32001 })).toEqual([]);
  });

  test('fails subnets of an existing VPC that are not one per AZ, or public', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: [...AZS, 'us-east-1d'] });
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: vpc.privateSubnets } }) });
    new OpenSearchCluster(stack, 'Public', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: vpc.publicSubnets.slice(0, 3) } }) });
    const twoGroups = new ec2.Vpc(stack, 'TwoGroups', { availabilityZones: AZS, subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'A', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'B', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] });
    const [a1, a2, , b1] = twoGroups.privateSubnets;
    new OpenSearchCluster(stack, 'TwoInOneZone', { network: AnalyticsNetwork.fromVpc(twoGroups, { subnets: { subnets: [a1, b1, a2] } }) });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([
      at('network.subnets (4 subnets in 4 zones) must select exactly one subnet in each of availabilityZoneCount (3) zones'),
      'Test/Public: network.subnets selects public subnets: the domain and the function that configures it belong in private or isolated subnets',
      'Test/TwoInOneZone: network.subnets (3 subnets in 2 zones) must select exactly one subnet in each of availabilityZoneCount (3) zones',
    ]);
  });

  test('warns, without failing, when data nodes are not a multiple of 3 AZs without standby', () => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), multiAzWithStandbyEnabled: false, dataNodes: 4 });
    expect(stack.node.findAll().flatMap(validationMessages)).toEqual([]);
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/^dataNodes \(4\) is not a multiple of availabilityZoneCount \(3\): /)]);
  });

  test.each<[string, Partial<OpenSearchClusterProps>, string[]]>([
    ['an invalid policy id', { indexLifecycles: [{ policyId: 'Logs/1', indexPatterns: ['logs-*'], deleteAfter: Duration.days(1) }] },
      ["indexLifecycles[0].policyId ('Logs/1') must be lowercase letters, digits, - and _, starting with a letter or digit, at most 64 characters (the id names the policy's resource and API path)"]],
    ['no index pattern', { indexLifecycles: [{ policyId: 'logs', indexPatterns: [], deleteAfter: Duration.days(1) }] },
      ['indexLifecycles[0].indexPatterns (0 entries) must have between 1 and 100 entries']],
    ['warmAfter without UltraWarm', { indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'], warmAfter: Duration.days(1) }] },
      ['indexLifecycles[0].warmAfter requires UltraWarm on the cluster (warmNodes greater than 0)']],
    ['coldAfter without cold storage or warmAfter', { warmNodes: 3, indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'], coldAfter: Duration.days(1) }] },
      ['indexLifecycles[0].coldAfter requires cold storage on the cluster (coldStorageEnabled: true)',
        'indexLifecycles[0].coldAfter requires warmAfter as well: indexes move to cold storage from UltraWarm']],
    ['deleteAfter not after warmAfter', { warmNodes: 3, indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'], warmAfter: Duration.days(30), deleteAfter: Duration.days(30) }] },
      ['indexLifecycles[0].deleteAfter (30 days) must be longer than warmAfter (30 days): the states follow each other and every age counts from the same start']],
    ['an age in minutes', { indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'], deleteAfter: Duration.minutes(90) }] },
      ['indexLifecycles[0].deleteAfter (1 hour 30 minutes) must be a whole number of hours, at least 1 hour: the policy states ages in hours']],
    ['a rollover without conditions', { indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'], rollover: {} }] },
      ['indexLifecycles[0].rollover must set at least one of minPrimaryShardSize, minIndexAge, minDocCount: it is when the hot index rolls over']],
    ['a policy that does nothing', { indexLifecycles: [{ policyId: 'logs', indexPatterns: ['l-*'] }] },
      ['indexLifecycles[0] must set at least one of rollover, warmAfter, coldAfter, deleteAfter: the policy would do nothing']],
    ['two policies with one id', { indexLifecycles: [
      { policyId: 'logs', indexPatterns: ['a-*'], deleteAfter: Duration.days(1) },
      { policyId: 'logs', indexPatterns: ['b-*'], deleteAfter: Duration.days(1) },
    ] }, ["indexLifecycles[1].policyId ('logs') must be unique within the cluster"]],
  ])('fails a lifecycle with %s', (_name, props, messages) => {
    expect(errorsOf(props)).toEqual(messages.map(at));
  });
});
