import { Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

import { PropsValidator, Shown } from '../../core/validation';
import type { RedshiftSnapshotCopy } from '../warehouse-props';
import { CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE } from './identifiers';

/** The cross-region copy settings the cluster gets, with the grant name resolved. */
export interface ResolvedSnapshotCopy {
  readonly destinationRegion: string;
  readonly grantName?: string;
  readonly retentionDays: number;
}

/**
 * Resolves the grant name of `copy` and, when the grant construct of this app is given, makes the warehouse's
 * stack deploy after the grant's stack: Redshift looks the grant up by name when the cluster is created, so a
 * cluster created first fails with SnapshotCopyGrantNotFoundFault. A dependency between stacks of two regions
 * is allowed (it orders deployments; no value crosses regions).
 * @returns the resolved settings, and the reason the dependency could not be added (reported at synth)
 * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableSnapshotCopy.html
 */
export function linkSnapshotCopy(warehouse: Construct, copy: RedshiftSnapshotCopy): { resolved: ResolvedSnapshotCopy; problem?: string } {
  const resolved = {
    destinationRegion: copy.destinationRegion,
    grantName: copy.grantName ?? copy.grant?.grantName,
    retentionDays: (copy.retention ?? Duration.days(7)).toDays({ integral: false }),
  };
  const grant = copy.grant;
  if (!grant) return { resolved };
  const source = Stack.of(warehouse);
  const target = Stack.of(grant);
  if (source === target) return { resolved }; // reported by checkSnapshotCopy
  if (Stage.of(source) !== Stage.of(target)) {
    return {
      resolved,
      problem: `(${grant.node.path}) is in another stage: deploy its stage before this one (for example in an earlier pipeline wave)`,
    };
  }
  try {
    source.addStackDependency(target, `the snapshot copy grant ${grant.grantName} must exist before ${warehouse.node.path} enables cross-region copy`);
  } catch (e) {
    return { resolved, problem: `(${grant.node.path}) cannot be deployed before the warehouse: ${(e as Error).message}` };
  }
  return { resolved };
}

/** Every rule of a cross-region snapshot copy. */
export function checkSnapshotCopy(v: PropsValidator, warehouse: Construct, copy: RedshiftSnapshotCopy, problem?: string): void {
  const stack = Stack.of(warehouse);
  const grant = copy.grant;

  // The cluster is KMS-encrypted, so Redshift needs a snapshot copy grant in the destination region.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html#configure-snapshot-copy-grant
  if (!grant && copy.grantName === undefined) {
    v.fail('snapshotCopy', undefined, 'needs grant (a RedshiftSnapshotCopyGrant of this app) or grantName (a grant made outside it): ' +
      'the cluster is encrypted with KMS, so copies need a snapshot copy grant in the destination region');
  }
  if (grant && copy.grantName !== undefined && !Token.isUnresolved(copy.grantName) && !Token.isUnresolved(grant.grantName)) {
    v.check(copy.grantName === grant.grantName, 'snapshotCopy.grantName', copy.grantName,
      `must be the name of snapshotCopy.grant ('${grant.grantName}') when both are set`);
  }
  if (problem) v.fail('snapshotCopy.grant', undefined, problem);

  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableSnapshotCopy.html (DestinationRegion)
  if (!Token.isUnresolved(copy.destinationRegion) && !Token.isUnresolved(stack.region)) {
    v.check(copy.destinationRegion !== stack.region, 'snapshotCopy.destinationRegion', copy.destinationRegion,
      'must differ from the region of the warehouse: snapshots are copied to another region');
  }
  if (grant) {
    const grantStack = Stack.of(grant);
    if (grantStack === stack) {
      v.fail('snapshotCopy.grant', undefined,
        `(${grant.node.path}) must be in a stack of the destination region, not in the stack of the warehouse`);
    } else {
      // The grant is looked up by name in DestinationRegion, in the cluster's own account.
      // https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateSnapshotCopyGrant.html
      if (!Token.isUnresolved(copy.destinationRegion) && !Token.isUnresolved(grantStack.region)) {
        v.check(copy.destinationRegion === grantStack.region, 'snapshotCopy.destinationRegion', copy.destinationRegion,
          `must be the region of snapshotCopy.grant (${grant.node.path} is in '${grantStack.region}'): ` +
          'Redshift looks the grant up by name in the destination region');
      }
      if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(grantStack.account) && stack.account !== grantStack.account) {
        v.fail('snapshotCopy.grant', undefined,
          `(${grant.node.path}) must be in the account of the warehouse ('${stack.account}', not '${grantStack.account}'): ` +
          'a snapshot copy grant serves clusters of its own account');
      }
    }
  }
  if (copy.grantName !== undefined) {
    v.matches('snapshotCopy.grantName', copy.grantName, CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE);
  }
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableSnapshotCopy.html (RetentionPeriod)
  const retention = copy.retention;
  if (retention && !retention.isUnresolved()) {
    const days = retention.toDays({ integral: false });
    v.check(Number.isInteger(days) && days >= 1 && days <= 35, 'snapshotCopy.retention', new Shown(`${days} days`),
      'must be a whole number of days between 1 and 35');
  }
}
