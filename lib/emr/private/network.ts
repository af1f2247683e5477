import { RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { allowLogsToUseKey } from '../../core/logs-key-policy';
import { acknowledgeNag } from '../../core/nag';

/**
 * The tag `AmazonEMRServicePolicy_v2` requires on the subnets and security groups a cluster uses.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
 */
export const EMR_MANAGED_TAG = { key: 'for-use-with-amazon-emr-managed-policies', value: 'true' };

/** The three EMR-managed security groups. */
export interface EmrSecurityGroups {
  readonly primary: ec2.SecurityGroup;
  readonly coreAndTask: ec2.SecurityGroup;
  readonly serviceAccess: ec2.SecurityGroup;
}

/**
 * A VPC for the cluster: public subnets that hold only the NAT gateway (no public IPs on launch),
 * private subnets with egress for the nodes, an S3 gateway endpoint (EMR reads and writes S3 without
 * paying NAT data processing), and flow logs to an encrypted log group.
 */
export function createVpc(scope: Construct, key: kms.IKey, removalPolicy: RemovalPolicy, azs?: string[]): ec2.Vpc {
  const stack = Stack.of(scope);
  // Fixed AZ names when the region is known (the first two of the region unless given), so the template
  // does not change with what a lookup returns; env-agnostic stacks get Fn::GetAZs tokens from aws-cdk-lib.
  // ec2.Vpc still reads the stack's AZs to check these against, which in a stack with a concrete
  // environment is a context lookup unless the stack fixes its AZs (see the README).
  const availabilityZones = azs ?? (Token.isUnresolved(stack.region) ? undefined : [`${stack.region}a`, `${stack.region}b`]);
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    availabilityZones,
    maxAzs: availabilityZones ? undefined : 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'Nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
      { name: 'Cluster', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  for (const subnet of vpc.privateSubnets) {
    Tags.of(subnet).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }

  const logGroup = new logs.LogGroup(scope, 'FlowLogs', {
    encryptionKey: key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy,
  });
  // CloudWatch Logs encrypts the group with the key only if the key policy lets the regional service use it.
  allowLogsToUseKey(key);
  // A role with a customer-managed policy (the packs flag inline policies); `withoutPolicyUpdates`
  // stops aws-cdk-lib from adding its own inline policy to it.
  const role = new iam.Role(scope, 'FlowLogsRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
  const policy = new iam.ManagedPolicy(scope, 'FlowLogsPolicy', {
    roles: [role],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    })],
  });
  const flowLog = vpc.addFlowLog('FlowLog', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  // The role must hold its permissions before EC2 starts delivering.
  flowLog.node.addDependency(policy);
  acknowledgeVpcParts(vpc);
  return vpc;
}

function acknowledgeVpcParts(vpc: ec2.Vpc): void {
  for (const subnet of vpc.publicSubnets) {
    const route = subnet.node.tryFindChild('DefaultRoute');
    if (route) {
      const reason = 'This public subnet holds only the NAT gateway that gives the private cluster subnets egress; no instance is launched in it and it assigns no public IPs.';
      acknowledgeNag(route, ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(pack => ({ id: `${pack}-VPCNoUnrestrictedRouteToIGW`, reason })));
    }
  }
}

/**
 * The EMR-managed security groups, with every rule EMR needs declared in the template, so EMR adds no
 * cross-group rules of its own (those rules block stack deletion), and no rule is open to 0.0.0.0/0.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html
 */
export function createSecurityGroups(scope: Construct, vpc: ec2.IVpc): EmrSecurityGroups {
  const primary = new ec2.SecurityGroup(scope, 'PrimarySecurityGroup', {
    vpc, allowAllOutbound: true, description: 'EMR-managed security group of the primary node',
  });
  const coreAndTask = new ec2.SecurityGroup(scope, 'CoreTaskSecurityGroup', {
    vpc, allowAllOutbound: true, description: 'EMR-managed security group of the core and task nodes',
  });
  const serviceAccess = new ec2.SecurityGroup(scope, 'ServiceAccessSecurityGroup', {
    vpc, allowAllOutbound: false, description: 'EMR-managed service access security group for private subnets',
  });
  // Cluster nodes talk to each other on every port (YARN, HDFS, Spark shuffle...).
  for (const a of [primary, coreAndTask]) {
    for (const b of [primary, coreAndTask]) {
      a.addIngressRule(b, ec2.Port.allTcp(), `All TCP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
      a.addIngressRule(b, ec2.Port.allUdp(), `All UDP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
      a.addIngressRule(b, ec2.Port.allIcmp(), `ICMP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
    }
  }
  // Private subnets: the EMR service reaches the nodes through the service access group on 8443, and the
  // primary node reaches the service access group on 9443.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html#emr-sg-elasticmapreduce-sa-private
  primary.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to the primary node');
  coreAndTask.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to core and task nodes');
  serviceAccess.addIngressRule(primary, ec2.Port.tcp(9443), 'Primary node to the EMR service');
  serviceAccess.addEgressRule(primary, ec2.Port.tcp(8443), 'EMR service to the primary node');
  serviceAccess.addEgressRule(coreAndTask, ec2.Port.tcp(8443), 'EMR service to core and task nodes');
  for (const sg of [primary, coreAndTask, serviceAccess]) {
    Tags.of(sg).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }
  return { primary, coreAndTask, serviceAccess };
}
