import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { acknowledgeNag } from '../../core/nag';

/**
 * How cdk-nag prints a resource of a policy statement in a finding id: the resolved CloudFormation value
 * flattened (`Fn::Join` joined, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `${X}` as `<X>`).
 * Mirrors cdk-nag's `flattenCfnReference` so that the constructs need no cdk-nag dependency.
 */
export function nagResourceId(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    const o = node as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(visit).join(delimiter);
    }
    if (o['Fn::Sub']) return visit(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return visit(o['Fn::ImportValue']);
    if (o.Ref) return `<${visit(o.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}

/**
 * Acknowledges `AwsSolutions-IAM5` for every wildcard resource of `statements` on `policy`, with the
 * reason `reasons[sid]` of the statement that holds it.
 */
export function acknowledgeWildcardResources(policy: iam.ManagedPolicy, statements: iam.PolicyStatement[],
  reasons: Record<string, string>): void {
  const acks = new Map<string, string>();
  for (const s of statements) {
    for (const r of s.resources) {
      const id = nagResourceId(policy, r);
      if (!id.includes('*')) continue;
      const reason = reasons[s.sid ?? ''];
      if (!reason) throw new Error(`${policy.node.path}: no reason for the wildcard resource ${id} of statement ${s.sid}`);
      acks.set(`AwsSolutions-IAM5[Resource::${id}]`, reason);
    }
  }
  if (acks.size > 0) {
    acknowledgeNag(policy.node.defaultChild!, ...[...acks].map(([id, reason]) => ({ id, reason })));
  }
}
