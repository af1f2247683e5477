import { Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct } from 'constructs';

import { createEncryptionKey } from '../core/encryption-key';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { validateAtSynth } from '../core/validation';
import { CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE, deterministicIdentifier } from './private/identifiers';
import { warehouseRemovalPolicies } from './private/removal';

/**
 * Props of `RedshiftSnapshotCopyGrant`.
 */
export interface RedshiftSnapshotCopyGrantProps {
  /**
   * Name of the grant. The source warehouse refers to it by name from another region, so it must be a
   * plain string: 1–63 lowercase letters, digits or hyphens, starting with a letter, with no trailing
   * hyphen or two hyphens in a row.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateSnapshotCopyGrant.html
   * @default - derived from the construct path, so it is stable across deployments
   */
  readonly grantName?: string;
  /**
   * Key in this (destination) region that encrypts the copied snapshots.
   * @default - a new customer-managed key with automatic rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * What happens to a key this construct creates when the stack is deleted. `DESTROY` takes effect only
   * with the context flag `cdk-analytics-blueprints:removeDataOnDestroy`. `SNAPSHOT` keeps the key as
   * `RETAIN_ON_UPDATE_OR_DELETE` does (a key has no snapshot, and the copied snapshots need it). The grant
   * itself holds no data and is always deleted with the stack.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept on delete, deleted when the create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A snapshot copy grant in the destination region of a cross-region snapshot copy: it lets Redshift use
 * a KMS key of this region to encrypt snapshots copied from a KMS-encrypted cluster in another region.
 *
 * Put it in a stack in the destination region, then pass its `grantName` and this region to the source
 * warehouse's `snapshotCopy`.
 *
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html#configure-snapshot-copy-grant
 */
export class RedshiftSnapshotCopyGrant extends Construct {
  /** The grant name, a plain string the source stack can use. */
  public readonly grantName: string;
  /** The key that encrypts copied snapshots in this region. */
  public readonly encryptionKey: kms.IKey;
  /** The underlying grant. */
  public readonly grant: redshift.CfnSnapshotCopyGrant;

  constructor(scope: Construct, id: string, props: RedshiftSnapshotCopyGrantProps = {}) {
    super(scope, id);
    this.grantName = props.grantName ?? deterministicIdentifier(Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }));

    validateAtSynth(this, v => {
      // The source stack needs the name at synth time, in another region: a token would not resolve there.
      v.check(!Token.isUnresolved(this.grantName), 'grantName', undefined, 'must be a plain string, not a token: the source region refers to it by name');
      v.matches('grantName', this.grantName, CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE);
    });

    const keyRemoval = warehouseRemovalPolicies(resolveRemovalPolicy(this, props.removalPolicy)).data;
    this.encryptionKey = props.encryptionKey
      ?? createEncryptionKey(this, 'Key', `Encrypts Redshift snapshots copied into this region through ${this.node.path}`, keyRemoval);

    this.grant = new redshift.CfnSnapshotCopyGrant(this, 'Resource', {
      snapshotCopyGrantName: this.grantName,
      kmsKeyId: this.encryptionKey.keyArn,
    });
  }
}
