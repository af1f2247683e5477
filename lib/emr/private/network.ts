import { Annotations, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { S3EndpointAccess } from '../../core/endpoint-policies';
import { allowLogsToUseKey } from '../../core/logs-key-policy';
import { NewVpcNetworkProps } from '../../core/network';
import { createConstructVpc } from '../../core/private/network-vpc';
import { SecureVpc } from '../../core/secure-vpc';
import { PropsValidator, Shown } from '../../core/validation';

/**
 * The tag `AmazonEMRServicePolicy_v2` requires on the cluster (EMR propagates it to the instances and volumes
 * it launches: statement `CreateEMRTaggedInstancesAndVolumes`, condition `aws:RequestTag`) and on the subnets
 * and security groups it launches into (statement `CreateInTaggedNetwork`, condition `aws:ResourceTag`).
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html#manually-tagged-resources
 */
export const EMR_MANAGED_TAG = { key: 'for-use-with-amazon-emr-managed-policies', value: 'true' };

/** The egress rule aws-cdk-lib uses for "no egress": it matches no packet. */
const NO_TRAFFIC_EGRESS: ec2.CfnSecurityGroup.EgressProperty = {
  cidrIp: '255.255.255.255/32', description: 'Disallow all traffic', ipProtocol: 'icmp', fromPort: 252, toPort: 86,
};

/** The three EMR-managed security groups. */
export interface EmrSecurityGroups {
  readonly primary: ec2.SecurityGroup;
  readonly coreAndTask: ec2.SecurityGroup;
  readonly serviceAccess: ec2.SecurityGroup;
}

/** The defaults of the VPC the cluster creates (`AnalyticsNetwork.newVpc`, or no network). */
export const EMR_VPC_DEFAULTS = { cidr: '10.0.0.0/16', subnetCidrMask: 20, natGateways: 1 };

/**
 * A VPC for the cluster: the core `SecureVpc`, by default with one NAT gateway, whose public subnets hold
 * only the NAT gateway (no public IPs on launch), private subnets with egress for the nodes (tagged for the
 * EMR managed policy), an S3 gateway endpoint (EMR reads and writes S3 without paying NAT data processing),
 * and flow logs to a log group encrypted with `key`. Without NAT (`natGateways: 0`), the nodes' subnets are
 * isolated and the caller adds the interface endpoints they need (`endpointServicesNeeded`).
 */
export function createVpc(scope: Construct, key: kms.IKey, removalPolicy: RemovalPolicy, newVpc: NewVpcNetworkProps | undefined,
  safeCidr: boolean): SecureVpc {
  const flowLogKey = newVpc?.flowLogEncryptionKey ?? key;
  // CloudWatch Logs encrypts the group with the key only if the key policy lets the regional service use it.
  allowLogsToUseKey(flowLogKey);
  const network = createConstructVpc(scope, 'Network', newVpc, {
    purpose: `the EMR cluster ${scope.node.path}`,
    cidr: EMR_VPC_DEFAULTS.cidr,
    // Without given zones, the stack's (as ec2.Vpc picks them): never guessed from the region name.
    maxAzs: 2,
    natGateways: EMR_VPC_DEFAULTS.natGateways,
    subnetName: 'Cluster',
    subnetCidrMask: EMR_VPC_DEFAULTS.subnetCidrMask,
    flowLogEncryptionKey: flowLogKey,
    // The S3 endpoint admits this account's buckets; the nodes also read the AWS-owned Amazon Linux and
    // EMR repositories and write EMR's system logs through it.
    s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(scope),
    removalPolicy,
  }, safeCidr);
  for (const subnet of [...network.vpc.privateSubnets, ...network.vpc.isolatedSubnets]) {
    Tags.of(subnet).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }
  return network;
}

/**
 * The interface endpoints the nodes need in a VPC the cluster creates without NAT (`endpointServicesNeeded`;
 * the S3 gateway endpoint is the VPC's own), reachable over HTTPS from the cluster's node groups.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-clusters-in-a-vpc.html
 */
export function addClusterEndpoints(network: SecureVpc, sgs: EmrSecurityGroups, glueDataCatalog: boolean): void {
  network.addInterfaceEndpoint('Kms', ec2.InterfaceVpcEndpointAwsService.KMS);
  if (glueDataCatalog) network.addInterfaceEndpoint('Glue', ec2.InterfaceVpcEndpointAwsService.GLUE);
  network.allowEndpointAccessFrom(sgs.primary, 'The primary node');
  network.allowEndpointAccessFrom(sgs.coreAndTask, 'The core and task nodes');
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
  // primary node reaches the service access group on 9443. Nothing else leaves the service access group.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html#emr-sg-elasticmapreduce-sa-private
  primary.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to the primary node');
  coreAndTask.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to core and task nodes');
  serviceAccess.addIngressRule(primary, ec2.Port.tcp(9443), 'Primary node to the EMR service');
  serviceAccess.addEgressRule(primary, ec2.Port.tcp(8443), 'EMR service to the primary node');
  serviceAccess.addEgressRule(coreAndTask, ec2.Port.tcp(8443), 'EMR service to core and task nodes');
  // aws-cdk-lib drops its inline "no traffic" egress rule as soon as an egress rule is added, even one that
  // goes to another group and so becomes a separate AWS::EC2::SecurityGroupEgress. A group created with no
  // inline egress gets EC2's default allow-all egress rule, which would stay next to the 8443 rules. The
  // inline rule matches no traffic (ICMP type 252, code 86, to 255.255.255.255/32) and keeps that default away.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-securitygroup.html
  (serviceAccess.node.defaultChild as ec2.CfnSecurityGroup).securityGroupEgress = [NO_TRAFFIC_EGRESS];
  for (const sg of [primary, coreAndTask, serviceAccess]) {
    Tags.of(sg).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }
  return { primary, coreAndTask, serviceAccess };
}

/**
 * Makes sure the subnets the cluster launches into carry `EMR_MANAGED_TAG`: subnets defined in this app are
 * tagged; the tags of imported subnets cannot be seen at synth, so a warning names them and the tag.
 */
export function tagLaunchSubnets(scope: Construct, subnets: ec2.ISubnet[]): void {
  const imported: string[] = [];
  for (const subnet of subnets) {
    if (subnet.node.defaultChild instanceof ec2.CfnSubnet) {
      Tags.of(subnet).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
    } else {
      imported.push(Token.isUnresolved(subnet.subnetId) ? subnet.node.path : subnet.subnetId);
    }
  }
  if (imported.length > 0) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:emrSubnetTagUnverified',
      `The cluster launches into the imported subnets ${imported.join(', ')}, whose tags cannot be seen at synth. ` +
      `AmazonEMRServicePolicy_v2 launches instances only into subnets tagged ${EMR_MANAGED_TAG.key}=${EMR_MANAGED_TAG.value}: ` +
      'tag them (aws ec2 create-tags) before deploying, then acknowledge this warning. ' +
      '(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html#manually-tagged-resources)');
  }
}

/**
 * The user's security group is attached to every node: like the launch subnets, it must carry `EMR_MANAGED_TAG`
 * (`AmazonEMRServicePolicy_v2` launches only with tagged groups). A group of this app is tagged; an imported one
 * is named in a warning.
 */
export function tagAdditionalSecurityGroup(scope: Construct, group: ec2.ISecurityGroup): void {
  if (group instanceof ec2.SecurityGroup) {
    Tags.of(group).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:emrSecurityGroupTagUnverified',
    `The nodes get the imported security group ${Token.isUnresolved(group.securityGroupId) ? group.node.path : group.securityGroupId}, whose tags ` +
    `cannot be seen at synth. AmazonEMRServicePolicy_v2 launches instances only with security groups tagged ${EMR_MANAGED_TAG.key}=` +
    `${EMR_MANAGED_TAG.value}: tag it before deploying, then acknowledge this warning. ` +
    '(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-iam-policies.html#manually-tagged-resources)');
}

/** The subnets the cluster launches into, or the problem that prevents selecting them. */
export interface LaunchSubnets {
  readonly subnets: ec2.ISubnet[];
  readonly problem?: { readonly property: string; readonly given: unknown; readonly rule: string };
}

/**
 * Selects the launch subnets without letting aws-cdk-lib throw (its error names no construct and stops the
 * synth at the first problem): the problem is reported through the validator instead, with the fix.
 */
export function selectLaunchSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): LaunchSubnets {
  const vpcName = Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
  if (!selection && vpc.privateSubnets.length === 0) {
    return {
      subnets: [],
      problem: {
        property: 'network', given: new Shown(vpcName),
        rule: 'has no private subnets with egress, where the cluster launches by default. Give the VPC a NAT gateway (SecureVpc: natGateways: 1), ' +
          'or select its isolated subnets (AnalyticsNetwork.fromVpc(vpc, { subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })) and give the VPC an S3 gateway endpoint and ' +
          'KMS and Glue interface endpoints',
      },
    };
  }
  let subnets: ec2.ISubnet[];
  try {
    subnets = vpc.selectSubnets(selection ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets;
  } catch (e) {
    return { subnets: [], problem: { property: 'network.subnets', given: undefined, rule: `selects no subnets of ${vpcName}: ${(e as Error).message}` } };
  }
  // EMR in a public subnet takes no service access group, and the nodes would get public addresses.
  const publicIds = new Set(vpc.publicSubnets.map(s => s.subnetId));
  const inPublic = subnets.filter(s => publicIds.has(s.subnetId));
  if (inPublic.length > 0) {
    return { subnets, problem: { property: 'network.subnets', given: undefined, rule: `must select private subnets (it selects public subnets of ${vpcName})` } };
  }
  return { subnets };
}

/**
 * The services the nodes reach through VPC endpoints when they run in subnets without a route to the internet:
 * S3 (logs, EMRFS, the EMR packages), KMS (local disk encryption) and, with the Glue Data Catalog as
 * metastore, Glue.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-clusters-in-a-vpc.html
 */
export function endpointServicesNeeded(glueDataCatalog: boolean): string[] {
  return glueDataCatalog ? ['s3', 'kms', 'glue'] : ['s3', 'kms'];
}

/**
 * The services of `needed` that no VPC endpoint of the app serves in `vpc` (endpoints found by their
 * `VpcId`, services by the last part of their name, `com.amazonaws.<region>.<service>`).
 */
export function missingEndpointServices(vpc: ec2.IVpc, needed: string[]): string[] {
  const stack = Stack.of(vpc);
  const vpcId = JSON.stringify(stack.resolve(vpc.vpcId));
  const served = new Set<string>();
  for (const c of vpc.node.root.node.findAll()) {
    if (!(c instanceof ec2.CfnVPCEndpoint)) continue;
    const sameVpc = c.vpcId === vpc.vpcId || (Stack.of(c) === stack && JSON.stringify(stack.resolve(c.vpcId)) === vpcId);
    if (!sameVpc) continue;
    const m = /\.([a-z0-9-]+)"$/.exec(JSON.stringify(Stack.of(c).resolve(c.serviceName)).replace(/"\]\]\}$/, '"'));
    if (m) served.add(m[1]);
  }
  return needed.filter(s => !served.has(s));
}

/**
 * Isolated launch subnets work only when the VPC has endpoints for what the nodes use (`endpointServicesNeeded`).
 * A VPC of this app without them fails the synth, naming the missing services; for an imported VPC, whose
 * endpoints may exist outside the app, it is a warning.
 */
export function checkIsolatedSubnets(scope: Construct, v: PropsValidator, vpc: ec2.IVpc, subnets: ec2.ISubnet[], glueDataCatalog: boolean): void {
  const isolated = new Set(vpc.isolatedSubnets.map(s => s.subnetId));
  if (!subnets.some(s => isolated.has(s.subnetId))) return;
  const missing = missingEndpointServices(vpc, endpointServicesNeeded(glueDataCatalog));
  if (missing.length === 0) return;
  const vpcName = Token.isUnresolved(vpc.vpcId) ? vpc.node.path : vpc.vpcId;
  const needed = endpointServicesNeeded(glueDataCatalog);
  const rule = `selects isolated subnets of ${vpcName}: from there the nodes reach ${needed.join(', ')} only through VPC endpoints, and the VPC has ` +
    `none for ${missing.join(', ')}. Add them (SecureVpc.addInterfaceEndpoint, an S3 gateway endpoint), or launch into subnets with a NAT route`;
  if (vpc.node.defaultChild instanceof ec2.CfnVPC) {
    v.fail('network.subnets', undefined, rule);
  } else {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:emrIsolatedSubnetsEndpoints', `network.subnets ${rule}. ` +
      'This app defines none of those endpoints; an imported VPC may have them from elsewhere: acknowledge this warning if it does.');
  }
}

/**
 * An S3 gateway endpoint of the VPC (defined in the app) with a policy that does not admit the AWS-owned
 * buckets EMR nodes read at launch is reported: the endpoint route takes S3 traffic even from subnets with a
 * NAT route, so the nodes could not install their packages and the cluster would fail to start. A policy
 * admits them when a statement allows every resource without condition, or names the EMR repository bucket
 * (`repo.<region>.emr.amazonaws.com`, as `S3EndpointAccess.emrClusters` does).
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html
 */
export function checkS3EndpointAdmitsEmr(v: PropsValidator, vpc: ec2.IVpc): void {
  if (!(vpc.node.defaultChild instanceof ec2.CfnVPC)) return;
  const stack = Stack.of(vpc);
  for (const c of vpc.node.root.node.findAll()) {
    if (!(c instanceof ec2.CfnVPCEndpoint) || c.vpcId !== vpc.vpcId || (c.vpcEndpointType ?? 'Gateway') !== 'Gateway') continue;
    if (!/\.s3"$/.test(JSON.stringify(Stack.of(c).resolve(c.serviceName)).replace(/"\]\]\}$/, '"'))) continue;
    const document = Stack.of(c).resolve(c.policyDocument) as { Statement?: Array<Record<string, unknown>> } | undefined;
    if (!document) continue;
    const admits = (document.Statement ?? []).some(st => st.Effect === 'Allow' && (
      ([st.Resource].flat().includes('*') && st.Condition === undefined) || JSON.stringify(st.Resource ?? '').includes('.emr.amazonaws.com')));
    if (!admits) {
      v.fail('network', new Shown(Token.isUnresolved(vpc.vpcId) ? vpc.node.path : stack.resolve(vpc.vpcId)),
        'has an S3 gateway endpoint whose policy does not admit the AWS-owned buckets EMR nodes read at launch (Amazon Linux and EMR ' +
        "repositories, EMR system logs): add S3EndpointAccess.emrClusters(this) to the SecureVpc's s3EndpointPolicyStatements " +
        '(https://docs.aws.amazon.com/emr/latest/ManagementGuide/private-subnet-iampolicy.html)');
      return;
    }
  }
}
