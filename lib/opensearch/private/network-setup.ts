import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';

import { AnalyticsNetworkConfig } from '../../core/private/network-config';
import { createConstructVpc } from '../../core/private/network-vpc';
import { SecureVpc } from '../../core/secure-vpc';
import { PropsValidator, Shown } from '../../core/validation';

/** The subnets an existing VPC gives the domain, resolved at construction. */
export interface SubnetPlan {
  /** The selection requested (or the default one). */
  readonly selection: ec2.SubnetSelection;
  /** One private (or isolated) subnet per zone: the stand-in when the selection breaks a rule. */
  readonly fallback: ec2.SubnetSelection;
  /** Subnet ids and zones of the selection, when known at synth. */
  readonly subnetIds?: string[];
  readonly availabilityZones?: string[];
  /** Whether every selected subnet is isolated (no route to the internet): the function then needs endpoints. */
  readonly isolated: boolean;
  /** Why the requested selection cannot be used. */
  readonly problem?: string;
}

function subnetTypesOf(vpc: ec2.IVpc): string {
  const types = [
    ...(vpc.privateSubnets.length ? ['private with egress'] : []),
    ...(vpc.isolatedSubnets.length ? ['isolated'] : []),
    ...(vpc.publicSubnets.length ? ['public'] : []),
  ];
  return types.length ? types.join(', ') : 'none';
}

/**
 * The subnets of `AnalyticsNetwork.fromVpc(vpc, { subnets })`: the given selection, or one private subnet per zone
 * (with egress when the VPC has them, isolated otherwise, so that an isolated-only VPC such as a shared
 * `SecureVpc` without NAT works) in the VPC's first `availabilityZoneCount` zones.
 */
export function planSubnets(vpc: ec2.IVpc, requested: ec2.SubnetSelection | undefined, availabilityZoneCount: number): SubnetPlan {
  const zones = Token.isUnresolved(vpc.availabilityZones) || Token.isUnresolved(availabilityZoneCount)
    ? undefined : vpc.availabilityZones.slice(0, availabilityZoneCount);
  const privateType = vpc.privateSubnets.length > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS
    : vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : undefined;
  const fallback: ec2.SubnetSelection = privateType !== undefined
    ? { subnetType: privateType, onePerAz: true, availabilityZones: zones }
    : { subnetType: ec2.SubnetType.PUBLIC, onePerAz: true, availabilityZones: zones };
  let selection = requested ?? fallback;
  let problem: string | undefined;
  if (!requested && privateType === undefined) {
    problem = `has no private or isolated subnets (it has: ${subnetTypesOf(vpc)}); the domain belongs in private subnets`;
  }
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch {
    problem = `selects no subnets of this VPC (it has: ${subnetTypesOf(vpc)})`;
    selection = fallback;
    selected = vpc.selectSubnets(selection);
  }
  const isolatedIds = new Set(vpc.isolatedSubnets.map(s => s.subnetId));
  const isolated = selected.subnets.length > 0 && selected.subnets.every(s => isolatedIds.has(s.subnetId));
  const publicIds = new Set(vpc.publicSubnets.map(s => s.subnetId));
  if (!problem && privateType !== undefined && selected.subnets.some(s => publicIds.has(s.subnetId))) {
    problem = 'selects public subnets: the domain and the function that configures it belong in private or isolated subnets';
  }
  return {
    selection,
    fallback,
    subnetIds: Token.isUnresolved(selected.subnetIds) ? undefined : selected.subnetIds,
    availabilityZones: selected.subnets.some(s => Token.isUnresolved(s.availabilityZone)) ? undefined : selected.subnets.map(s => s.availabilityZone),
    isolated,
    problem,
  };
}

/** The network rules: the zones of a new VPC, the subnets of an existing one, the CIDRs of a public endpoint. */
export function validateNetwork(v: PropsValidator, network: AnalyticsNetworkConfig, availabilityZoneCount: number,
  plan: SubnetPlan | undefined): void {
  if (network.kind === 'newVpc') {
    // One subnet per zone: the new VPC has exactly the zones it is given, and the service takes exactly
    // availabilityZoneCount subnets.
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-prereqs
    v.check(Token.isUnresolved(availabilityZoneCount) || network.props.availabilityZones.length === availabilityZoneCount, 'network.availabilityZones',
      network.props.availabilityZones, `must list exactly availabilityZoneCount (${availabilityZoneCount}) zones`);
  } else if (network.kind === 'vpc' && plan) {
    if (plan.problem) v.fail(network.subnets ? 'network.subnets' : 'network.vpc', undefined, plan.problem);
    else if (plan.subnetIds && !Token.isUnresolved(availabilityZoneCount)) {
      const zones = plan.availabilityZones ? new Set(plan.availabilityZones).size : undefined;
      // The service takes exactly one subnet per zone used ("You must specify exactly N subnets because you've
      // set zone count to N"); aws-cdk-lib throws when they span fewer zones than availabilityZoneCount.
      // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-prereqs
      v.check(plan.subnetIds.length === availabilityZoneCount && (zones === undefined || zones === availabilityZoneCount), 'network.subnets',
        new Shown(`${plan.subnetIds.length} subnets${zones !== undefined ? ` in ${zones} zones` : ''}`),
        `must select exactly one subnet in each of availabilityZoneCount (${availabilityZoneCount}) zones`);
    }
  } else if (network.kind === 'public') {
    v.countInRange('network.allowedIpRanges', network.allowedIpRanges, 1, 100);
    for (const cidr of network.allowedIpRanges) {
      v.matches('network.allowedIpRanges', cidr, /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, 'IPv4 CIDR ranges such as 203.0.113.0/24');
      v.check(Token.isUnresolved(cidr) || !cidr.endsWith('/0'), 'network.allowedIpRanges', cidr, 'must not allow the whole internet');
    }
  }
}

/** An AWS service the configuration function calls from inside the VPC. */
export interface NeededEndpoint {
  /** Construct id part, such as `Sts`. */
  readonly id: string;
  /** Last part of the service name, such as `sts` (com.amazonaws.<region>.sts). */
  readonly suffix: string;
  readonly interfaceService?: ec2.InterfaceVpcEndpointAwsService;
  readonly gatewayService?: ec2.GatewayVpcEndpointAwsService;
}

/** Endpoints of the VPC with id `vpcId` found in the app, by service-name suffix. */
function endpointsInApp(scope: IConstruct, vpc: ec2.IVpc): Map<string, ec2.CfnVPCEndpoint> {
  const stack = Stack.of(scope);
  const vpcId = JSON.stringify(stack.resolve(vpc.vpcId));
  const found = new Map<string, ec2.CfnVPCEndpoint>();
  for (const c of scope.node.root.node.findAll()) {
    if (!(c instanceof ec2.CfnVPCEndpoint)) continue;
    if (JSON.stringify(Stack.of(c).resolve(c.vpcId)) !== vpcId) continue;
    const service = JSON.stringify(Stack.of(c).resolve(c.serviceName));
    const m = /\.([a-z0-9-]+)"\]*\}?\]*\}?$/.exec(service);
    if (m) found.set(m[1], c);
  }
  return found;
}

/**
 * Makes the AWS APIs the configuration function calls reachable from isolated subnets of a VPC the user
 * brings: an endpoint that exists in the app (defined before the cluster) is reused, and the function's
 * security group is let in on 443; a missing one is created here, in the domain's subnets. A VPC imported
 * from outside the app cannot be inspected: the construct warns and names what the function needs.
 */
export function ensureEndpoints(scope: Construct, vpc: ec2.IVpc, selection: ec2.SubnetSelection, functionSg: ec2.ISecurityGroup,
  needed: NeededEndpoint[]): void {
  const inApp = vpc instanceof ec2.Vpc;
  if (!inApp) {
    Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:opensearchIsolatedSubnetsEndpoints',
      `the domain's subnets are isolated and the VPC is imported: the configuration function reaches ${needed.map(n => n.suffix).join(', ')} ` +
      'only if the VPC has endpoints for them (interface endpoints with private DNS, S3 as a gateway endpoint) that accept HTTPS from its security group');
    return;
  }
  const existing = endpointsInApp(scope, vpc);
  let endpointSg: ec2.SecurityGroup | undefined;
  for (const n of needed) {
    const found = existing.get(n.suffix);
    if (found) {
      (found.securityGroupIds ?? []).forEach((groupId, i) => {
        new ec2.CfnSecurityGroupIngress(scope, `${n.id}EndpointFromFunction${i}`, {
          groupId, sourceSecurityGroupId: functionSg.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443,
          description: 'OpenSearch configuration function',
        });
      });
    } else if (n.gatewayService) {
      new ec2.GatewayVpcEndpoint(scope, `${n.id}Endpoint`, { vpc, service: n.gatewayService, subnets: [selection] });
    } else if (n.interfaceService) {
      if (!endpointSg) {
        endpointSg = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
          vpc, description: 'Interface endpoints of the OpenSearch configuration function: HTTPS from it only', allowAllOutbound: false,
        });
        endpointSg.addIngressRule(functionSg, ec2.Port.tcp(443), 'OpenSearch configuration function');
      }
      new ec2.InterfaceVpcEndpoint(scope, `${n.id}Endpoint`, {
        vpc, service: n.interfaceService, subnets: selection, privateDnsEnabled: true, securityGroups: [endpointSg], open: false,
      });
    }
  }
}

/** The defaults of the VPC `AnalyticsNetwork.newVpc()` creates for a domain: its CIDR unless the props give one, /22 subnets. */
export const DOMAIN_VPC_DEFAULTS = { cidr: '10.0.0.0/16', subnetCidrMask: 22, natGateways: 0 };

/** Where the domain lives: its VPC, subnets and security group (all undefined for a public endpoint). */
export interface DomainNetwork {
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroup?: ec2.ISecurityGroup;
  /** The VPC the cluster created, which the configuration waits for (its endpoints). */
  readonly secureVpc?: SecureVpc;
}

/** What the domain's network takes from the cluster. */
export interface DomainNetworkOptions {
  readonly domainName: string;
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly internalMasterUser: boolean;
}

/**
 * The domain's network: a new VPC (isolated subnets, one per AZ, or private with egress when it has NAT, and the
 * endpoints the configuration function needs: S3 as a gateway for the CloudFormation response, STS to assume the
 * master role, Secrets Manager for an internal user), the user's VPC and subnets (or the stand-in of a selection
 * that broke a rule), and the given security group or one that admits HTTPS from allowed peers only.
 */
export function createDomainNetwork(scope: Construct, network: AnalyticsNetworkConfig, plan: SubnetPlan | undefined, broken: Set<string>,
  o: DomainNetworkOptions): DomainNetwork {
  let vpc: ec2.IVpc | undefined;
  let vpcSubnets: ec2.SubnetSelection | undefined;
  let secureVpc: SecureVpc | undefined;
  if (network.kind === 'newVpc') {
    const cidr = broken.has('network.cidr') ? DOMAIN_VPC_DEFAULTS.cidr : network.props.cidr ?? DOMAIN_VPC_DEFAULTS.cidr;
    secureVpc = createConstructVpc(scope, 'Network', network.props, {
      purpose: 'the OpenSearch domain VPC',
      cidr,
      subnetName: 'Domain',
      subnetCidrMask: DOMAIN_VPC_DEFAULTS.subnetCidrMask,
      natGateways: DOMAIN_VPC_DEFAULTS.natGateways,
      maxAzs: 3,
      flowLogEncryptionKey: o.encryptionKey,
      flowLogRetention: o.logRetention,
      removalPolicy: o.removalPolicy,
    }, !broken.has('network.cidr'));
    // A literal CIDR, so reviews and nag can read it.
    secureVpc.allowEndpointAccessFrom(ec2.Peer.ipv4(cidr), 'HTTPS from the VPC');
    secureVpc.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
    if (o.internalMasterUser) {
      secureVpc.addInterfaceEndpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
    }
    vpc = secureVpc.vpc;
    // Isolated subnets, or private ones with egress when the VPC has NAT gateways.
    vpcSubnets = vpc.isolatedSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : secureVpc.workloadSubnets;
  } else if (network.kind === 'vpc') {
    vpc = network.vpc;
    vpcSubnets = broken.has('network.subnets') || broken.has('network.vpc') ? plan!.fallback : plan!.selection;
  }
  const securityGroup = network.kind === 'vpc' && network.securityGroup ? network.securityGroup
    : vpc ? new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc,
      description: `OpenSearch domain ${o.domainName}: HTTPS from allowed peers only`,
      allowAllOutbound: false,
    }) : undefined;
  return { vpc, vpcSubnets, securityGroup, secureVpc };
}

/**
 * Lets the configuration function reach the domain's REST API, and, in isolated subnets of a VPC the user brings,
 * the AWS APIs it calls (`ensureEndpoints`).
 */
export function connectConfigurationFunction(scope: Construct, net: DomainNetwork, functionSg: ec2.ISecurityGroup | undefined,
  plan: SubnetPlan | undefined, masterUserKind: 'iamRole' | 'internal'): void {
  if (!net.securityGroup || !functionSg) return;
  net.securityGroup.addIngressRule(functionSg, ec2.Port.tcp(443), 'Configuration function to the domain REST API');
  if (plan?.isolated) {
    const needed: NeededEndpoint[] = [
      { id: 'S3', suffix: 's3', gatewayService: ec2.GatewayVpcEndpointAwsService.S3 },
      ...(masterUserKind === 'iamRole' ? [{ id: 'Sts', suffix: 'sts', interfaceService: ec2.InterfaceVpcEndpointAwsService.STS }] : []),
      ...(masterUserKind === 'internal'
        ? [{ id: 'SecretsManager', suffix: 'secretsmanager', interfaceService: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER }] : []),
    ];
    ensureEndpoints(scope, net.vpc!, net.vpcSubnets!, functionSg, needed);
  }
}
