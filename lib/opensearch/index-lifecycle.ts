import { Duration, Size } from 'aws-cdk-lib';

/**
 * When a hot index rolls over to a new one. At least one condition must be set; the first one met wins.
 *
 * Rollover needs a write alias: create each first index with the setting
 * `plugins.index_state_management.rollover_alias` (see the README).
 *
 * @see https://docs.opensearch.org/latest/im-plugin/ism/policies/#rollover
 */
export interface OpenSearchRolloverOptions {
  /**
   * Roll over when the primary shards of the index reach this size together.
   * @default - no size condition
   */
  readonly minPrimaryShardSize?: Size;
  /**
   * Roll over when the index is this old.
   * @default - no age condition
   */
  readonly minIndexAge?: Duration;
  /**
   * Roll over when the index holds this many documents.
   * @default - no document-count condition
   */
  readonly minDocCount?: number;
}

/**
 * An Index State Management policy written as code: indexes matching `indexPatterns` start hot, move to
 * UltraWarm after `warmAfter`, optionally to cold storage after `coldAfter`, and are deleted after
 * `deleteAfter`. Every age counts from the index's creation (or its rollover, when `rollover` is set).
 *
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ism.html
 */
export interface OpenSearchIndexLifecycleProps {
  /**
   * Id of the ISM policy: lowercase letters, digits, `-` and `_`, at most 64 characters.
   *
   * Renaming it is safe: at deployment the old policy's template is removed, the new policy is created, the
   * indexes the old policy managed move to the new one, and the old policy is deleted.
   */
  readonly policyId: string;
  /**
   * Index patterns the policy is attached to automatically when an index is created, for example `['logs-*']`.
   * `*` matches any run of characters; ISM rejects `# : \ / ? " < > | ,`, spaces and a leading `_`.
   * Indexes that exist before the policy are not changed.
   */
  readonly indexPatterns: string[];
  /**
   * Take over an ISM policy of the same id that already exists on the domain and was not created by this
   * stack (it is overwritten). Without it, the deployment fails rather than overwrite someone else's policy.
   * @default false
   */
  readonly adoptExistingPolicy?: boolean;
  /**
   * Description stored in the policy.
   * @default - 'Managed by cdk-analytics-blueprints: ' and the states, for example 'hot -> warm -> delete'
   */
  readonly description?: string;
  /**
   * Priority of the ISM template when several policies match the same index; the highest wins. ISM rejects two
   * policies whose index patterns can match the same index at the same priority, so overlapping lifecycles need
   * different priorities (checked at synth between the lifecycles of one cluster).
   * @default 100
   */
  readonly priority?: number;
  /**
   * Roll the hot index over to a new one on these conditions.
   * @default - no rollover
   */
  readonly rollover?: OpenSearchRolloverOptions;
  /**
   * Move indexes to UltraWarm at this age. Requires `warmNodes` on the cluster.
   * @default - indexes stay hot
   */
  readonly warmAfter?: Duration;
  /**
   * Move indexes to cold storage at this age. Requires `coldStorageEnabled` on the cluster and `warmAfter`.
   * @default - indexes are never moved to cold storage
   */
  readonly coldAfter?: Duration;
  /**
   * Field with the document timestamp, which cold storage needs to answer time-range queries.
   * @default '@timestamp'
   */
  readonly timestampField?: string;
  /**
   * Delete indexes at this age.
   * @default - indexes are never deleted
   */
  readonly deleteAfter?: Duration;
}

