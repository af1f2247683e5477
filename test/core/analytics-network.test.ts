import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';

import {
  AnalyticsNetwork, EmrCluster, FlinkApplication, FlinkApplicationCode, FlinkInput, GlueEtlPipeline, OpenSearchCluster, RedshiftWarehouse,
  S3EndpointAccess, SecureVpc,
} from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** The one network type, on every construct that has a network. */
const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const errors = (stack: Stack) => stack.node.findAll().flatMap(validationMessages);

describe('OpenSearchCluster', () => {
  test('newVpc takes a CIDR and NAT gateways: the domain goes into the private subnets with egress, and the endpoint rule follows the CIDR', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS, cidr: '10.8.0.0/16', natGateways: 1 }),
    });
    expect(errors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.8.0.0/16' });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.8.0.0/16', FromPort: 443 })]),
    });
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0];
    expect(domain.Properties.VPCOptions.SubnetIds).toEqual(search.vpc!.privateSubnets.map(s => stack.resolve(s.subnetId)));
    expect(search.connections.securityGroups).toEqual([search.securityGroup]);
  });

  test('fromVpc with a security group: the domain uses it, and the configuration function gets HTTPS to it', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc: shared.vpc, allowAllOutbound: false });
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.fromVpc(shared.vpc, { securityGroup: group }) });
    expect(errors(stack)).toEqual([]);
    expect(search.securityGroup).toBe(group);
    expect(search.node.tryFindChild('SecurityGroup')).toBeUndefined();
    const template = Template.fromStack(stack);
    const domain = Object.values(template.findResources('AWS::OpenSearchService::Domain'))[0];
    expect(domain.Properties.VPCOptions.SecurityGroupIds).toEqual([stack.resolve(group.securityGroupId)]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(group.securityGroupId), FromPort: 443, Description: 'Configuration function to the domain REST API',
    });
  });

  test('a public endpoint has no connections: reading them throws, naming the network', () => {
    const stack = testStack();
    const search = new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) });
    expect(search.vpc).toBeUndefined();
    expect(() => search.connections).toThrow(/connections are only available for a domain in a VPC \(network is AnalyticsNetwork.publicEndpoint\)/);
  });

  test.each([
    ['a CIDR too small for the subnets', { cidr: '10.0.0.0/24' },
      "Test/Search: network.cidr ('10.0.0.0/24') must be an IPv4 CIDR block with a prefix length between /16 and /20 (3 /22 subnets)"],
    ['a CIDR that is not one', { cidr: '10.0.0/16' },
      "Test/Search: network.cidr ('10.0.0/16') must be an IPv4 CIDR block with a prefix length between /16 and /20 (3 /22 subnets)"],
    ['more NAT gateways than zones', { natGateways: 4 }, 'Test/Search: network.natGateways (4) must be a whole number between 0 and 3'],
  ])('newVpc rejects %s', (_name, extra, message) => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', { network: AnalyticsNetwork.newVpc({ availabilityZones: AZS, ...extra }) });
    expect(errors(stack)).toContain(message);
  });
});

describe('EmrCluster', () => {
  test('newVpc without NAT: isolated subnets, tagged, with the KMS and Glue endpoints the nodes need, and no error', () => {
    const stack = testStack();
    const cluster = new EmrCluster(stack, 'Cluster', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2), natGateways: 0, cidr: '10.9.0.0/16' }),
    });
    expect(errors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.9.0.0/16' });
    for (const service of ['kms', 'glue']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: `com.amazonaws.us-east-1.${service}`, VpcEndpointType: 'Interface' });
    }
    const emr = Object.values(template.findResources('AWS::EMR::Cluster'))[0];
    expect(emr.Properties.Instances.Ec2SubnetId).toEqual(stack.resolve(cluster.vpc.isolatedSubnets[0].subnetId));
    template.hasResourceProperties('AWS::EC2::Subnet', {
      Tags: Match.arrayWith([{ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' }]),
    });
    expect(cluster.securityGroup).toBe(cluster.primarySecurityGroup);
    expect(cluster.connections.securityGroups).toEqual([cluster.primarySecurityGroup]);
  });

  test('fromVpc with a security group: attached to every node next to the EMR-managed groups, and tagged for the managed policy', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', {
      availabilityZones: AZS.slice(0, 2), natGateways: 1, s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(stack),
    });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc: shared.vpc });
    new EmrCluster(stack, 'Cluster', { network: AnalyticsNetwork.fromVpc(shared.vpc, { subnets: shared.workloadSubnets, securityGroup: group }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EMR::Cluster', { Instances: Match.objectLike({
      AdditionalMasterSecurityGroups: [stack.resolve(group.securityGroupId)],
      AdditionalSlaveSecurityGroups: [stack.resolve(group.securityGroupId)],
    }) });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Test/Mine', Tags: Match.arrayWith([{ Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' }]),
    });
  });
});

describe('RedshiftWarehouse', () => {
  test('fromVpc with subnets and a security group: the subnet group takes the subnets, the cluster the group, which keeps no DeletionPolicy', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS.slice(0, 2), natGateways: 1 });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc: shared.vpc });
    const warehouse = new RedshiftWarehouse(stack, 'Wh', {
      network: AnalyticsNetwork.fromVpc(shared.vpc, { subnets: shared.workloadSubnets, securityGroup: group }),
    });
    expect(errors(stack)).toEqual([]);
    expect(warehouse.securityGroup).toBe(group);
    expect(warehouse.connections.securityGroups).toEqual([group]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Redshift::ClusterSubnetGroup', {
      SubnetIds: shared.vpc.privateSubnets.map(s => stack.resolve(s.subnetId)),
    });
    template.hasResourceProperties('AWS::Redshift::Cluster', { VpcSecurityGroupIds: [stack.resolve(group.securityGroupId)] });
    // Only the user's: the warehouse creates none.
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    const mine = template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'Test/Mine' } });
    expect(Object.values(mine)[0].DeletionPolicy).toBeUndefined();
  });

  test('newVpc with NAT: private subnets with egress for the cluster', () => {
    const stack = testStack();
    const warehouse = new RedshiftWarehouse(stack, 'Wh', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2), natGateways: 1, cidr: '10.41.0.0/16' }),
    });
    expect(errors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.41.0.0/16' });
    template.hasResourceProperties('AWS::Redshift::ClusterSubnetGroup', {
      SubnetIds: warehouse.vpc.privateSubnets.map(s => stack.resolve(s.subnetId)),
    });
  });
});

describe('GlueEtlPipeline', () => {
  test('fromVpc with subnets and a security group: the connection takes the first subnet and the group, which the pipeline exposes', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS.slice(0, 2), natGateways: 1 });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc: shared.vpc });
    const etl = new GlueEtlPipeline(stack, 'Etl', {
      network: AnalyticsNetwork.fromVpc(shared.vpc, { subnets: shared.workloadSubnets, securityGroup: group }),
      connection: { connectionName: 'lake-network' },
    });
    expect(errors(stack)).toEqual([]);
    expect(etl.vpc).toBe(shared.vpc);
    expect(etl.securityGroup).toBe(group);
    expect(etl.connections.securityGroups).toEqual([group]);
    expect(etl.network.subnet).toBe(shared.vpc.privateSubnets[0]);
    Template.fromStack(stack).hasResourceProperties('AWS::Glue::Connection', { ConnectionInput: Match.objectLike({
      Name: 'lake-network',
      PhysicalConnectionRequirements: Match.objectLike({
        SubnetId: stack.resolve(shared.vpc.privateSubnets[0].subnetId), SecurityGroupIdList: [stack.resolve(group.securityGroupId)],
      }),
    }) });
  });

  test('newVpc with NAT: the connection is in a private subnet with egress, and the CIDR is the given one', () => {
    const stack = testStack();
    const etl = new GlueEtlPipeline(stack, 'Etl', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2), cidr: '10.50.0.0/16', natGateways: 1 }),
    });
    expect(errors(stack)).toEqual([]);
    expect(etl.vpc.privateSubnets).toContain(etl.network.subnet);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.50.0.0/16' });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });
});

describe('FlinkApplication', () => {
  const app = (stack: Stack, network?: AnalyticsNetwork) => new FlinkApplication(stack, 'App', {
    code: FlinkApplicationCode.fromAsset(__filename), input: FlinkInput.fromStream(new kinesis.Stream(stack, 'Clicks')), network,
  });

  test('newVpc: isolated subnets with the endpoints the application calls, open to its security group only', () => {
    const stack = testStack();
    const flink = app(stack, AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }));
    expect(errors(stack)).toEqual([]);
    const template = Template.fromStack(stack);
    for (const service of ['kinesis-streams', 'logs', 'monitoring']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: `com.amazonaws.us-east-1.${service}`, VpcEndpointType: 'Interface' });
    }
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', { ApplicationConfiguration: Match.objectLike({
      VpcConfigurations: [{
        SubnetIds: flink.vpc!.isolatedSubnets.map(s => stack.resolve(s.subnetId)),
        SecurityGroupIds: [stack.resolve(flink.securityGroup!.securityGroupId)],
      }],
    }) });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443, SourceSecurityGroupId: stack.resolve(flink.securityGroup!.securityGroupId), Description: 'The Flink application',
    });
    expect(flink.connections.securityGroups).toEqual([flink.securityGroup]);
  });

  test('fromVpc with a security group: the application uses it; without a network there is no VPC and no connections', () => {
    const stack = testStack();
    const shared = new SecureVpc(stack, 'Shared', { availabilityZones: AZS.slice(0, 2), natGateways: 1 });
    const group = new ec2.SecurityGroup(stack, 'Mine', { vpc: shared.vpc });
    const flink = app(stack, AnalyticsNetwork.fromVpc(shared.vpc, { securityGroup: group }));
    expect(flink.securityGroups).toEqual([group]);
    expect(flink.node.tryFindChild('SecurityGroup')).toBeUndefined();
    const plain = app(testStack());
    expect(plain.vpc).toBeUndefined();
    expect(() => plain.connections).toThrow(/connections are only available for an application in a VPC/);
  });
});
