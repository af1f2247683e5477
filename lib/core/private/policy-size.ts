import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * IAM's quota for the document of a customer-managed policy: 6,144 characters, whitespace not counted.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
 */
export const MANAGED_POLICY_SIZE_LIMIT = 6144;

/**
 * The fewest characters the document of `policy` can have once CloudFormation fills in its references: the
 * document as it synthesizes, without whitespace, each value CloudFormation computes (a `Ref`, an `Fn::GetAtt`, an
 * import) counted as one character and an `Fn::Join` as its parts. A larger document always fails the deployment,
 * whatever the references turn out to be.
 */
export function minimumPolicySize(policy: iam.ManagedPolicy): number {
  const cfn = policy.node.defaultChild as iam.CfnManagedPolicy;
  return JSON.stringify(withShortestValues(Stack.of(policy).resolve(cfn.policyDocument))).length;
}

function withShortestValues(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withShortestValues);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
    const [fn, args] = entries[0];
    if (fn === 'Fn::Join' && Array.isArray(args) && typeof args[0] === 'string' && Array.isArray(args[1])) {
      return (args[1] as unknown[]).map(part => {
        const shortest = withShortestValues(part);
        return typeof shortest === 'string' ? shortest : 'x';
      }).join(args[0]);
    }
    return 'x';
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, withShortestValues(v)]));
}
