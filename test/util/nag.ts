import { IConstruct } from 'constructs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, NagPack } from 'cdk-nag';
import { Validations } from 'aws-cdk-lib';

/** The four packs every example stack must pass with zero unacknowledged findings. */
export function nagPacks(): NagPack[] {
  return [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks()];
}

/**
 * Every unacknowledged error and warning of the four packs on `scope`, one line each:
 * `<rule id> at <construct path>: <description>`. Synthesize the stack first (for example with
 * `Template.fromStack`), so that what the packs see is what CloudFormation gets.
 */
export function nagFindings(scope: IConstruct): string[] {
  const findings: string[] = [];
  for (const pack of nagPacks()) {
    const report = pack.validateScope(scope);
    for (const v of report.violations) {
      for (const r of v.violatingResources) {
        findings.push(`${v.ruleName} (${v.severity}) at ${r.constructPath}: ${v.description}`);
      }
    }
  }
  return findings.sort();
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
        out.push(`${c.node.path.slice(base.length + 1) || '.'} ${id.replace(/^annotation::/i, '')}`);
      }
    }
  }
  return out.sort();
}
