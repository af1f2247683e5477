import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, DependencyGroup } from 'constructs';

import { NamedStatement } from './private/named-statement';
import { MANAGED_POLICY_SIZE_LIMIT, minimumPolicySize } from './private/policy-size';
import { Shown, validateAtSynth } from './validation';

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
  /**
   * The customer-managed policy that holds the statements added to this role: all of them, except, on a role made
   * by a construct of this library, statements without an id added after the construct (your grants), which go to
   * a second managed policy (see `allPolicies`).
   */
  public readonly policy: iam.ManagedPolicy;

  /**
   * What a resource that acts with this role should depend on: `policy`, and the second policy once a grant creates
   * it. (The library's constructs depend on it, so that a grant you add later is in place before they start.)
   */
  public readonly allPolicies: DependencyGroup;

  /** Every statement added through this role, in order (`policy` is unset only while the base constructor runs; nothing adds statements then). */
  private readonly added: NamedStatement[] = [];
  /** The statement ids of `_nameStatements` while its callback runs. */
  private naming: Record<string, string | string[]> | undefined;
  /** Set once the library has acknowledged the wildcards of `policy` (`_closeAcknowledgedPolicy`). */
  private acknowledgedPolicyClosed = false;
  /** Where statements without an id go once `policy` is acknowledged; created on first use. */
  private grantsPolicy: iam.ManagedPolicy | undefined;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least-privilege permissions of ${this.node.path}`,
      roles: [this],
    });
    this.allPolicies = new DependencyGroup(this.policy);
    // IAM rejects a customer-managed policy over 6,144 characters at deploy time; grants on many prefixes or keys
    // can get there. Checked at synth on the smallest size the references allow, so it never fires wrongly.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
    validateAtSynth(this, v => {
      for (const [property, policy] of [['policy', this.policy], ['GrantsPolicy', this.grantsPolicy]] as const) {
        if (!policy) continue;
        const size = minimumPolicySize(policy);
        v.check(size <= MANAGED_POLICY_SIZE_LIMIT, property, new Shown(`at least ${size} characters`),
          `must be at most ${MANAGED_POLICY_SIZE_LIMIT} characters without whitespace: IAM rejects a larger customer-managed policy ` +
          '(split the grants across roles, or grant whole prefixes instead of many)');
      }
    });
  }

  public override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    const name = statement.sid ?? this.nameFor(statement);
    if (name === undefined && this.acknowledgedPolicyClosed) {
      // A grant made after the construct acknowledged the wildcards of `policy` (yours, typically): cdk-nag reports one
      // finding per wildcard and policy, so in `policy` it would be covered by an acknowledgment written for another
      // statement. In a policy of its own, the packs report its wildcards to you.
      this.grantsPolicy ??= new iam.ManagedPolicy(this, 'GrantsPolicy', {
        description: `Permissions granted to ${this.node.path} after its construct made it; no acknowledgment of the library covers them`,
        roles: [this],
      });
      this.allPolicies.add(this.grantsPolicy);
      this.grantsPolicy.addStatements(statement);
      return { statementAdded: true, policyDependable: this.grantsPolicy };
    }
    const same = statement.sid === undefined && name !== undefined ? this.mergeableWith(name, statement) : undefined;
    if (same) {
      // Two grants under one statement id (the read of two prefixes, two key grants): one statement, as aws-cdk-lib's
      // policy minimization merges statements without ids.
      same.addActions(...statement.actions.filter(a => !same.actions.includes(a)));
      same.addResources(...statement.resources);
    } else {
      if (name !== undefined && statement.sid === undefined) statement.sid = this.uniqueSid(name);
      this.policy.addStatements(statement);
      this.added.push({ name, statement });
    }
    return { statementAdded: true, policyDependable: this.policy };
  }

  /**
   * Runs `add` (and returns what it returns), giving a statement id to each statement without one that it adds to
   * this role: `names` maps a statement id to the action (or any of the actions) the statement holds (`'*'`: any
   * statement), the first that matches wins. A
   * statement that matches none keeps no id. A second statement under one id merges into the first when both
   * have the same conditions and the same actions or the same resources (aws-cdk-lib's own merge rule); otherwise
   * it gets the id with a number (`ReadSources2`).
   *
   * For statements that aws-cdk-lib writes (grants, a state machine's logging statements): the library's
   * acknowledgments are keyed by statement id (see `acknowledgeWildcards`). Merging assumes the grant does not change
   * its statement afterwards (bucket, key and Step Functions task grants do not; `ec2.Volume`'s does: do not name it).
   * @internal
   */
  public _nameStatements<T>(names: Record<string, string | string[]>, add: () => T): T {
    for (const sid of Object.keys(names)) {
      if (!/^[A-Za-z0-9]+$/.test(sid)) throw new Error(`${this.node.path}: statement id '${sid}' must be alphanumeric`);
    }
    const outer = this.naming;
    this.naming = names;
    try {
      return add();
    } finally {
      this.naming = outer;
    }
  }

  /**
   * Called when the library has acknowledged the wildcards of `policy`: from then on, a statement without an id (a
   * grant of yours) goes to a second managed policy, `GrantsPolicy`, which no acknowledgment of the library covers.
   * @internal
   */
  public _closeAcknowledgedPolicy(): void {
    this.acknowledgedPolicyClosed = true;
  }

  /**
   * The statements added through this role so far, each with the statement id it was given or named under
   * (without the number a repeated id gets).
   * @internal
   */
  public get _statements(): ReadonlyArray<NamedStatement> {
    return this.added;
  }

  private nameFor(statement: iam.PolicyStatement): string | undefined {
    if (!this.naming) return undefined;
    return Object.entries(this.naming).find(([, actions]) =>
      actions === '*' || (typeof actions === 'string' ? [actions] : actions).some(a => statement.actions.includes(a)))?.[0];
  }

  private mergeableWith(name: string, statement: iam.PolicyStatement): iam.PolicyStatement | undefined {
    const key = mergeKey(statement);
    if (key === undefined) return undefined;
    return this.added.find(({ name: n, statement: s }) => n === name && !s.frozen && mergeKey(s) === key
      && (sameSet(s.actions, statement.actions) || sameSet(s.resources, statement.resources)))?.statement;
  }

  private uniqueSid(name: string): string {
    const taken = new Set(this.added.map(a => a.statement.sid));
    if (!taken.has(name)) return name;
    let n = 2;
    while (taken.has(`${name}${n}`)) n++;
    return `${name}${n}`;
  }
}

/** What two statements must share to become one: effect and conditions; none may have principals or not-lists. */
function mergeKey(s: iam.PolicyStatement): string | undefined {
  if (s.principals.length || s.notPrincipals.length || s.notActions.length || s.notResources.length) return undefined;
  // JSON.stringify renders every unresolved object (a Lazy, an intrinsic) alike: conditions that hold one never merge.
  if (holdsObjectToken(s.conditions)) return undefined;
  return JSON.stringify([s.effect, s.conditions]);
}

function holdsObjectToken(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Token.isUnresolved(value)) return true;
  return Object.values(value as Record<string, unknown>).some(holdsObjectToken);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every(x => b.includes(x));
}
