import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';

import { findingId, flattenCfnReference } from '../../lib/core/nag';

/** The four packs every example stack must pass with zero unacknowledged findings. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

/**
 * Every unacknowledged error and warning of the four packs on `scope`, one line each:
 * `<rule id> at <construct path>: <description>`. Synthesize the stack first (for example with
 * `Template.fromStack`), so that what the packs see is what CloudFormation gets.
 *
 * A finding is acknowledged as aws-cdk-lib decides it at synth, where the packs run as validation plugins: by an
 * acknowledgment `<pack name>::<finding id>` on the resource or a construct above it (`validateScope` itself only
 * drops findings acknowledged without the pack name, which the library does not write).
 */
export function nagFindings(scope: IConstruct): string[] {
  const findings: string[] = [];
  const byPath = new Map(scope.node.root.node.findAll().map(c => [c.node.path, c]));
  for (const pack of nagPacks()) {
    const report = pack.validateScope(scope);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        const at = r.constructPath ? byPath.get(r.constructPath) : undefined;
        if (at && acknowledgedAt(at, `${pack.name}::${v.ruleName}`) !== undefined) continue;
        findings.push(`${v.ruleName} (${v.severity}) at ${r.constructPath}: ${v.description}`);
      }
    }
  }
  return findings.sort();
}

/** The reason `id` is acknowledged with on `construct` or one above it, if it is. */
function acknowledgedAt(construct: IConstruct, id: string): string | undefined {
  for (let c: IConstruct | undefined = construct; c; c = c.node.scope) {
    for (const m of c.node.metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data && id in (m.data as object)) {
        return (m.data as Record<string, string>)[id];
      }
    }
  }
  return undefined;
}

/**
 * Every nag acknowledgment recorded under `scope`, as `<construct path relative to scope> <rule id>`,
 * sorted: the contract list a test pins so that any new acknowledgment shows in review.
 */
export function nagAcknowledgments(scope: IConstruct): string[] {
  const out: string[] = [];
  const base = scope.node.path;
  for (const c of scope.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !m.data) continue;
      for (const id of Object.keys(m.data as object)) {
        // Shown as the finding id cdk-nag prints: without the `Pack::` of a nag acknowledgment or aws-cdk-lib's
        // 'annotation::'. A core test checks the recorded form.
        out.push(`${c.node.path.slice(base.length + 1) || '.'} ${displayId(id)}`);
      }
    }
  }
  return out.sort();
}

/** As cdk-nag prints the finding: without aws-cdk-lib's 'annotation::' or the `Pack::` of a nag acknowledgment. */
function displayId(id: string): string {
  return findingId(id.replace(/^annotation::/i, ''));
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

interface PolicyStatementJson {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
