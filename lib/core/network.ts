import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

import { AnalyticsNetworkConfig } from './private/network-config';

/**
 * Props of `AnalyticsNetwork.newVpc`: the VPC the construct creates (a `SecureVpc`: flow logs, the default
 * security group closed, an S3 gateway endpoint, and the interface endpoints the architecture needs).
 */
export interface NewVpcNetworkProps {
  /**
   * Availability Zones of the VPC, one workload subnet each, for example `['us-east-1a', 'us-east-1b']`. They
   * are all synth needs: no context lookup is made. Each must be a zone of the stack's region when the region
   * is known. How many a construct takes: `OpenSearchCluster`, exactly `availabilityZoneCount`; `EmrCluster`,
   * 2 to 6; `RedshiftWarehouse` and `GlueEtlPipeline`, one or more.
   */
  readonly availabilityZones: string[];
  /**
   * IPv4 CIDR of the VPC. It must hold one workload subnet per zone (and, with NAT, one NAT subnet per zone).
   * @default - the construct's: `10.0.0.0/16` for `OpenSearchCluster` and `EmrCluster`, `10.40.0.0/16` for
   * `GlueEtlPipeline` and `RedshiftWarehouse`
   */
  readonly cidr?: string;
  /**
   * NAT gateways. With 0 the workload subnets are isolated (no route to the internet; AWS services through
   * the VPC endpoints the construct adds); with more, the VPC gets public subnets that hold only the NAT
   * gateways, and the workload subnets get egress through them. At most one per zone.
   * @default - 1 for `EmrCluster` (the nodes install packages at launch), 0 for every other construct
   */
  readonly natGateways?: number;
  /**
   * How long the VPC flow logs are kept.
   * @default - the construct's log retention where it has one (`OpenSearchCluster.logRetention`), else
   * `logs.RetentionDays.ONE_YEAR`
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Key that encrypts the VPC flow logs. CloudWatch Logs must be allowed to use it (see
   * `SecureVpcProps.flowLogEncryptionKey`).
   * @default - the construct's own key (`GlueEtlPipeline` creates one for the flow logs)
   */
  readonly flowLogEncryptionKey?: kms.IKey;
}

/**
 * Options of `AnalyticsNetwork.fromVpc`.
 */
export interface ExistingVpcNetworkOptions {
  /**
   * The subnets of the construct's network interfaces, private or isolated ones. `GlueEtlPipeline` uses the
   * first subnet of the selection for its connection; `OpenSearchCluster` needs exactly one per zone it uses.
   * @default - the construct's: private subnets with egress (`EmrCluster`; `GlueEtlPipeline` and
   * `OpenSearchCluster` fall back to isolated ones), or isolated subnets when the VPC has any
   * (`RedshiftWarehouse`)
   */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * A security group of yours for the construct's network interfaces, instead of the one the construct
   * creates. The construct adds the rules it needs to it (Glue's self-referencing rule, HTTPS from the
   * OpenSearch configuration function). `EmrCluster` keeps its EMR-managed groups and attaches this one to
   * every node as an additional group.
   * @default - a new security group
   */
  readonly securityGroup?: ec2.ISecurityGroup;
}

/**
 * Where a construct's network interfaces live. The same type on every construct with a network
 * (`OpenSearchCluster`, `GlueEtlPipeline`, `EmrCluster`, `RedshiftWarehouse`, `FlinkApplication`); each exposes
 * the result as `vpc`, `securityGroup` and `connections`.
 *
 * Choose with a static factory, so that contradicting settings (a VPC and the zones of a new one, a subnet
 * without its VPC, a VPC and a public endpoint) cannot be written:
 * - `AnalyticsNetwork.newVpc({ availabilityZones: [...] })`: a new `SecureVpc` the construct creates;
 * - `AnalyticsNetwork.fromVpc(vpc, { subnets, securityGroup })`: a VPC you already have;
 * - `AnalyticsNetwork.publicEndpoint([...])`: no VPC, an endpoint reachable from the given CIDRs only
 *   (`OpenSearchCluster` only; every other construct reports it at synth).
 *
 * @example
 * new RedshiftWarehouse(this, 'Warehouse', {
 *   network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
 * });
 */
export class AnalyticsNetwork {
  /**
   * A new VPC the construct creates, in the given zones: isolated subnets (or, with NAT, private subnets with
   * egress), VPC flow logs, the default security group closed, an S3 gateway endpoint and the interface
   * endpoints the construct needs.
   */
  public static newVpc(props: NewVpcNetworkProps): AnalyticsNetwork {
    return new AnalyticsNetwork({ kind: 'newVpc', props });
  }

  /**
   * A VPC you already have (a `SecureVpc`'s `vpc`, or one imported with `ec2.Vpc.fromLookup` /
   * `fromVpcAttributes`).
   */
  public static fromVpc(vpc: ec2.IVpc, options: ExistingVpcNetworkOptions = {}): AnalyticsNetwork {
    return new AnalyticsNetwork({ kind: 'vpc', vpc, subnets: options.subnets, securityGroup: options.securityGroup });
  }

  /**
   * A public endpoint, reachable only from `allowedIpRanges` (IPv4 CIDRs), with no VPC. Only
   * `OpenSearchCluster` accepts it (and still requires IAM and fine-grained access control on every request).
   *
   * @param allowedIpRanges IPv4 CIDR ranges allowed to call the endpoint, for example `['203.0.113.0/24']`.
   */
  public static publicEndpoint(allowedIpRanges: string[]): AnalyticsNetwork {
    return new AnalyticsNetwork({ kind: 'public', allowedIpRanges });
  }

  private constructor(
    /** @internal */
    public readonly _config: AnalyticsNetworkConfig,
  ) {}
}
