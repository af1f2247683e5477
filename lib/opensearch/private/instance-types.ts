/**
 * What the construct knows about OpenSearch Service instance types, each fact with its source.
 */

/**
 * Largest gp3 EBS volume (GiB) per data node instance type, from the "EBS volume size quotas" table of the
 * OpenSearch Service developer guide (the minimum is 10 GiB for every type). Types whose row says "N/A" for
 * gp3 are listed in `NO_GP3`; types newer than the table (for example the 7th-generation Graviton families)
 * are not listed, and their volume size is not checked against a maximum.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
 */
export const MAX_GP3_VOLUME_GIB: Readonly<Record<string, number>> = {
  't3.small.search': 100, 't3.medium.search': 200,
  'm5.large.search': 1024, 'm5.xlarge.search': 2048, 'm5.2xlarge.search': 3072, 'm5.4xlarge.search': 6144, 'm5.12xlarge.search': 18432,
  'm6g.large.search': 1024, 'm6g.xlarge.search': 2048, 'm6g.2xlarge.search': 3072, 'm6g.4xlarge.search': 6144,
  'm6g.8xlarge.search': 12288, 'm6g.12xlarge.search': 18432,
  'c5.large.search': 256, 'c5.xlarge.search': 512, 'c5.2xlarge.search': 1024, 'c5.4xlarge.search': 1536,
  'c5.9xlarge.search': 3584, 'c5.18xlarge.search': 7168,
  'c6g.large.search': 256, 'c6g.xlarge.search': 512, 'c6g.2xlarge.search': 1024, 'c6g.4xlarge.search': 1536,
  'c6g.8xlarge.search': 3072, 'c6g.12xlarge.search': 4608,
  'r5.large.search': 2048, 'r5.xlarge.search': 3072, 'r5.2xlarge.search': 6144, 'r5.4xlarge.search': 12288, 'r5.12xlarge.search': 24576,
  'r6g.large.search': 2048, 'r6g.xlarge.search': 3072, 'r6g.2xlarge.search': 6144, 'r6g.4xlarge.search': 12288,
  'r6g.8xlarge.search': 16384, 'r6g.12xlarge.search': 24576,
};

/** Families whose rows in the same table have no gp3 maximum ("N/A"): gp2 or magnetic only. */
export const NO_GP3 = ['t2', 'm3', 'm4', 'c4', 'r3', 'r4', 'i2'];

/**
 * Families with instance storage only, which cannot take EBS volumes (aws-cdk-lib's `Domain` rejects them
 * with EBS: I3, R6GD, I4G, I4I, I8G, IM4GN, R7GD, R8GD, OI2); the construct always attaches gp3 volumes.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
 */
export const INSTANCE_STORE_ONLY = ['i3', 'r6gd', 'i4g', 'i4i', 'i8g', 'im4gn', 'r7gd', 'r8gd', 'oi2'];

/** Families that do not support encryption at rest (which fine-grained access control needs). */
export const NO_ENCRYPTION_AT_REST = ['m3', 'r3', 't2'];

/**
 * Instance families the service offers for data and master nodes: the `OpenSearchPartitionInstanceType`
 * enum of the service model (botocore `opensearch/2021-01-01/service-2.json`), the families aws-cdk-lib's
 * `Domain` knows, and the Graviton3/4 and OpenSearch-optimized families announced since. An instance type of
 * another family is passed through with a warning, not rejected: the service adds families faster than any
 * list.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/supported-instance-types.html
 */
export const KNOWN_FAMILIES = new Set([
  't2', 't3', 't4g', 'm3', 'm4', 'm5', 'm6g', 'm7g', 'm7i', 'm8g', 'c4', 'c5', 'c6g', 'c7g', 'c7i', 'c8g',
  'r3', 'r4', 'r5', 'r6g', 'r6gd', 'r7g', 'r7gd', 'r7i', 'r8g', 'r8gd', 'i2', 'i3', 'i4g', 'i4i', 'i8g', 'im4gn', 'd2',
  'or1', 'or2', 'om2', 'oi2',
]);

/** `r6g.large.search` → `r6g`; undefined when the type does not have the `<family>.<size>.search` form. */
export function instanceFamily(instanceType: string): string | undefined {
  const m = /^([a-z0-9]+)\.([a-z0-9]+)\.search$/.exec(instanceType);
  return m ? m[1] : undefined;
}

/** Whether `instanceType` belongs to one of `families`. */
export function inFamilies(instanceType: string, families: readonly string[]): boolean {
  const family = instanceFamily(instanceType);
  return family !== undefined && families.includes(family);
}
