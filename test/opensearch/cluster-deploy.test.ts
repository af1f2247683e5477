import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';

import { AnalyticsNetwork, OpenSearchCluster, OpenSearchMasterUser, SecureVpc } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** What the first deployment in a real account needs from the template, beyond the REST calls. */
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const logicalId = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as never);
const errors = (stack: Stack) => stack.node.findAll().flatMap(validationMessages);

describe('a VPC the user brings', () => {
  test('a shared isolated-only SecureVpc works: isolated subnets, and the function reaches STS and S3 through endpoints', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS });
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(shared.vpc) });
    expect(errors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    const domain = template.findResources('AWS::OpenSearchService::Domain')[logicalId(stack, search.domain)];
    expect(domain.Properties.VPCOptions.SubnetIds).toEqual(shared.vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId)));
    // The VPC's S3 gateway endpoint is reused; STS gets an interface endpoint open to the function only.
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-1.sts', VpcEndpointType: 'Interface', PrivateDnsEnabled: true,
      SubnetIds: shared.vpc.isolatedSubnets.map(s => stack.resolve(s.subnetId)),
    });
    const fnSg = search.node.findChild('IsmPolicyFunction').node.findChild('SecurityGroup') as ec2.SecurityGroup;
    const endpointSg = search.node.findChild('EndpointSecurityGroup') as ec2.SecurityGroup;
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(endpointSg.securityGroupId), SourceSecurityGroupId: stack.resolve(fnSg.securityGroupId), FromPort: 443, ToPort: 443,
    });
  });

  test('reuses an STS endpoint the VPC already has and lets the function through its security group', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS });
    shared.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(shared.vpc) });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 1);
    const fnSg = search.node.findChild('IsmPolicyFunction').node.findChild('SecurityGroup') as ec2.SecurityGroup;
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(shared.endpointSecurityGroup.securityGroupId), SourceSecurityGroupId: stack.resolve(fnSg.securityGroupId), FromPort: 443,
    });
  });

  test('an imported VPC with isolated subnets: warns and names the endpoints the function needs', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1', availabilityZones: AZS, isolatedSubnetIds: ['subnet-1', 'subnet-2', 'subnet-3'],
      isolatedSubnetRouteTableIds: ['rtb-1', 'rtb-2', 'rtb-3'],
    });
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(vpc) });
    expect(errors(stack)).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/Test/Search', Match.stringLikeRegexp(
      'the configuration function reaches s3, sts only if the VPC has endpoints for them'));
  });

  test('fails a VPC without private subnets, naming what it has', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }] });
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(vpc) });
    expect(errors(stack)).toEqual([
      'Test/Search: network.vpc has no private or isolated subnets (it has: public); the domain belongs in private subnets',
    ]);
  });
});

describe('first use in an account', () => {
  test('creates the OpenSearch service-linked role on request, before the domain, kept on delete but not after a failed create', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), createServiceLinkedRole: true });
    const template = Template.fromStack(stack);
    const slr = Object.entries(template.findResources('AWS::IAM::ServiceLinkedRole'));
    expect(slr).toEqual([[expect.any(String), expect.objectContaining({
      Properties: expect.objectContaining({ AWSServiceName: 'opensearchservice.amazonaws.com' }),
      DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain',
    })]]);
    expect(template.findResources('AWS::OpenSearchService::Domain')[logicalId(stack, search.domain)].DependsOn).toContain(slr[0][0]);
  });

  test('creates no service-linked role unless asked (creating an existing one fails)', () => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }) });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
  });

  test('reserves Lambda concurrency only when asked, and then needs no acknowledgment', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), lifecycleFunctionReservedConcurrency: 5 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5, Timeout: 300 });
    const fn = search.node.findChild('IsmPolicyFunction').node.findChild('Function').node.defaultChild as never;
    expect(JSON.stringify(Stack.of(search).resolve((fn as { getMetadata(k: string): unknown }).getMetadata('cdk_nag')))).not.toContain('LambdaConcurrency');
  });
});

describe('master user and key', () => {
  test('a master role the cluster creates for named administrators trusts them and the function, not the account', () => {
    const stack = testStack();
    const admin = iam.Role.fromRoleArn(stack, 'Admin', 'arn:aws:iam::111111111111:role/SearchAdmins');
    const search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), masterUser: OpenSearchMasterUser.iamRoleAssumableBy([admin]),
    });
    const role = Template.fromStack(stack).findResources('AWS::IAM::Role')[logicalId(stack, search.masterUserRole as iam.Role)];
    const statements = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toEqual([expect.objectContaining({ Action: 'sts:AssumeRole', Effect: 'Allow' })]);
    expect(statements[0].Principal.AWS).toHaveLength(2);
    expect(statements[0].Principal.AWS).toEqual(expect.arrayContaining([
      { 'Fn::GetAtt': [logicalId(stack, search.lifecycleFunctionRole as iam.Role), 'Arn'] }, 'arn:aws:iam::111111111111:role/SearchAdmins',
    ]));
  });

  test('passes an allowed key change to the key guard', () => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), allowEncryptionKeyChange: true });
    Template.fromStack(stack).hasResourceProperties('Custom::OpenSearchKeyGuard', { AllowKeyChange: 'true', ServiceTimeout: '360' });
  });
});

describe('alarms', () => {
  test('alarm thresholds the user sets reach the alarms; old-generation JVM alarms only where the engine reports them', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }), engineVersion: opensearch.EngineVersion.ELASTICSEARCH_7_10,
      multiAzWithStandbyEnabled: false,
      alarmThresholds: { cpuUtilizationPercent: 70, threadpoolWriteQueue: 50, http5xxPercent: 5 },
    });
    expect(search.monitoring.alarms.map(a => a.node.id)).not.toContain('OldGenJVMMemoryPressure');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 70 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ThreadpoolWriteQueue', Threshold: 50, Statistic: 'Average' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5, Metrics: Match.arrayWith([Match.objectLike({ Expression: '100 * errors / requests' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'DIFF(rejected)' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ThreadpoolWriteRejected' }), Stat: 'Sum' }) })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MasterReachableFromNode', Threshold: 1, ComparisonOperator: 'LessThanThreshold', Period: 86400, Statistic: 'Maximum',
    });
  });
});
