import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Context key that must be `true` before any construct of this library deletes data on `cdk destroy`.
 *
 * Destroying data takes two keys: `removalPolicy: RemovalPolicy.DESTROY` on the construct *and* this
 * context flag (`cdk deploy -c cdk-analytics-blueprints:removeDataOnDestroy=true`, or in `cdk.json`).
 * A DESTROY without the flag keeps the default (`RETAIN_ON_UPDATE_OR_DELETE`) and emits a warning.
 */
export const REMOVE_DATA_ON_DESTROY_CONTEXT = 'cdk-analytics-blueprints:removeDataOnDestroy';

/**
 * The removal policy a stateful resource gets.
 *
 * - Unset: `RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation `DeletionPolicy: RetainExceptOnCreate`,
 *   `UpdateReplacePolicy: Retain`): kept on `cdk destroy` and on replacement like RETAIN, but deleted when the
 *   stack operation that created it rolls back, so that a retry after a failed first deploy does not collide
 *   with what the failed one left behind (a physical name, a domain, a cluster).
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 * - `RETAIN`, `RETAIN_ON_UPDATE_OR_DELETE` and `SNAPSHOT` as given: none of them deletes data (a snapshot keeps it),
 *   so none needs the destroy flag.
 * - `DESTROY` only with the `REMOVE_DATA_ON_DESTROY_CONTEXT` flag; without it, the default and a warning.
 */
export function resolveRemovalPolicy(scope: IConstruct, requested: RemovalPolicy | undefined): RemovalPolicy {
  if (requested === undefined) return RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
  if (requested !== RemovalPolicy.DESTROY) return requested;
  const flag = scope.node.tryGetContext(REMOVE_DATA_ON_DESTROY_CONTEXT);
  if (flag === true || flag === 'true') return requested;
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:removalPolicyIgnored',
    `removalPolicy ${requested} is ignored and RETAIN_ON_UPDATE_OR_DELETE (retain, except when the create rolls back) ` +
    `is used: set the context flag ${REMOVE_DATA_ON_DESTROY_CONTEXT}=true as well to let cdk destroy delete data`);
  return RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
}

/**
 * RETAIN as CloudFormation's `RetainExceptOnCreate`: kept on stack deletion and replacement as before, but deleted
 * when the deploy that created it rolls back. A Glue database or table (named from the construct path, or by the
 * user), a named stream or a key created by a failed first deploy would otherwise stay behind, and the retry would
 * fail with "already exists" (or leave one orphan per attempt). A resource created by a deploy that rolls back holds
 * nothing that deploy did not write, so deleting it loses no data. DESTROY and every other policy are unchanged.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
export function retainExceptOnCreate(policy: RemovalPolicy): RemovalPolicy {
  return policy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : policy;
}
