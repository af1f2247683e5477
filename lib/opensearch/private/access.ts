import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeWildcardResources } from '../../core/nag';

/**
 * The REST calls the master user makes on the domain: the configuration function reads and writes ISM
 * policies and security-plugin resources (GET, PUT, POST for change_policy, DELETE, PATCH for the audit
 * configuration). An administrator who assumes the role gets the same.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-reference
 */
export const MASTER_USER_ACTIONS = ['es:ESHttpGet', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'];

export interface MasterUserRoleProps {
  readonly domainName: string;
  readonly domainArn: string;
  /** Who may assume the role: the configuration function's role, and the administrators the user names. */
  readonly trustedBy: iam.IPrincipal[];
}

/**
 * The IAM master user of fine-grained access control: trusted only by the principals named (never the
 * whole account), with an identity policy that allows exactly `MASTER_USER_ACTIONS` on this domain.
 */
export function createMasterUserRole(scope: Construct, id: string, props: MasterUserRoleProps): ManagedPolicyRole {
  const role = new ManagedPolicyRole(scope, id, {
    assumedBy: new iam.CompositePrincipal(...props.trustedBy),
    description: `Master user of fine-grained access control of the OpenSearch domain ${props.domainName}`,
  });
  const statement = new iam.PolicyStatement({
    sid: 'DomainRestApi',
    actions: MASTER_USER_ACTIONS,
    resources: [props.domainArn, `${props.domainArn}/*`],
  });
  role.addToPrincipalPolicy(statement);
  acknowledgeWildcardResources(role.policy, [statement], {
    DomainRestApi: 'The REST API paths of this one domain (index names, ISM and security plugin APIs) under domain/<name>/; the domain is named, nothing else is granted.',
  });
  return role;
}

export interface AccessPolicyProps {
  readonly domainArn: string;
  /** The IAM master user role, admitted by name (so that a role you pass needs no es: identity policy). */
  readonly masterRoleArn?: string;
  /** Source IPs of a public endpoint. */
  readonly allowedIpRanges?: string[];
  /** An internal master user signs in with basic auth, which IAM sees as anonymous. */
  readonly internalUser: boolean;
}

/**
 * The domain access policy: the master role by name; IAM principals of this account through their identity
 * policies (the account root delegates to them, as the Firehose role's does); a public endpoint also
 * requires an allowed source IP of everyone but the master role, which the configuration function uses from
 * outside any VPC.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-types-resource
 */
export function domainAccessPolicy(props: AccessPolicyProps): iam.PolicyDocument {
  const doc = new iam.PolicyDocument();
  const resources = [`${props.domainArn}/*`];
  if (props.masterRoleArn) {
    doc.addStatements(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(props.masterRoleArn)], actions: ['es:ESHttp*'], resources }));
  }
  doc.addStatements(new iam.PolicyStatement({
    principals: [props.internalUser ? new iam.AnyPrincipal() : new iam.AccountRootPrincipal()],
    actions: ['es:ESHttp*'],
    resources,
    // cdk-nag reads the key in this spelling; IAM condition keys are case-insensitive.
    conditions: props.allowedIpRanges ? { IpAddress: { 'aws:sourceIp': props.allowedIpRanges } } : undefined,
  }));
  return doc;
}
