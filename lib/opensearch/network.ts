import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { NetworkConfig } from './private/config';

/**
 * Where the domain's endpoint lives: inside a VPC (the default and the recommendation), or on a public
 * endpoint restricted by source IP and IAM.
 *
 * Choose with a static factory, so that a VPC and an IP allow list can never be set together:
 * - `OpenSearchNetwork.newVpc([...])` creates an isolated VPC with one private subnet per availability zone;
 * - `OpenSearchNetwork.vpc(vpc)` places the domain in a VPC you already have;
 * - `OpenSearchNetwork.publicEndpoint([...])` puts the domain on the internet, reachable only from the given CIDRs.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html
 */
export class OpenSearchNetwork {
  /**
   * A new VPC that the cluster creates: one isolated subnet per availability zone (no internet gateway, no
   * NAT), VPC flow logs, the default security group closed, and the VPC endpoints the lifecycle-policy
   * function needs (S3 gateway, STS, and Secrets Manager when the master user is internal).
   *
   * @param availabilityZones the zones to use, one subnet each; their number must equal the cluster's
   *   `availabilityZoneCount`. Give them explicitly (for example `['us-east-1a', 'us-east-1b', 'us-east-1c']`)
   *   so that synth needs no lookup.
   */
  public static newVpc(availabilityZones: string[]): OpenSearchNetwork {
    return new OpenSearchNetwork({ kind: 'newVpc', availabilityZones });
  }

  /**
   * A VPC you already have. The domain gets one subnet per availability zone out of `subnets`.
   *
   * @param vpc the VPC
   * @param subnets which subnets to use; the selection must contain exactly one subnet per availability zone
   *   used by the domain.
   *   Default: one private subnet with egress per availability zone, in the first `availabilityZoneCount`
   *   zones of the VPC
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-prereqs
   */
  public static vpc(vpc: ec2.IVpc, subnets?: ec2.SubnetSelection): OpenSearchNetwork {
    return new OpenSearchNetwork({ kind: 'vpc', vpc, subnets });
  }

  /**
   * A public endpoint, reachable only from `allowedIpRanges` (IPv4 CIDRs) and only by IAM principals of
   * this account; fine-grained access control still applies to every request.
   *
   * @param allowedIpRanges IPv4 CIDR ranges allowed to call the endpoint, for example `['203.0.113.0/24']`.
   */
  public static publicEndpoint(allowedIpRanges: string[]): OpenSearchNetwork {
    return new OpenSearchNetwork({ kind: 'public', allowedIpRanges });
  }

  private constructor(
    /** @internal */
    public readonly _config: NetworkConfig,
  ) {}
}
