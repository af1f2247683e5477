import * as iam from 'aws-cdk-lib/aws-iam';

/** A statement of a `ManagedPolicyRole` and the statement id it was given or named under (without a repeat's number). */
export interface NamedStatement {
  readonly name: string | undefined;
  readonly statement: iam.PolicyStatement;
}
