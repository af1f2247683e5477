import { App, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { S3EndpointAccess } from '../../lib/core/endpoint-policies';
import { allowLogsToUseKey } from '../../lib/core/logs-key-policy';
import { flattenCfnReference } from '../../lib/core/nag';
import { SecureVpc, SecureVpcProps } from '../../lib/core/secure-vpc';
import { TEST_ENV, testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';

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

describe('SecureVpc endpoint policies', () => {
  let stack: Stack;
  let net: SecureVpc;
  let template: Template;
  let sts: ec2.InterfaceVpcEndpoint;
  let open: ec2.InterfaceVpcEndpoint;
  let extra: ec2.InterfaceVpcEndpoint;
  const policyOf = (endpoint: ec2.InterfaceVpcEndpoint | ec2.GatewayVpcEndpoint) =>
    template.findResources('AWS::EC2::VPCEndpoint')[stack.getLogicalId(endpoint.node.defaultChild as ec2.CfnVPCEndpoint)].Properties.PolicyDocument;
  const readOnlyGlue = new iam.PolicyStatement({
    sid: 'ReadCatalog', principals: [new iam.StarPrincipal()], actions: ['glue:GetTable'], resources: ['*'],
  });
  beforeAll(() => {
    ({ stack, net } = build());
    sts = net.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
    open = net.addInterfaceEndpoint('Glue', ec2.InterfaceVpcEndpointAwsService.GLUE, { principalsOfThisAccountOnly: false, policyStatements: [readOnlyGlue] });
    extra = net.addInterfaceEndpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS, { policyStatements: [readOnlyGlue] });
    template = Template.fromStack(stack);
  });

  test('the S3 gateway endpoint admits only buckets of this account (aws:ResourceAccount)', () => {
    expect(policyOf(net.s3Endpoint!)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'BucketsOfThisAccount', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
      }],
    });
  });

  test('interface endpoints admit only principals of this account (aws:PrincipalAccount), unless told otherwise', () => {
    const thisAccountOnly = {
      Sid: 'PrincipalsOfThisAccount', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    };
    const glue = { Sid: 'ReadCatalog', Effect: 'Allow', Principal: '*', Action: 'glue:GetTable', Resource: '*' };
    expect(policyOf(sts).Statement).toEqual([thisAccountOnly]);
    expect(policyOf(open).Statement).toEqual([glue]);
    expect(policyOf(extra).Statement).toEqual([thisAccountOnly, glue]);
  });

  test('the S3 endpoint admits only the given buckets, plus the statements passed (the EMR repositories)', () => {
    const s = testStack();
    const lake = new s3.Bucket(s, 'Lake');
    const { net: n } = build({ s3EndpointBuckets: [lake], s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(s) }, s);
    const doc = s.resolve((n.s3Endpoint!.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument);
    const flat = (r: unknown) => ([] as unknown[]).concat(r).map(flattenCfnReference);
    expect(doc.Statement.map((st: { Sid: string }) => st.Sid)).toEqual(['GivenBuckets', 'EmrAmazonLinuxAndEmrRepositories', 'EmrSystemLogs', 'EmrPersistentApplicationUi']);
    expect(flat(doc.Statement[0].Resource)).toEqual([`<${s.getLogicalId(lake.node.defaultChild as s3.CfnBucket)}.Arn>`, `<${s.getLogicalId(lake.node.defaultChild as s3.CfnBucket)}.Arn>/*`]);
    // The buckets of the EMR private-subnet guide (https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html).
    expect(flat(doc.Statement[1].Resource)).toEqual(expect.arrayContaining([
      'arn:<AWS::Partition>:s3:::al2023-repos-us-east-1-de612dc2/*',
      'arn:<AWS::Partition>:s3:::amazonlinux-2-repos-us-east-1/*',
      'arn:<AWS::Partition>:s3:::repo.us-east-1.emr.amazonaws.com/*',
    ]));
    expect(doc.Statement[1].Action).toBe('s3:GetObject');
    expect(flat(doc.Statement[2].Resource).sort()).toEqual(['arn:<AWS::Partition>:s3:::aws157-logs-prod-us-east-1/*', 'arn:<AWS::Partition>:s3:::aws157-logs-prod/*']);
  });

  test('without the S3 gateway endpoint there is no endpoint to hold a policy', () => {
    const { net: n } = build({ s3GatewayEndpoint: false });
    expect(n.s3Endpoint).toBeUndefined();
  });

  test('fails an empty bucket list, and endpoint policy props without the endpoint', () => {
    const s = testStack();
    build({ s3EndpointBuckets: [] }, s);
    new SecureVpc(s, 'Off', {
      availabilityZones: AZS, cidr: '10.2.0.0/16', s3GatewayEndpoint: false, s3EndpointBuckets: [new s3.Bucket(s, 'B')], s3EndpointPolicyStatements: [],
    });
    expect(s.node.findAll().flatMap(validationMessages)).toEqual([
      'Test/Net: s3EndpointBuckets ([]) must list at least one bucket (leave it unset to admit every bucket of this account)',
      'Test/Off: s3EndpointBuckets requires s3GatewayEndpoint (the endpoint they scope)',
      'Test/Off: s3EndpointPolicyStatements requires s3GatewayEndpoint (the endpoint they extend)',
    ]);
  });
});

interface KeyStatement {
  readonly Sid?: string;
  readonly Condition?: unknown;
}

describe('SecureVpc flow logs: trust and key', () => {
  test('only the flow logs of this account may assume the role (aws:SourceAccount, aws:SourceArn)', () => {
    const { net, stack, template } = build();
    const t = template();
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })) },
          },
        }],
      },
    });
    expect(stack.resolve(stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' })))
      .toBe('arn:aws:ec2:us-east-1:111111111111:vpc-flow-log/*');
    expect(stack.resolve(net.flowLogRole.assumeRolePolicy!.statementCount)).toBe(1);
  });

  test('a key of the app that is passed gets the CloudWatch Logs statement, scoped by the encryption context', () => {
    const { stack, template } = build();
    template().hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowCloudWatchLogsOfThisAccount',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.resolve(stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })) } },
      })]) },
    });
  });

  test('with a named log group, the statement admits that log group only; a key already scoped to it gets no second one', () => {
    const s = testStack();
    const fresh = new kms.Key(s, 'Fresh');
    build({ flowLogGroupName: '/vpc/net', flowLogEncryptionKey: fresh }, s);
    const scoped = new kms.Key(s, 'Scoped');
    allowLogsToUseKey(scoped, { sid: 'MyOwnScope', logGroupArns: [s.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/vpc/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })] });
    new SecureVpc(s, 'Other', { availabilityZones: AZS, cidr: '10.2.0.0/16', flowLogGroupName: '/vpc/other', flowLogEncryptionKey: scoped });
    const logsStatements = (key: kms.Key) => (s.resolve((key.node.defaultChild as kms.CfnKey).keyPolicy).Statement as KeyStatement[])
      .filter(st => JSON.stringify(st).includes('logs.us-east-1'));
    expect(logsStatements(fresh)).toEqual([expect.objectContaining({
      Sid: expect.stringMatching(/^AllowCloudWatchLogsForTestNetFlowLogs/),
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [s.resolve(s.formatArn({
        service: 'logs', resource: 'log-group', resourceName: '/vpc/net', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }))] } },
    })]);
    expect(logsStatements(scoped).map(st => st.Sid)).toEqual(['MyOwnScope']);
  });

  test('warns at synth when the key is imported, naming the key and the statement it must carry', () => {
    const s = testStack();
    const imported = kms.Key.fromKeyArn(s, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000');
    build({ flowLogGroupName: '/vpc/net', flowLogEncryptionKey: imported }, s);
    const warnings = Annotations.fromStack(s).findWarning('/Test/Net', Match.stringLikeRegexp('logsKeyPolicyNotVerified'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('The log group /vpc/net is encrypted with the key arn:aws:kms:us-east-1:111111111111:key/00000000-0000-0000-0000-000000000000, ' +
      'which this app did not create');
    expect(warnings[0].entry.data).toContain('{"Effect":"Allow","Principal":{"Service":"logs.us-east-1.amazonaws.com"},' +
      '"Action":["kms:Encrypt*","kms:Decrypt*","kms:ReEncrypt*","kms:GenerateDataKey*","kms:Describe*"],"Resource":"*",' +
      '"Condition":{"ArnLike":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:us-east-1:111111111111:log-group:/vpc/net"}}}');
  });

  test('no warning for a key the construct creates or a key of the app', () => {
    const { stack } = build();
    new SecureVpc(stack, 'OwnKey', { availabilityZones: AZS, cidr: '10.2.0.0/16' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('logsKeyPolicyNotVerified'))).toEqual([]);
  });
});
