import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';

/** What an `OpenSearchNetwork` factory chose. */
export type NetworkConfig =
  | { readonly kind: 'newVpc'; readonly availabilityZones: string[] }
  | { readonly kind: 'vpc'; readonly vpc: ec2.IVpc; readonly subnets?: ec2.SubnetSelection }
  | { readonly kind: 'public'; readonly allowedIpRanges: string[] };

/** What an `OpenSearchMasterUser` factory chose. */
export type MasterUserConfig =
  | { readonly kind: 'iamRole'; readonly role?: iam.IRole; readonly admins?: iam.IPrincipal[] }
  | { readonly kind: 'internal'; readonly username: string };
