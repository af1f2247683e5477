import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { NewVpcNetworkProps } from '../network';
import { SecureVpc } from '../secure-vpc';
import { PropsValidator, Shown } from '../validation';
import { AnalyticsNetworkConfig } from './network-config';

/** The VPC a construct creates when it is given `AnalyticsNetwork.newVpc` or no network: the construct's own defaults. */
export interface ConstructVpcDefaults {
  readonly purpose: string;
  readonly cidr: string;
  readonly subnetName: string;
  readonly subnetCidrMask: number;
  readonly natGateways: number;
  /** Zones of the default VPC (no network given), taken from the stack. */
  readonly maxAzs: number;
  readonly flowLogEncryptionKey?: kms.IKey;
  readonly flowLogRetention?: logs.RetentionDays;
  readonly flowLogGroupName?: string;
  readonly s3EndpointPolicyStatements?: iam.PolicyStatement[];
  readonly s3GatewayEndpoint?: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/** Size of the NAT subnets SecureVpc creates. */
const NAT_SUBNET_MASK = 26;

/**
 * Builds the `SecureVpc` of `AnalyticsNetwork.newVpc(props)`, or of the default network (`props` undefined: the
 * stack's zones, as before `AnalyticsNetwork`), under `scope`/`id` with the construct's defaults, so that the
 * VPC keeps the logical ids it had. `safeCidr` is false when `network.cidr` broke a rule: the VPC is then built with
 * the construct's default CIDR, as a stand-in, and the problem is reported at synth.
 */
export function createConstructVpc(scope: Construct, id: string, props: NewVpcNetworkProps | undefined, defaults: ConstructVpcDefaults,
  safeCidr: boolean): SecureVpc {
  return new SecureVpc(scope, id, {
    purpose: defaults.purpose,
    cidr: safeCidr ? props?.cidr ?? defaults.cidr : defaults.cidr,
    availabilityZones: props?.availabilityZones,
    maxAzs: props ? undefined : defaults.maxAzs,
    natGateways: safeNatGateways(props, defaults),
    subnetName: defaults.subnetName,
    subnetCidrMask: defaults.subnetCidrMask,
    natSubnetCidrMask: NAT_SUBNET_MASK,
    flowLogEncryptionKey: props?.flowLogEncryptionKey ?? defaults.flowLogEncryptionKey,
    flowLogRetention: props?.flowLogRetention ?? defaults.flowLogRetention,
    flowLogGroupName: defaults.flowLogGroupName,
    s3EndpointPolicyStatements: defaults.s3EndpointPolicyStatements,
    s3GatewayEndpoint: defaults.s3GatewayEndpoint,
    removalPolicy: defaults.removalPolicy,
  });
}

/** The NAT gateways of the VPC: the given number when it is valid, else the construct's default. */
export function safeNatGateways(props: NewVpcNetworkProps | undefined, defaults: { readonly natGateways: number }): number {
  const n = props?.natGateways;
  if (n === undefined || Token.isUnresolved(n)) return defaults.natGateways;
  const zones = Token.isUnresolved(props!.availabilityZones) ? undefined : props!.availabilityZones.length;
  return Number.isInteger(n) && n >= 0 && (zones === undefined || n <= zones) ? n : defaults.natGateways;
}

/**
 * The rules of a network every construct shares:
 * - `publicEndpoint` only where the construct has one (`allowsPublic`), else an error naming the factories;
 * - a new VPC's CIDR is an IPv4 block of /16 (the VPC maximum) up to the prefix that still holds one workload
 *   subnet per zone (and one NAT subnet per zone with NAT): aws-cdk-lib throws on it without a construct path;
 * - a new VPC's NAT gateways are a whole number, at most one per zone.
 * The zones themselves are checked by `SecureVpc` (region, context), under `availabilityZones`.
 */
export function checkNetwork(v: PropsValidator, config: AnalyticsNetworkConfig | undefined, construct: string, allowsPublic: boolean,
  defaults: { readonly subnetCidrMask: number; readonly natGateways: number }): void {
  if (config === undefined) return;
  if (config.kind === 'public' && !allowsPublic) {
    v.fail('network', new Shown('AnalyticsNetwork.publicEndpoint()'), `does not apply to ${construct}, which has no public endpoint: ` +
      'use AnalyticsNetwork.newVpc({ availabilityZones }) or AnalyticsNetwork.fromVpc(vpc)');
  }
  if (config.kind !== 'newVpc') return;
  const props = config.props;
  const zones = Token.isUnresolved(props.availabilityZones) ? undefined : props.availabilityZones.length;
  if (zones !== undefined) {
    v.check(zones > 0, 'network.availabilityZones', new Shown('[]'), 'must list at least one Availability Zone');
  }
  // The library's own rule: SecureVpc places at most one NAT gateway in each zone's public subnet.
  v.wholeNumber('network.natGateways', props.natGateways, 0, zones);
  const cidr = props.cidr;
  if (cidr === undefined || Token.isUnresolved(cidr) || zones === undefined) return;
  const nat = safeNatGateways(props, defaults) > 0;
  const needed = Math.max(zones, 1) * (2 ** (32 - defaults.subnetCidrMask) + (nat ? 2 ** (32 - NAT_SUBNET_MASK) : 0));
  const maxPrefix = Math.min(28, 32 - Math.ceil(Math.log2(needed)));
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const valid = m !== null && m.slice(1, 5).every(o => Number(o) <= 255) && Number(m[5]) >= 16 && Number(m[5]) <= maxPrefix;
  const subnets = `${zones} /${defaults.subnetCidrMask} subnet${zones === 1 ? '' : 's'}${nat ? ` and ${zones} /${NAT_SUBNET_MASK} NAT subnet${zones === 1 ? '' : 's'}` : ''}`;
  // A VPC CIDR is /16 to /28, and it must hold the construct's subnets.
  // https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
  v.check(valid, 'network.cidr', cidr, `must be an IPv4 CIDR block with a prefix length between /16 and /${maxPrefix} (${subnets})`);
}
