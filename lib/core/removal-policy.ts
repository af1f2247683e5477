import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Context key that must be `true` before any construct of this library deletes data on `cdk destroy`.
 *
 * Destroying data takes two keys: `removalPolicy: RemovalPolicy.DESTROY` on the construct *and* this
 * context flag (`cdk deploy -c cdk-analytics-blueprints:removeDataOnDestroy=true`, or in `cdk.json`).
 * A DESTROY without the flag keeps RETAIN and emits a warning.
 */
export const REMOVE_DATA_ON_DESTROY_CONTEXT = 'cdk-analytics-blueprints:removeDataOnDestroy';

/**
 * The removal policy a stateful resource gets: RETAIN unless the user asked for DESTROY *and* set
 * the `REMOVE_DATA_ON_DESTROY_CONTEXT` flag. Returns whether data is really to be destroyed.
 */
export function resolveRemovalPolicy(scope: IConstruct, requested: RemovalPolicy | undefined): RemovalPolicy {
  if (requested === undefined || requested === RemovalPolicy.RETAIN) return RemovalPolicy.RETAIN;
  const flag = scope.node.tryGetContext(REMOVE_DATA_ON_DESTROY_CONTEXT);
  if (flag === true || flag === 'true') return requested;
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:removalPolicyIgnored',
    `removalPolicy ${requested} is ignored and RETAIN is used: set the context flag ` +
    `${REMOVE_DATA_ON_DESTROY_CONTEXT}=true as well to let cdk destroy delete data`);
  return RemovalPolicy.RETAIN;
}
