import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer-managed key an architecture creates when the user passes none: symmetric, automatic
 * yearly rotation, and the longest pending window (30 days, the KMS default, written out) so that a
 * key scheduled for deletion by mistake can still be recovered. `removalPolicy` is the architecture's
 * (retain-except-on-create unless the user chose otherwise).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 */
export function createEncryptionKey(scope: Construct, id: string, description: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy,
  });
}
