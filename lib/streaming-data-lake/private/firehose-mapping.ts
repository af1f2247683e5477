import { CfnMapping, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The construct id under which aws-cdk-lib's DeliveryStream puts its per-region Firehose CIDR mapping in the stack
 * (rendered as the logical id `awscdkawskinesisfirehoseCidrBlocks`).
 */
export const FIREHOSE_CIDR_MAPPING_ID = '@aws-cdk/aws-kinesisfirehose.CidrBlocks';

/**
 * Builds a delivery stream with `build` without leaving behind the mapping aws-cdk-lib adds for it in a stack
 * whose region is unknown.
 *
 * In such a stack, `firehose.DeliveryStream` creates a stack-level `CfnMapping` of Firehose's CIDR blocks per
 * region and looks the stream's own block up in it, for `deliveryStream.connections` (destinations in a VPC). The
 * lake's destination is S3 and nothing uses `connections`, but the lookup marks the lazy mapping as used, so it is
 * rendered with no `Fn::FindInMap` pointing at it: aws-cdk-lib's template validation then warns (W7001) at the
 * stack, where no acknowledgment can be scoped to the lake. The mapping is removed again only when this call
 * created it; a mapping another delivery stream of the stack created first is left alone. If the user does use
 * `deliveryStream.connections` later, the next DeliveryStream of the stack recreates it under the same logical id;
 * with none, the template
 * refers to a missing mapping and CloudFormation rejects it.
 */
export function withoutUnusedCidrMapping<T>(scope: IConstruct, build: () => T): T {
  const stack = Stack.of(scope);
  const existed = stack.node.tryFindChild(FIREHOSE_CIDR_MAPPING_ID) !== undefined;
  const result = build();
  const mapping = stack.node.tryFindChild(FIREHOSE_CIDR_MAPPING_ID);
  if (!existed && Token.isUnresolved(stack.region) && mapping instanceof CfnMapping) {
    // By the child's own id: constructs stores '/' in an id as '--', and tryRemoveChild does not translate it.
    stack.node.tryRemoveChild(mapping.node.id);
  }
  return result;
}
