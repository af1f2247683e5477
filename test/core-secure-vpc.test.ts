import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecureVpc, SecureVpcProps } from '../lib/core/secure-vpc';
import { TEST_ENV, testStack } from './util/app';
import { nagAcknowledgments, nagFindings } from './util/nag';

const AZS = ['us-east-1a', 'us-east-1b'];

function build(props: Partial<SecureVpcProps> = {}, stack: Stack = testStack()): { stack: Stack; net: SecureVpc; template: () => Template } {
  const net = new SecureVpc(stack, 'Net', {
    purpose: 'the test network',
    cidr: '10.1.0.0/16',
    availabilityZones: AZS,
    subnetName: 'Work',
    subnetCidrMask: 24,
    flowLogEncryptionKey: new kms.Key(stack, 'Key'),
    removalPolicy: RemovalPolicy.RETAIN,
    ...props,
  });
  return { stack, net, template: () => Template.fromStack(stack) };
}

describe('SecureVpc', () => {
  describe('defaults', () => {
    let stack: Stack;
    let net: SecureVpc;
    let template: Template;
    beforeAll(() => {
      ({ stack, net } = build());
      template = Template.fromStack(stack);
    });

    test('isolated subnets only, in the given zones, no NAT or internet gateway', () => {
      template.resourceCountIs('AWS::EC2::Subnet', 2);
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'us-east-1a', CidrBlock: '10.1.0.0/24', MapPublicIpOnLaunch: false });
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'us-east-1b' });
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      expect(net.vpc.isolatedSubnets).toHaveLength(2);
    });

    test('closes the default security group', () => {
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    });

    test('logs all traffic to an encrypted log group kept one year, through a role with a managed policy only', () => {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Key').node.defaultChild as kms.CfnKey), 'Arn'] },
      });
      const policyId = stack.getLogicalId(net.flowLogRole.policy.node.defaultChild as iam.CfnManagedPolicy);
      template.hasResource('AWS::EC2::FlowLog', {
        Properties: {
          ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs',
          DeliverLogsPermissionArn: { 'Fn::GetAtt': [stack.getLogicalId(net.flowLogRole.node.defaultChild as iam.CfnRole), 'Arn'] },
        },
        DependsOn: Match.arrayWith([policyId]),
      });
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: { Statement: [Match.objectLike({
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(net.flowLogGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
        })] },
      });
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('adds an S3 gateway endpoint and no interface endpoint or endpoint security group', () => {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    });

    test('acknowledges W3010 on each subnet, and nothing else', () => {
      expect(nagAcknowledgments(net)).toEqual([
        'Vpc/WorkSubnet1/Subnet CloudFormation-Validate::W3010',
        'Vpc/WorkSubnet2/Subnet CloudFormation-Validate::W3010',
      ]);
    });
  });

  test('with NAT: public subnets that hold the NAT gateways and assign no public IP, private subnets with egress', () => {
    const { net, template } = build({ natGateways: 1, subnetCidrMask: 20 });
    const t = template();
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::Subnet', 4);
    t.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.1.0.0/26', MapPublicIpOnLaunch: false });
    expect(net.vpc.privateSubnets).toHaveLength(2);
    expect(net.vpc.isolatedSubnets).toHaveLength(0);
    expect(nagAcknowledgments(net).filter(a => a.endsWith('W3010'))).toHaveLength(4);
    // The NAT subnets' route to the internet gateway is what a NAT gateway needs: acknowledged on each route only.
    expect(nagAcknowledgments(net).filter(a => a.includes('VPCNoUnrestrictedRouteToIGW'))).toEqual([
      'Vpc/NatSubnet1/DefaultRoute HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'Vpc/NatSubnet1/DefaultRoute NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'Vpc/NatSubnet1/DefaultRoute PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
      'Vpc/NatSubnet2/DefaultRoute HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'Vpc/NatSubnet2/DefaultRoute NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'Vpc/NatSubnet2/DefaultRoute PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
    ]);
  });

  test('with no props at all (public use): 10.0.0.0/16, isolated /20 subnets, its own rotating key for the flow logs, RETAIN, and no nag finding', () => {
    class TwoAzStack extends Stack {
      public override get availabilityZones(): string[] {
        return ['us-east-1a', 'us-east-1b'];
      }
    }
    const stack = new TwoAzStack(new App({ builtinCloudFormationValidation: false }), 'Public', { env: TEST_ENV });
    const net = new SecureVpc(stack, 'Net');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    t.resourceCountIs('AWS::EC2::Subnet', 2);
    t.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.0.0.0/20', AvailabilityZone: 'us-east-1a' });
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })]) },
    });
    t.hasResourceProperties('AWS::IAM::Role', { Description: 'Delivers the VPC flow logs of Public/Net' });
    expect(nagFindings(stack)).toEqual([]);
    expect(net.vpc.isolatedSubnets).toHaveLength(2);
  });

  test('without given zones, takes maxAzs of the stack\'s zones', () => {
    class ThreeAzStack extends Stack {
      public override get availabilityZones(): string[] {
        return ['us-east-1a', 'us-east-1b', 'us-east-1c'];
      }
    }
    const { net } = build({ availabilityZones: undefined }, new ThreeAzStack(new App(), 'S', { env: TEST_ENV }));
    expect(net.vpc.availabilityZones).toEqual(AZS);
  });

  test('interface endpoints share one security group: HTTPS in from the allowed peers, nothing out', () => {
    const { net, stack, template } = build({ flowLogRetention: logs.RetentionDays.ONE_MONTH, s3GatewayEndpoint: false });
    net.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
    net.addInterfaceEndpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS);
    net.allowEndpointAccessFrom(ec2.Peer.ipv4('10.1.0.0/16'), 'HTTPS from the VPC');
    const t = template();
    const sgId = stack.getLogicalId(net.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    t.allResourcesProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }],
    });
    t.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'VPC interface endpoints of the test network: HTTPS only',
      SecurityGroupIngress: [{ CidrIp: '10.1.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from the VPC' }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});
