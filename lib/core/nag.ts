import { CfnResource, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

import type { ManagedPolicyRole } from './managed-policy-role';
import type { NamedStatement } from './private/named-statement';

/**
 * One acknowledged cdk-nag finding: the rule id as the synth output prints it (for example
 * `AwsSolutions-IAM5[Resource::*]`) and the reason a reviewer would accept. `acknowledgeNag` records it in the
 * `Pack::Rule` form (`AwsSolutions::AwsSolutions-IAM5[Resource::*]`).
 */
export interface NagAcknowledgment {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges cdk-nag findings on one resource, with a reason each.
 *
 * - cdk-nag 3 runs as aws-cdk-lib validation plugins. The acknowledgment is recorded with
 *   `Validations.of(x).acknowledge()` under the `Pack::Rule` id (`<pack>::<finding id>`, the pack being the
 *   plugin's name), which is the form aws-cdk-lib matches against each plugin's findings: the finding then
 *   appears in the synth validation report as acknowledged, with its reason, instead of disappearing. (An id
 *   without the pack is matched only inside cdk-nag, which drops the finding from the report.)
 * - An acknowledgment on a construct covers every resource below it. So this helper refuses a Stack or Stage:
 *   an acknowledgment belongs on the one resource that needs it.
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
  Validations.of(resource).acknowledge(...acks.map(a => ({ id: packRuleForm(a.id), reason: a.reason })));

  const cfn = CfnResource.isCfnResource(resource) ? resource
    : resource.node.defaultChild && CfnResource.isCfnResource(resource.node.defaultChild) ? resource.node.defaultChild
      : undefined;
  if (!cfn) return;
  const existing = (cfn.getMetadata('cdk_nag') as { rules_to_suppress?: V2Suppression[] } | undefined)?.rules_to_suppress ?? [];
  const merged = [...existing];
  for (const ack of acks) {
    const m = /^([^[]+)\[(.+)\]$/.exec(findingId(ack.id));
    const id = m ? m[1] : findingId(ack.id);
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

/**
 * The `Pack::Rule` form of a cdk-nag finding id: `AwsSolutions-IAM5[Resource::*]` becomes
 * `AwsSolutions::AwsSolutions-IAM5[Resource::*]`. cdk-nag's packs are named without a hyphen (`AwsSolutions`,
 * `HIPAA.Security`, `NIST.800.53.R5`, `PCI.DSS.321`) and prefix each finding id with the name and a hyphen. An id
 * that already names its plugin (a `::` outside brackets) is returned as it is.
 */
export function packRuleForm(id: string): string {
  if (namespaceSeparator(id) >= 0) return id;
  const hyphen = id.indexOf('-');
  if (hyphen <= 0) throw new Error(`'${id}' is not a cdk-nag finding id (<pack>-<rule>)`);
  return `${id.slice(0, hyphen)}::${id}`;
}

/**
 * The finding id cdk-nag prints, without the `Pack::` the acknowledgment carries; an id of another plugin
 * (`CloudFormation-Validate::E1029`) as it is.
 */
export function findingId(id: string): string {
  const at = namespaceSeparator(id);
  if (at < 0) return id;
  const rule = id.slice(at + 2);
  return rule.startsWith(`${id.slice(0, at)}-`) ? rule : id;
}

/** Where `::` separates a plugin name from a rule id: the first one outside brackets (as aws-cdk-lib parses it), or -1. */
function namespaceSeparator(id: string): number {
  let depth = 0;
  for (let i = 0; i < id.length; i++) {
    const c = id[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') depth--;
    else if (c === ':' && id[i + 1] === ':' && depth === 0) return i;
  }
  return -1;
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
 * The one way the library acknowledges `AwsSolutions-IAM5` (wildcards): on the managed policy of `role`, for every
 * wildcard action (`Action::s3:GetObject*`) and resource (`Resource::<Bucket.Arn>/raw/*`) of the statements added to
 * the role so far, with the reason `reasons[id]` of the statement id that holds it (the reasons of every statement
 * that holds it, when several do: cdk-nag reports one finding per wildcard and policy).
 *
 * Keyed by statement id, so each reason is written next to the statement it explains. Statements the library writes
 * carry ids; those that aws-cdk-lib writes (grants, a state machine's logging) get theirs from
 * `ManagedPolicyRole._nameStatements`. A wildcard in a statement id with no reason throws, so a new wildcard cannot
 * slip in unexplained; statements without an id are not acknowledged, and once this has run, the role puts them (a
 * user's grants) in a policy of their own, where no acknowledgment written here covers them.
 */
export function acknowledgeWildcards(role: ManagedPolicyRole, reasons: Record<string, string>): void {
  // The library's statements as they are now (a statement without an id is not the library's own: a user's grant, or
  // one a newer aws-cdk-lib adds that no name matches; it is left for the packs to report, never acknowledged blindly).
  const statements = role._statements.filter(s => s.name !== undefined && s.statement.effect === iam.Effect.ALLOW);
  const acks = wildcardAcknowledgments(role, statements, reasons);
  if (acks.size > 0) {
    acknowledgeNag(role.policy.node.defaultChild!, ...[...acks].map(([id, reason]) => ({ id, reason })));
  }
  // A resource of another stack resolves to its Fn::ImportValue only once the app is prepared for synthesis, and
  // cdk-nag names the finding by the export: the same statements, read again at validation, add those ids.
  const known = new Set(acks.keys());
  role.policy.node.addValidation({
    validate: () => {
      const extra = [...wildcardAcknowledgments(role, statements, reasons)].filter(([id]) => !known.has(id));
      if (extra.length > 0) {
        acknowledgeNag(role.policy.node.defaultChild!, ...extra.map(([id, reason]) => ({ id, reason })));
        extra.forEach(([id]) => known.add(id));
      }
      return [];
    },
  });
  role._closeAcknowledgedPolicy();
}

/** Each IAM5 finding id of `statements` (as cdk-nag prints it now), with the reasons of the statements that hold it. */
function wildcardAcknowledgments(role: ManagedPolicyRole, statements: ReadonlyArray<NamedStatement>,
  reasons: Record<string, string>): Map<string, string> {
  const acks = new Map<string, string>();
  for (const { name, statement } of statements) {
    const findings = [
      ...statement.actions.filter(a => a.includes('*')).map(a => `Action::${a}`),
      ...statement.resources.map(r => nagResourceId(role, r)).filter(r => r.includes('*')).map(r => `Resource::${r}`),
    ];
    if (findings.length === 0) continue;
    const reason = reasons[name!];
    if (!reason) throw new Error(`${role.node.path}: no reason for the wildcard ${findings.join(', ')} of statement ${name}`);
    for (const finding of findings) {
      const key = `AwsSolutions-IAM5[${finding}]`;
      const known = acks.get(key);
      acks.set(key, known === undefined || known.includes(reason) ? known ?? reason : `${known} ${reason}`);
    }
  }
  return acks;
}
