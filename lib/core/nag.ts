import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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

/**
 * A resolved CloudFormation value as cdk-nag prints it in a finding id: `Fn::Join` joined, `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attr>`, `Fn::Sub`'s `${X}` as `<X>`, anything else as JSON. It mirrors cdk-nag's own
 * `flattenCfnReference` (`src/utils/flatten-cfn-reference.ts`; a core test compares the two), so an
 * acknowledgment names the exact finding while the constructs need no cdk-nag dependency.
 */
export function flattenCfnReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (o['Fn::Sub']) return flattenCfnReference(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (o['Fn::ImportValue']) return flattenCfnReference(o['Fn::ImportValue']);
  if (o.Ref) return `<${flattenCfnReference(o.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * How cdk-nag prints `value` (an ARN or other string that may hold tokens) in a finding id, for example
 * `arn:<AWS::Partition>:s3:::<Bucket83908E77>/*`: the value resolved in the stack of `scope`, then flattened.
 */
export function nagResourceId(scope: IConstruct, value: string): string {
  return flattenCfnReference(Stack.of(scope).resolve(value));
}

/**
 * The `AwsSolutions-IAM5` findings that the document of `policy` has now, as cdk-nag prints them between the
 * brackets (`Action::s3:GetObject*`, `Resource::<Bucket.Arn>/raw/*`), in document order, each once. Only
 * `Allow` statements count, as in cdk-nag's rule.
 */
export function wildcardFindings(policy: iam.ManagedPolicy): string[] {
  const cfn = policy.node.defaultChild as iam.CfnManagedPolicy;
  const document = Stack.of(policy).resolve(cfn.policyDocument) as { Statement?: PolicyStatementJson[] };
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of asArray(statement.Resource).map(flattenCfnReference)) {
      if (resource.includes('*')) findings.add(`Resource::${resource}`);
    }
  }
  return [...findings];
}

/**
 * Acknowledges `AwsSolutions-IAM5` on `policy` for every wildcard resource of `statements`, with the reason
 * `reasons[sid]` of the statement that holds it (the reasons of all statements that hold it, when several do). A
 * wildcard resource of a statement with no reason throws: each wildcard needs a reason written next to the statement
 * that adds it.
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
      // Two statements on the same wildcard (two actions on "*") make one finding: its reason gives both.
      const key = `AwsSolutions-IAM5[Resource::${id}]`;
      const known = acks.get(key);
      acks.set(key, known === undefined || known.includes(reason) ? known ?? reason : `${known} ${reason}`);
    }
  }
  if (acks.size > 0) {
    acknowledgeNag(policy.node.defaultChild!, ...[...acks].map(([id, reason]) => ({ id, reason })));
  }
}

interface PolicyStatementJson {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
