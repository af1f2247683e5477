import * as iam from 'aws-cdk-lib/aws-iam';
import { MasterUserConfig } from './private/config';

/**
 * The master user of fine-grained access control: the one identity with every permission inside
 * OpenSearch, which maps further users and roles.
 *
 * - `OpenSearchMasterUser.iamRole()` (the default): an IAM role the cluster creates, assumable by IAM
 *   principals of this account that are allowed `sts:AssumeRole` on it. No password exists anywhere.
 * - `OpenSearchMasterUser.iamRole(role)`: an IAM role you already have. Its trust policy must let the
 *   cluster's lifecycle-policy function (`OpenSearchCluster.lifecycleFunctionRole`) assume it.
 * - `OpenSearchMasterUser.internalUser('admin')`: a user of OpenSearch's internal user database, whose
 *   generated password lives in Secrets Manager, encrypted with the cluster's key. Needed for OpenSearch
 *   Dashboards sign-in without SAML or Cognito.
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-master-user
 */
export class OpenSearchMasterUser {
  /**
   * An IAM role as master user.
   * @param role the role. Default: a role the cluster creates, trusted by this account
   */
  public static iamRole(role?: iam.IRole): OpenSearchMasterUser {
    return new OpenSearchMasterUser({ kind: 'iamRole', role });
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
