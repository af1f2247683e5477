import * as iam from 'aws-cdk-lib/aws-iam';

/** What an `OpenSearchMasterUser` factory chose. */
export type MasterUserConfig =
  | { readonly kind: 'iamRole'; readonly role?: iam.IRole; readonly admins?: iam.IPrincipal[] }
  | { readonly kind: 'internal'; readonly username: string };
