import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * An IAM role whose every grant lands in one customer-managed policy attached to it, instead of the
 * inline `DefaultPolicy` that `iam.Role` creates.
 *
 * HIPAA, NIST 800-53 R5 and PCI DSS packs flag every inline policy (`IAMNoInlinePolicy`); a managed
 * policy is reviewable and versioned on its own. `grant*` methods of aws-cdk-lib call
 * `addToPrincipalPolicy`, so they keep working unchanged. Statements that depend on the role being
 * able to act (a flow log, a delivery stream) should depend on `policy`.
 */
export class ManagedPolicyRole extends iam.Role {
  /** The customer-managed policy that holds every statement added to this role. */
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least-privilege permissions of ${this.node.path}`,
      roles: [this],
    });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    // `policy` is unset only while the base constructor runs; nothing adds statements then.
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
