import type { NagAcknowledgment } from './nag';

/**
 * The compliance packs of cdk-nag that every architecture passes besides AwsSolutions, by the prefix of their
 * rule ids: HIPAA Security, NIST 800-53 rev 5 and PCI DSS 3.2.1. The one list the library keeps of them.
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
export const COMPLIANCE_PACKS: readonly string[] = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** The id under which `pack` reports `rule` (for example `HIPAA.Security-LambdaDLQ`). */
export function packRuleId(pack: string, rule: string): string {
  return `${pack}-${rule}`;
}

/**
 * One acknowledgment of `rule` per compliance pack that reports it, each with the same reason: the three packs
 * share many rules (for example `LambdaDLQ`), and a finding acknowledged in one is still reported by the others.
 * `packs` narrows the list for a rule only some packs have.
 */
export function acknowledgeInCompliancePacks(rule: string, reason: string, packs: readonly string[] = COMPLIANCE_PACKS): NagAcknowledgment[] {
  return packs.map(pack => ({ id: packRuleId(pack, rule), reason }));
}
