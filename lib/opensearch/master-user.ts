import * as iam from 'aws-cdk-lib/aws-iam';

import { MasterUserConfig } from './private/config';

/**
 * The master user of fine-grained access control: the one identity with every permission inside
 * OpenSearch, which maps further users and roles.
 *
 * - `OpenSearchMasterUser.iamRole()` (the default): an IAM role the cluster creates, which only the cluster's
 *   configuration function may assume, allowed `es:ESHttpGet/Put/Post/Delete/Patch` on this domain. No
 *   password exists anywhere.
 * - `OpenSearchMasterUser.iamRoleAssumableBy([admin])`: the same, also assumable by the principals you name
 *   (an administrator role, an SSO permission set's role); nobody else in the account.
 * - `OpenSearchMasterUser.iamRole(role)`: an IAM role you already have. Its trust policy must let the
 *   cluster's configuration function (`OpenSearchCluster.lifecycleFunctionRole`) assume it; the domain access
 *   policy admits it by name, so it needs no `es:` identity policy (give it `es:ESHttp*` on the domain if your
 *   account's policies require identity-based permissions too).
 * - `OpenSearchMasterUser.internalUser('admin')`: a user of OpenSearch's internal user database, whose
 *   generated password lives in Secrets Manager, encrypted with the cluster's key. Needed for OpenSearch
 *   Dashboards sign-in without SAML or Cognito.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-master-user
 */
export class OpenSearchMasterUser {
  /**
   * An IAM role as master user.
   * @param role the role. Default: a role the cluster creates, which only the configuration function may assume
   */
  public static iamRole(role?: iam.IRole): OpenSearchMasterUser {
    return new OpenSearchMasterUser({ kind: 'iamRole', role });
  }

  /**
   * An IAM role the cluster creates as master user, assumable by the configuration function and by `admins`
   * (for example the role your administrators sign in with). The whole account is never trusted.
   * @param admins principals that may assume the master user role, besides the configuration function
   */
  public static iamRoleAssumableBy(admins: iam.IPrincipal[]): OpenSearchMasterUser {
    return new OpenSearchMasterUser({ kind: 'iamRole', admins });
  }

  /**
   * A user of the internal user database, with a generated password stored in Secrets Manager.
   * @param username the user name (1 to 64 characters). Default: 'admin'
   */
  public static internalUser(username?: string): OpenSearchMasterUser {
    return new OpenSearchMasterUser({ kind: 'internal', username: username ?? 'admin' });
  }

  private constructor(
    /** @internal */
    public readonly _config: MasterUserConfig,
  ) {}
}
