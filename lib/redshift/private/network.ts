import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

import { AnalyticsNetwork } from '../../core/network';
import { checkNetwork, createConstructVpc } from '../../core/private/network-vpc';
import { SecureVpc } from '../../core/secure-vpc';
import { validateAtSynthAndNow } from '../../core/validation';
import { selectClusterSubnets } from './options';

/** The defaults of the VPC the warehouse creates (`AnalyticsNetwork.newVpc`, or no network). */
const WAREHOUSE_VPC_DEFAULTS = { cidr: '10.40.0.0/16', subnetCidrMask: 24, natGateways: 0 };

/** The warehouse's VPC, subnets and security group. */
export interface WarehouseNetwork {
  readonly vpc: ec2.IVpc;
  /** The VPC the warehouse created (undefined for the user's). */
  readonly secureVpc?: SecureVpc;
  /** Whether the VPC is the user's (`AnalyticsNetwork.fromVpc`). */
  readonly existing: boolean;
  readonly subnetIds: string[];
  readonly subnets: ec2.ISubnet[];
  /** Why the subnets could not be selected: `[property, rule]`, reported at synth. */
  readonly subnetProblem?: [string, string];
  readonly securityGroup: ec2.ISecurityGroup;
  /** The security group the warehouse created (undefined when the user gave one). */
  readonly ownSecurityGroup?: ec2.SecurityGroup;
}

/** What the network takes from the warehouse. */
export interface WarehouseNetworkOptions {
  readonly clusterIdentifier: string;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The warehouse's network: a new VPC (isolated subnets only, no internet route at all, and the S3 gateway and Glue
 * interface endpoints that COPY/UNLOAD and Spectrum need under enhanced VPC routing), or the user's; the subnets,
 * selected before validation so that a selection aws-cdk-lib would throw on is reported with the rest; and the
 * security group. A public endpoint does not apply (reported at synth): the warehouse then builds in its default VPC.
 */
export function createWarehouseNetwork(scope: Construct, network: AnalyticsNetwork | undefined, o: WarehouseNetworkOptions): WarehouseNetwork {
  const config = network?._config.kind === 'public' ? undefined : network?._config;
  const failed = validateAtSynthAndNow(scope, v => checkNetwork(v, network?._config, 'RedshiftWarehouse', false, WAREHOUSE_VPC_DEFAULTS));
  const secureVpc = config?.kind === 'vpc' ? undefined : createConstructVpc(scope, 'Network', config?.props, {
    purpose: 'the Redshift warehouse network',
    cidr: WAREHOUSE_VPC_DEFAULTS.cidr,
    maxAzs: 2,
    natGateways: WAREHOUSE_VPC_DEFAULTS.natGateways,
    subnetName: 'warehouse',
    subnetCidrMask: WAREHOUSE_VPC_DEFAULTS.subnetCidrMask,
    flowLogEncryptionKey: o.encryptionKey,
    flowLogGroupName: `/aws/redshift/cluster/${o.clusterIdentifier}-vpc-flow-logs`,
    removalPolicy: o.removalPolicy,
  }, !failed.has('network.cidr'));
  secureVpc?.addInterfaceEndpoint('Glue', ec2.InterfaceVpcEndpointAwsService.GLUE);
  const vpc = config?.kind === 'vpc' ? config.vpc : secureVpc!.vpc;
  const selected = selectClusterSubnets(vpc, config?.kind === 'vpc' ? config.subnets : undefined);

  // Egress stays open: COPY, UNLOAD and Spectrum reach S3, Glue and KMS through the VPC under enhanced
  // VPC routing. Ingress is closed until the user allows a peer.
  const given = config?.kind === 'vpc' ? config.securityGroup : undefined;
  const ownSecurityGroup = given ? undefined : new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `Redshift cluster ${o.clusterIdentifier}`,
    allowAllOutbound: true,
  });
  const securityGroup = given ?? ownSecurityGroup!;
  secureVpc?.allowEndpointAccessFrom(securityGroup, 'Redshift Spectrum reads the Glue Data Catalog');
  return { vpc, secureVpc, existing: config?.kind === 'vpc', ...selected, securityGroup, ownSecurityGroup };
}
