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
 * default key policy) would otherwise allow. `BoolIfExists` also denies a request that carries no such key.
 * Only `CreateGrant` is denied: administrators keep `ListGrants` and `RevokeGrant` (and every other management
 * action) to review and remove grants, and can still change the key policy.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
 */
export function createEncryptionKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAWSResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'], // in a key policy, '*' is this key
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' } },
  }));
  return key;
}
