import * as ec2 from 'aws-cdk-lib/aws-ec2';

import type { NewVpcNetworkProps } from '../network';

/** What an `AnalyticsNetwork` factory chose. */
export type AnalyticsNetworkConfig =
  | { readonly kind: 'newVpc'; readonly props: NewVpcNetworkProps }
  | { readonly kind: 'vpc'; readonly vpc: ec2.IVpc; readonly subnets?: ec2.SubnetSelection; readonly securityGroup?: ec2.ISecurityGroup }
  | { readonly kind: 'public'; readonly allowedIpRanges: string[] };
