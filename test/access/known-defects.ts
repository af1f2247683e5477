/**
 * The known defects that make a path fail today, each with its issue. A path a defect makes fail runs as
 * `test.failing` (see `prove.ts`): when the fix lands, the test turns red; then delete the defect's mark
 * from the path (or the entry here) so that the path runs as a plain test.
 */
import { ANY_RULE_NOTIFIES_ALARM_TOPIC } from './generated';
import { AccessPath } from './model';
import { withKnownDefect } from './prove';

/** Issue 13: every example alarm topic carries a topic policy (the TLS-only deny) that replaces SNS's default policy and allows no CloudWatch. */
export const ALARM_TOPIC_NO_CLOUDWATCH = 'issue 13: the alarm topic policy does not let cloudwatch.amazonaws.com publish';

/** Issue 13: the alarm topic (its topic policy and key) of the example does not admit EventBridge. */
export const ALARM_TOPIC_NO_EVENTBRIDGE = 'issue 13: the alarm topic and its key do not let events.amazonaws.com publish';

/** Issue 13: the OpenSearch example's alarm topic key has no statement for CloudWatch. */
export const OPENSEARCH_ALARM_KEY_NO_CLOUDWATCH = 'issue 13: the OpenSearch example alarm topic key does not let CloudWatch use it';

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

/** A service publishing to a topic. */
export function isServicePublish(service: string): (p: AccessPath) => boolean {
  return p => p.principal.kind === 'service' && p.principal.service === service && p.action === 'sns:Publish';
}

/**
 * Marks the generated alarm-topic paths of an example that fail today: CloudWatch publishing (every example),
 * and EventBridge publishing unless an event rule of the example already made aws-cdk-lib admit it.
 */
export function withAlarmTopicDefects(paths: AccessPath[], options: { readonly eventBridgeAdmitted: boolean }): AccessPath[] {
  const marked = withKnownDefect(paths, isServicePublish('cloudwatch.amazonaws.com'), ALARM_TOPIC_NO_CLOUDWATCH);
  if (options.eventBridgeAdmitted) return marked;
  return withKnownDefect(marked, p => p.why.startsWith(ANY_RULE_NOTIFIES_ALARM_TOPIC), ALARM_TOPIC_NO_EVENTBRIDGE);
}
