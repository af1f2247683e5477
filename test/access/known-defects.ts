/**
 * The known defects that make a path fail today, each with its issue. A path a defect makes fail runs as
 * `test.failing` (see `prove.ts`): when the fix lands, the test turns red; then delete the defect's mark
 * from the path (or the entry here) so that the path runs as a plain test.
 */




/** Issue 13: the OpenSearch Firehose backup role may read and write the whole backup bucket. */
export const OPENSEARCH_BACKUP_ROLE_TOO_BROAD = 'issue 13: the OpenSearch Firehose backup role may read and write the whole backup bucket';

/** Issue 12: the OpenSearch master role has no identity policy, so every call it makes to the domain is denied. */
export const OPENSEARCH_MASTER_ROLE_NO_POLICY = 'issue 12: the OpenSearch master role has no identity policy for the domain';

/** Issue 12: the OpenSearch master role trusts the whole account instead of the lifecycle function role. */
export const OPENSEARCH_MASTER_ROLE_TRUSTS_ACCOUNT = 'issue 12: the OpenSearch master role trusts every principal of the account';
