import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key an architecture creates when the user passes none: symmetric, automatic
 * yearly rotation, and the longest pending window (30 days, the KMS default, written out) so that a
 * key scheduled for deletion by mistake can still be recovered. `removalPolicy` is the architecture's
 * (retain-except-on-create unless the user chose otherwise).
 *
 * Grants only for AWS resources: the key policy denies `kms:CreateGrant` to everyone unless an AWS service
 * integrated with KMS sends it on the caller's behalf (`kms:GrantIsForAWSResource`). That is how EBS (EMR
 * volumes), Redshift, OpenSearch Service and Firehose get their grants, so they keep working; nobody can hand
 * the key's use to another principal with a direct `CreateGrant`, which the account's `kms:*` (aws-cdk-lib's
 * default key policy) would otherwise allow. `BoolIfExists` also denies a request that carries no such key. A
 * service principal calling on its own (`aws:PrincipalIsAWSService`) is not denied, as AWS Control Tower's
 * control CT.KMS.PR.3 has it.
 * Only `CreateGrant` is denied: administrators keep `ListGrants` and `RevokeGrant` (and every other management
 * action) to review and remove grants, and can still change the key policy.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
 */
export function createEncryptionKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy,
  });
  KeyGrantPolicy.limitToAwsServices(key);
  return key;
}

/**
 * The key-policy statement that limits `kms:CreateGrant` on a customer-managed key to grants for AWS resources
 * or from AWS services: every key the library creates has it, and `limitToAwsServices` adds it to a key of
 * yours (the examples' shared keys use it).
 *
 * It denies `kms:CreateGrant` to every principal unless `kms:GrantIsForAWSResource` or `aws:PrincipalIsAWSService`
 * is true (`BoolIfExists`, both keys in one operator: denied only when neither holds). That is how EBS, Redshift,
 * OpenSearch Service and Firehose get their grants, so they keep working, while nobody can hand the key's use to
 * another principal with a direct `CreateGrant`, which an account's `kms:*` would otherwise allow. It is the
 * exact statement the AWS Control Tower proactive control CT.KMS.PR.3 looks for.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 * @see https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
 */
export class KeyGrantPolicy {
  /** The statement id of the deny statement in the key policy. */
  public static readonly STATEMENT_ID = 'DenyGrantsNotForAWSResources';

  /**
   * Adds the statement to `key`'s policy. Returns false, and changes nothing, for an imported key, whose
   * policy a stack cannot change.
   */
  public static limitToAwsServices(key: kms.IKey): boolean {
    return key.addToResourcePolicy(new iam.PolicyStatement({
      sid: KeyGrantPolicy.STATEMENT_ID,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'], // in a key policy, '*' is this key
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    })).statementAdded;
  }

  private constructor() {}
}
