import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * One acknowledged cdk-nag finding: the rule id as the synth output prints it (for example
 * `AwsSolutions-IAM5[Resource::*]`) and the reason a reviewer would accept.
 */
export interface NagAcknowledgment {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on one resource, with a reason each.
 *
 * - cdk-nag 3 reads `Validations.of(x).acknowledge()` metadata, and treats an acknowledgment on a
 *   construct as covering every resource below it. So this helper refuses a Stack or Stage: an
 *   acknowledgment belongs on the one resource that needs it.
 * - Users still on cdk-nag 2 read the `cdk_nag` metadata of the CloudFormation resource; it is
 *   written too, so both audiences see the same audit trail. A finding-level id such as
 *   `AwsSolutions-IAM5[Resource::*]` becomes the v2 form `{ id: 'AwsSolutions-IAM5', applies_to: [...] }`.
 *
 * Not exported from the package: it is the library's own tool.
 */
export function acknowledgeNag(resource: IConstruct, ...acks: NagAcknowledgment[]): void {
  if (Stack.isStack(resource) || Stage.isStage(resource)) {
    throw new Error(`${resource.node.path}: nag acknowledgments belong on a single resource, not on a stack or stage`);
  }
  for (const ack of acks) {
    if (!ack.reason || ack.reason.trim().length < 20) {
      throw new Error(`${resource.node.path}: the acknowledgment of ${ack.id} needs a reason a reviewer can check (20+ characters)`);
    }
  }
  Validations.of(resource).acknowledge(...acks.map(a => ({ id: a.id, reason: a.reason })));

  const cfn = CfnResource.isCfnResource(resource) ? resource
    : resource.node.defaultChild && CfnResource.isCfnResource(resource.node.defaultChild) ? resource.node.defaultChild
      : undefined;
  if (!cfn) return;
  const existing = (cfn.getMetadata('cdk_nag') as { rules_to_suppress?: V2Suppression[] } | undefined)?.rules_to_suppress ?? [];
  const merged = [...existing];
  for (const ack of acks) {
    const m = /^([^[]+)\[(.+)\]$/.exec(ack.id);
    const id = m ? m[1] : ack.id;
    const appliesTo = m ? m[2] : undefined;
    const same = merged.find(s => s.id === id && s.reason === ack.reason);
    if (same && appliesTo) {
      same.applies_to = [...(same.applies_to ?? []), appliesTo];
    } else if (!same) {
      merged.push(appliesTo ? { id, reason: ack.reason, applies_to: [appliesTo] } : { id, reason: ack.reason });
    }
  }
  cfn.addMetadata('cdk_nag', { rules_to_suppress: merged });
}

interface V2Suppression {
  id: string;
  reason: string;
  applies_to?: string[];
}
