import { RemovalPolicy } from 'aws-cdk-lib';

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
