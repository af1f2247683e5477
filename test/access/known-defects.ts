/**
 * The known defects that make a path fail today, each with its issue. A path a defect makes fail runs as
 * `test.failing` (see `prove.ts`): when the fix lands, the test turns red; then delete the defect's mark
 * from the path (or the entry here) so that the path runs as a plain test.
 */

/** Issue 13: the EMR cluster lacks the `for-use-with-amazon-emr-managed-policies=true` tag EMR propagates to what it launches. */
export const EMR_CLUSTER_UNTAGGED = 'issue 13: the EMR cluster lacks the tag for-use-with-amazon-emr-managed-policies=true';

/** Issue 13: without `glueDatabases`, the EMR nodes may read, change and delete every database of the catalog. */
export const EMR_GLUE_ALL_DATABASES = 'issue 13: without glueDatabases the EMR nodes may change and delete every catalog database';

/**
 * Issue 13: the EMR nodes may delete any object of the data buckets they are given; where the log bucket is one
 * of them (the platform example), they may delete their own cluster logs.
 */
export const EMR_DELETE_WHOLE_BUCKET = 'issue 13: the EMR nodes may delete any object of their data buckets, their logs included';

/** Issue 13: the OpenSearch Firehose backup role may read and write the whole backup bucket. */
export const OPENSEARCH_BACKUP_ROLE_TOO_BROAD = 'issue 13: the OpenSearch Firehose backup role may read and write the whole backup bucket';

/** Issue 12: the OpenSearch master role has no identity policy, so every call it makes to the domain is denied. */
export const OPENSEARCH_MASTER_ROLE_NO_POLICY = 'issue 12: the OpenSearch master role has no identity policy for the domain';

/** Issue 12: the OpenSearch master role trusts the whole account instead of the lifecycle function role. */
export const OPENSEARCH_MASTER_ROLE_TRUSTS_ACCOUNT = 'issue 12: the OpenSearch master role trusts every principal of the account';
