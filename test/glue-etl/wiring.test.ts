/**
 * What the Glue pipeline does with what the user brings: a VPC (with or without a route out), a security group, a
 * lake bucket (events to EventBridge, lifecycle of Glue's scratch prefixes), and the policies of the endpoints and
 * the EventBridge role it creates.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import { AnalyticsNetwork, DataBucket, GlueConnectionOptions, GlueEtlPipeline, GlueEtlPipelineProps, GlueNetwork, GlueWorkflowStart } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** A CloudFormation JSON fragment. */
type Cfn = ReturnType<Template['toJSON']>;

function errorsIn(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(validationMessages);
}

function warningsIn(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => `${c.node.path}: ${m.data}`));
}

/** A VPC of this app: isolated subnets only, or private subnets behind one NAT gateway. */
/** A test stack whose zones are known: ec2.Vpc checks given zones against the stack's, a lookup in a stack with an env. */
function zonedStack(): Stack {
  const stack = testStack();
  stack.node.setContext('availability-zones:account=111111111111:region=us-east-1', ['us-east-1a', 'us-east-1b']);
  return stack;
}

function appVpc(stack: Stack, nat: boolean): ec2.Vpc {
  return new ec2.Vpc(stack, 'AppVpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: nat ? 1 : 0,
    subnetConfiguration: nat
      ? [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }, { name: 'priv', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }]
      : [{ name: 'iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/** The service names (last part) of the interface endpoints in `template`. */
function interfaceServices(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
    .map(r => r.Properties.ServiceName.split('.').pop()).sort();
}

function gatewayEndpoints(template: Template): Cfn[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint')).filter(r => r.Properties.VpcEndpointType !== 'Interface');
}

/** A GlueNetwork in `vpc` (with `securityGroup`), with the given connection options. */
function network(stack: Stack, props: GlueConnectionOptions & { vpc: ec2.IVpc; securityGroup?: ec2.ISecurityGroup }): GlueNetwork {
  const { vpc, securityGroup, ...connection } = props;
  return new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(vpc, { securityGroup }), ...connection });
}

const NAT_WARNING = 'cdk-analytics-blueprints:glueInterfaceEndpointsNotCreated';

describe('GlueNetwork in a VPC the user brings', () => {
  test('adds no endpoint and gives no NAT warning when the connection subnet has a route out (a VPC with NAT)', () => {
    const stack = zonedStack();
    const net = network(stack, { vpc: appVpc(stack, true) });
    const template = Template.fromStack(stack);
    expect(net.interfaceEndpoints).toEqual([]);
    expect(gatewayEndpoints(template)).toEqual([]);
    expect(warningsIn(stack).filter(w => w.includes(NAT_WARNING))).toEqual([]);
    expect(errorsIn(stack)).toEqual([]);
  });

  test('gives no NAT warning for an imported VPC whose connection subnet is declared private (with egress)', () => {
    const stack = zonedStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'],
      privateSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    network(stack, { vpc });
    expect(warningsIn(stack).filter(w => w.includes(NAT_WARNING))).toEqual([]);
  });

  test('warns, naming the subnet, when an imported VPC connects through an isolated subnet whose endpoints it cannot see', () => {
    const stack = zonedStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
      isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    network(stack, { vpc });
    expect(warningsIn(stack).filter(w => w.includes(NAT_WARNING))).toEqual([
      'Test/Net: subnet subnet-0123456789abcdef0 has no route out (isolated) and the VPC is imported, so the construct cannot see its ' +
      'endpoints: Glue jobs there reach S3 only through an S3 gateway endpoint on its route table, and Glue, CloudWatch Logs, CloudWatch ' +
      'and KMS only through interface endpoints. Set s3GatewayEndpoint and interfaceEndpoints to true to add them, or acknowledge this ' +
      `warning if they exist [ack: ${NAT_WARNING}]`,
    ]);
  });

  test('adds the endpoints an isolated subnet of a VPC of this app lacks, only those', () => {
    const stack = zonedStack();
    const vpc = appVpc(stack, false);
    vpc.addInterfaceEndpoint('Glue', { service: ec2.InterfaceVpcEndpointAwsService.GLUE });
    network(stack, { vpc });
    const template = Template.fromStack(stack);
    expect(interfaceServices(template)).toEqual(['glue', 'kms', 'logs', 'monitoring']);
    expect(gatewayEndpoints(template)).toHaveLength(1);
    expect(errorsIn(stack)).toEqual([]);
    expect(warningsIn(stack).filter(w => w.includes(NAT_WARNING))).toEqual([]);
  });

  test('adds no second S3 gateway endpoint to a route table that has one', () => {
    const stack = zonedStack();
    const vpc = appVpc(stack, false);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    network(stack, { vpc });
    expect(gatewayEndpoints(Template.fromStack(stack))).toHaveLength(1);
    expect(errorsIn(stack)).toEqual([]);
  });

  test('fails, naming the subnet and what is missing, when told not to add the endpoints an isolated subnet of this app needs', () => {
    const stack = zonedStack();
    const vpc = appVpc(stack, false);
    vpc.addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS });
    network(stack, { vpc, s3GatewayEndpoint: false, interfaceEndpoints: false });
    expect(errorsIn(stack)).toEqual([
      'Test/Net: s3GatewayEndpoint (false) leaves subnet Test/AppVpc/isoSubnet1 without a way to S3: it has no route out and ' +
      'no S3 gateway endpoint on its route table; set s3GatewayEndpoint to true or add one',
      'Test/Net: interfaceEndpoints (false) leaves subnet Test/AppVpc/isoSubnet1 without a way to Glue, CloudWatch Logs, ' +
      'CloudWatch: it has no route out and the VPC has no interface endpoint for them; set interfaceEndpoints to true or add them',
    ]);
  });

  test('fails when s3GatewayEndpoint would add a second S3 gateway endpoint to the route table', () => {
    const stack = zonedStack();
    const vpc = appVpc(stack, false);
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    network(stack, { vpc, s3GatewayEndpoint: true });
    expect(errorsIn(stack)).toEqual([
      'Test/Net: s3GatewayEndpoint (true) adds a second S3 gateway endpoint to the route table of subnet Test/AppVpc/isoSubnet1, ' +
      'which has one: a route table takes one; leave s3GatewayEndpoint unset',
    ]);
  });
});

describe('GlueNetwork checks of the whole stack', () => {
  /** Networks in one isolated VPC of this app, told not to add the S3 gateway and interface endpoints it lacks. */
  function networks(count: number): { stack: Stack; vpc: ec2.Vpc; nets: GlueNetwork[] } {
    const stack = zonedStack();
    const vpc = appVpc(stack, false);
    const nets = Array.from({ length: count }, (_, i) => new GlueNetwork(stack, `Net${i}`, {
      network: AnalyticsNetwork.fromVpc(vpc), s3GatewayEndpoint: false, interfaceEndpoints: false,
    }));
    return { stack, vpc, nets };
  }

  function addEndpoints(vpc: ec2.Vpc): void {
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    for (const service of [ec2.InterfaceVpcEndpointAwsService.GLUE, ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING, ec2.InterfaceVpcEndpointAwsService.KMS]) {
      vpc.addInterfaceEndpoint(service.shortName, { service });
    }
  }

  test('scan the stack once per validation of the stack, however many networks it has (not once per network)', () => {
    const scansOf = (count: number) => {
      const { stack } = networks(count);
      const findAll = jest.spyOn(stack.node, 'findAll');
      expect(errorsIn(stack)).toHaveLength(2 * count);
      return findAll.mock.calls.length;
    };
    // errorsIn's own call, the endpoints and the ingress rules.
    expect(scansOf(1)).toBe(3);
    expect(scansOf(5)).toBe(3);
  });

  test('see endpoints added after a validation of the stack, whether the stack or one network is validated next', () => {
    const { stack, vpc, nets } = networks(2);
    expect(errorsIn(stack)).toHaveLength(4);
    addEndpoints(vpc);
    expect(validationMessages(nets[1])).toEqual([]);
    expect(errorsIn(stack)).toEqual([]);
  });

  test('see endpoints added after the stack alone was validated', () => {
    const { stack, vpc, nets } = networks(2);
    expect(validationMessages(stack)).toEqual([]);
    addEndpoints(vpc);
    expect(nets.flatMap(validationMessages)).toEqual([]);
  });
});

describe('GlueNetwork security group the user brings', () => {
  function withGroup(configure: (sg: ec2.SecurityGroup) => void, props: Partial<GlueConnectionOptions>, allowAllOutbound = true): string[] {
    const stack = zonedStack();
    const vpc = appVpc(stack, true);
    const securityGroup = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound });
    configure(securityGroup);
    network(stack, { vpc, securityGroup, ...props });
    return errorsIn(stack);
  }

  test('accepts a group with the self-referencing all-TCP rule when told not to add it', () => {
    expect(withGroup(sg => sg.addIngressRule(sg, ec2.Port.allTcp()), { selfReferencingRule: false })).toEqual([]);
    expect(withGroup(sg => sg.addIngressRule(sg, ec2.Port.allTraffic()), { selfReferencingRule: false })).toEqual([]);
  });

  test('fails a group without the self-referencing rule when told not to add it, naming the group', () => {
    expect(withGroup(sg => sg.addIngressRule(sg, ec2.Port.tcp(443)), { selfReferencingRule: false })).toEqual([
      'Test/Net: selfReferencingRule (false) leaves securityGroup Test/Sg without an ingress rule from itself on all TCP ports: ' +
      'Glue refuses such a connection; set selfReferencingRule to true or add securityGroup.addIngressRule(securityGroup, ec2.Port.allTcp())',
    ]);
  });

  test('fails a group that already has the rule when the construct would add it again (EC2 rejects the duplicate)', () => {
    expect(withGroup(sg => sg.addIngressRule(sg, ec2.Port.allTcp()), {})).toEqual([
      'Test/Net: selfReferencingRule (true) adds a second self-referencing all-TCP ingress rule to securityGroup Test/Sg, which has ' +
      'one: EC2 rejects the duplicate; set selfReferencingRule to false',
    ]);
  });

  test('fails a group that allows no outbound traffic to itself', () => {
    expect(withGroup(() => undefined, {}, false)).toEqual([
      'Test/Net: securityGroup (Test/Sg) allows no outbound traffic to itself: Glue workers talk to each other on all TCP ports; ' +
      'add securityGroup.addEgressRule(securityGroup, ec2.Port.allTcp()) or allow all outbound traffic',
    ]);
    expect(withGroup(sg => sg.addEgressRule(sg, ec2.Port.allTcp()), {}, false)).toEqual([]);
  });
});

describe('GlueNetwork endpoint policies', () => {
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    stack = zonedStack();
    network(stack, { vpc: appVpc(stack, false) });
    template = Template.fromStack(stack);
  });

  test('lets only principals of this account call each service through its interface endpoint (core statement)', () => {
    const policies = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
      .map(r => [r.Properties.ServiceName.split('.').pop(), r.Properties.PolicyDocument.Statement]);
    expect(Object.fromEntries(policies)).toEqual(Object.fromEntries(['glue', 'logs', 'monitoring', 'kms'].map(service => [service, [{
      Sid: 'PrincipalsOfThisAccount', Effect: 'Allow', Principal: '*', Action: '*', Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
    }]])));
  });

  test('lets the S3 gateway endpoint it adds reach only buckets of this account (core statement)', () => {
    expect(gatewayEndpoints(template).map(r => r.Properties.PolicyDocument.Statement)).toEqual([[{
      Sid: 'BucketsOfThisAccount', Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
    }]]);
  });
});

describe('GlueEtlPipeline with a lake bucket the user brings', () => {
  const s3Start = (stack: Stack, bucket: s3.IBucket): Partial<GlueEtlPipelineProps> => ({
    bucket,
    sparkEtlJobs: { Job: { script: glue.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Scripts', 'scripts'), 'job.py') } },
    workflow: { start: GlueWorkflowStart.s3ObjectCreated({ prefix: 'raw/' }), run: ['Job'] },
  });
  function pipeline(stack: Stack, props: Partial<GlueEtlPipelineProps>): GlueEtlPipeline {
    return new GlueEtlPipeline(stack, 'Etl', { network: AnalyticsNetwork.fromVpc(appVpc(stack, true)), ...props });
  }
  const eventBridge = (template: Template, stack: Stack, bucket: s3.IBucket) =>
    template.toJSON().Resources[stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)].Properties.NotificationConfiguration;

  test('turns on EventBridge notifications of a bucket of this app that an S3-started workflow listens to', () => {
    const stack = zonedStack();
    const bucket = new s3.Bucket(stack, 'Mine');
    pipeline(stack, s3Start(stack, bucket));
    expect(eventBridge(Template.fromStack(stack), stack, bucket)).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  test('turns them on for a DataBucket created without them, keeping its other settings', () => {
    const stack = zonedStack();
    const lake = new DataBucket(stack, 'Lake');
    pipeline(stack, s3Start(stack, lake.bucket));
    expect(eventBridge(Template.fromStack(stack), stack, lake.bucket)).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  test('warns, naming the bucket, when the bucket is imported and the workflow may never start', () => {
    const stack = zonedStack();
    pipeline(stack, s3Start(stack, s3.Bucket.fromBucketName(stack, 'Imported', 'their-lake')));
    expect(warningsIn(stack).filter(w => w.includes('glueWorkflowBucketEvents'))).toEqual([
      "Test/Etl: workflow.start is s3ObjectCreated over the imported bucket 'their-lake': the workflow starts only if that bucket " +
      'sends its events to Amazon EventBridge, which the construct cannot turn on; turn it on where the bucket is defined ' +
      '(DataBucket eventBridgeEnabled, or the bucket\'s EventBridge notification setting) [ack: cdk-analytics-blueprints:glueWorkflowBucketEvents]',
    ]);
  });

  test('lets only EventBridge rules of this account assume the role that starts the workflow', () => {
    const stack = zonedStack();
    const etl = pipeline(stack, s3Start(stack, new s3.Bucket(stack, 'Mine')));
    const role = etl.node.findChild('WorkflowStartRole').node.defaultChild as import('aws-cdk-lib/aws-iam').CfnRole;
    expect(Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(role)].Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/*' },
      },
    }]);
  });

  test('expires Glue scratch files in a bucket of this app, and warns naming an imported bucket that it cannot', () => {
    const stack = zonedStack();
    const mine = new s3.Bucket(stack, 'Mine');
    pipeline(stack, { bucket: mine });
    const rules = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(mine.node.defaultChild as s3.CfnBucket)]
      .Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([
      { Id: 'expire-glue-temporary', Prefix: 'glue/temporary/', ExpirationInDays: 7, Status: 'Enabled' },
      { Id: 'expire-spark-ui-logs', Prefix: 'glue/spark-ui/', ExpirationInDays: 30, Status: 'Enabled' },
    ]);

    const other = zonedStack();
    pipeline(other, { bucket: s3.Bucket.fromBucketName(other, 'Imported', 'their-lake') });
    expect(warningsIn(other).filter(w => w.includes('glueScratchNotExpired'))).toEqual([
      "Test/Etl: bucket 'their-lake' is imported, so the construct cannot expire Glue's temporary files (glue/temporary/) and Spark UI " +
      'logs (glue/spark-ui/) in it: add lifecycle rules for them where the bucket is defined [ack: cdk-analytics-blueprints:glueScratchNotExpired]',
    ]);
  });
});

describe('GlueEtlPipeline with a key the user brings for its logs', () => {
  test('warns, naming the key and the Glue log groups, when the key is imported (its policy cannot be checked)', () => {
    const stack = zonedStack();
    const key = kms.Key.fromKeyArn(stack, 'Theirs', 'arn:aws:kms:us-east-1:111111111111:key/0123abcd-0000-0000-0000-000000000000');
    new GlueEtlPipeline(stack, 'Etl', { encryptionKey: key, network: AnalyticsNetwork.fromVpc(appVpc(stack, true)) });
    const warnings = warningsIn(stack).filter(w => w.includes('logsKeyPolicyNotVerified'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('arn:aws:kms:us-east-1:111111111111:key/0123abcd-0000-0000-0000-000000000000');
    expect(warnings[0]).toContain('/aws-glue/*');
  });
});

describe('GlueEtlPipeline security configuration', () => {
  /** The rendered name of the pipeline's security configuration, built with `props`. */
  function securityConfigurationName(props: (stack: Stack) => Partial<GlueEtlPipelineProps>): string {
    const stack = zonedStack();
    const etl = new GlueEtlPipeline(stack, 'Etl', { network: AnalyticsNetwork.fromVpc(appVpc(stack, true)), ...props(stack) });
    const id = stack.getLogicalId(etl.securityConfiguration.node.defaultChild as glue.CfnSecurityConfiguration);
    return Template.fromStack(stack).toJSON().Resources[id].Properties.Name;
  }

  // AWS::Glue::SecurityConfiguration is replaced on any change of its encryption, and CloudFormation cannot replace a
  // resource whose name stays the same: a fixed name blocks every such change.
  test('is named by its content, so that a change of its keys replaces it under a new name', () => {
    const own = securityConfigurationName(() => ({}));
    const imported = securityConfigurationName(stack => ({
      encryptionKey: kms.Key.fromKeyArn(stack, 'Theirs', 'arn:aws:kms:us-east-1:111111111111:key/0123abcd-0000-0000-0000-000000000000'),
    }));
    expect(own).toMatch(/^TestEtlSecurityConfiguration[0-9A-F]{8}-[0-9a-f]{8}$/);
    expect(imported).not.toEqual(own);
    expect(securityConfigurationName(() => ({}))).toEqual(own);
  });
});
