/**
 * Cluster identifiers and snapshot copy grant names share one rule: 1–63 lowercase letters, digits or
 * hyphens, starting with a letter, not ending with a hyphen, no two hyphens in a row.
 * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
 * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateSnapshotCopyGrant.html
 */
export const CLUSTER_IDENTIFIER_PATTERN = /^(?!.*--)[a-z][a-z0-9-]{0,62}(?<!-)$/;
export const CLUSTER_IDENTIFIER_RULE =
  '1 to 63 lowercase letters, digits or hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row';

/** Turns a generated unique name into a valid identifier (lowercase, starts with a letter, single hyphens). */
export function deterministicIdentifier(unique: string): string {
  let id = unique.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  if (!/^[a-z]/.test(id)) id = `rs-${id}`;
  id = id.slice(0, 63).replace(/-+$/, '');
  return id;
}
