import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IDependable } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeWildcards } from '../../core/nag';
import { MasterUserConfig } from './config';
import { createMasterUserSecret } from './domain-parts';

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
  acknowledgeWildcards(role, {
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

/** What the master user takes from the cluster. */
export interface MasterUserContext {
  readonly domainName: string;
  readonly domainArn: string;
  /** The configuration function's role, which acts as the master user. */
  readonly functionRole: iam.IRole;
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** The master user of fine-grained access control, and what the configuration function needs to act as it. */
export interface MasterUser {
  readonly fineGrainedAccessControl: opensearch.AdvancedSecurityOptions;
  readonly role?: iam.IRole;
  readonly secret?: secretsmanager.ISecret;
  /** What the configuration waits for (the policy of a role created here). */
  readonly waitFor?: IDependable;
}

/**
 * An IAM master role (the given one, or one the configuration function and the given admins may assume), or an
 * internal master user whose password is a secret the function reads (decrypted through Secrets Manager only).
 */
export function configureMasterUser(scope: Construct, masterUser: MasterUserConfig, c: MasterUserContext): MasterUser {
  if (masterUser.kind === 'iamRole') {
    let role = masterUser.role;
    let waitFor: IDependable | undefined;
    if (!role) {
      const created = createMasterUserRole(scope, 'MasterUserRole', {
        domainName: c.domainName, domainArn: c.domainArn, trustedBy: [new iam.ArnPrincipal(c.functionRole.roleArn), ...(masterUser.admins ?? [])],
      });
      role = created;
      waitFor = created.allPolicies;
    }
    c.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'AssumeMasterUser', actions: ['sts:AssumeRole'], resources: [role.roleArn] }));
    return { fineGrainedAccessControl: { masterUserArn: role.roleArn }, role, waitFor };
  }
  const secret = createMasterUserSecret(scope, c.domainName, masterUser.username, c.encryptionKey, c.removalPolicy);
  c.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'ReadMasterUserSecret', actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn],
  }));
  c.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({
    sid: 'DecryptMasterUserSecret',
    actions: ['kms:Decrypt'],
    resources: [c.encryptionKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
  }));
  return {
    fineGrainedAccessControl: { masterUserName: masterUser.username, masterUserPassword: secret.secretValueFromJson('password') },
    secret,
  };
}
