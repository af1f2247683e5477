/**
 * The access model of one synthesized stack: who may do what on which resource, as IAM decides it from the
 * stack's own identity, resource, trust and key policies. Paths name CDK constructs and tokens; the model
 * turns them into the concrete ARNs and request context a deployed stack would see.
 */
import { CfnElement, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

import { CfnModel, CfnTemplate } from './cfn';
import { decide, Decision, SimulationRequest } from './engine';
import { NamedPolicy, PolicyCollector } from './policies';

/** Who makes a request. */
export type Principal =
  /** A role of the template, in an assumed-role session. */
  | { readonly kind: 'role'; readonly logicalId: string }
  /** An AWS service principal (`cloudwatch.amazonaws.com`): only resource policies can allow it. */
  | { readonly kind: 'service'; readonly service: string }
  /** A principal the template does not define (a user's role), with the identity policies given. */
  | { readonly kind: 'external'; readonly label: string; readonly roleArn: string; readonly identityPolicies: NamedPolicy[] };

/** A call an architecture makes (or must not be able to make) at run time, and the outcome it needs. */
export interface AccessPath {
  /** Why the architecture needs the call, or what least privilege promises. */
  readonly why: string;
  readonly principal: Principal;
  readonly action: string;
  /** One concrete resource ARN (no wildcard), as the service puts it in the request. */
  readonly resource: string;
  /** Request context the service sends, on top of the defaults (TLS, principal, resource tags). */
  readonly context?: Record<string, string | string[]>;
  readonly expect: 'allow' | 'deny';
  /**
   * A known defect that makes today's outcome differ from `expect`: the issue and the defect. The path
   * then runs as `test.failing`, and turns red the day the fix lands (make it a plain path then).
   */
  readonly knownDefect?: string;
}

/** The session name of every simulated role session. */
const SESSION = 'access-simulation';

/** The access model of a stack. */
export class AccessModel {
  /** Synthesizes `stack` and builds its model. */
  public static of(stack: Stack): AccessModel {
    return new AccessModel(stack, Template.fromStack(stack).toJSON() as CfnTemplate);
  }

  public readonly cfn: CfnModel;
  public readonly policies: PolicyCollector;
  public readonly account: string;
  public readonly region: string;
  private arnIndex?: Map<string, string>;

  constructor(public readonly stack: Stack, template: CfnTemplate) {
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
      throw new Error(`${stack.node.path}: give the stack an explicit account and region to model its access`);
    }
    this.account = stack.account;
    this.region = stack.region;
    this.cfn = new CfnModel(template, { account: stack.account, region: stack.region, stackName: stack.stackName });
    this.policies = new PolicyCollector(this.cfn);
  }

  /** The concrete value of a CDK string (a token such as `bucket.arnForObjects('a/*')`, or a literal). */
  public value(s: string): string {
    return this.cfn.str(this.stack.resolve(s), s);
  }

  /** The logical ID of a construct's CloudFormation resource (its default child's, for an L2). */
  public logicalId(c: IConstruct): string {
    const el = (CfnElement.isCfnElement(c) ? c : c.node.defaultChild) as CfnElement | undefined;
    if (!el || !CfnElement.isCfnElement(el)) throw new Error(`${c.node.path} has no CloudFormation resource`);
    return this.stack.getLogicalId(el);
  }

  /** The ARN of a construct's resource. */
  public arnOf(c: IConstruct): string {
    return this.cfn.arn(this.logicalId(c));
  }

  /** A role of the stack, as the principal of a request. */
  public role(c: IConstruct): Principal {
    return { kind: 'role', logicalId: this.logicalId(c) };
  }

  /** A service principal (`firehose.amazonaws.com`). */
  public service(service: string): Principal {
    return { kind: 'service', service };
  }

  /** A short, readable name for a principal. */
  public label(p: Principal): string {
    switch (p.kind) {
      case 'role': return `role ${p.logicalId}`;
      case 'service': return p.service;
      case 'external': return p.label;
    }
  }

  /** The request IAM evaluates for a path. */
  public request(path: AccessPath): SimulationRequest {
    const { principal } = path;
    const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true', 'aws:RequestedRegion': this.region };
    let identityPolicies: NamedPolicy[] = [];
    let permissionsBoundary: NamedPolicy | undefined;
    let principalArn: string;
    if (principal.kind === 'service') {
      principalArn = principal.service;
      context['aws:PrincipalServiceName'] = principal.service;
    } else {
      let roleArn: string;
      if (principal.kind === 'role') {
        const role = this.policies.rolePolicies(principal.logicalId);
        if (role.missing.length) {
          throw new Error(`${principal.logicalId} has AWS managed policies this repository holds no copy of: ${role.missing.join(', ')}. ` +
            'Add each to test/access/aws-managed-policies/ (with its source and date) before any path of this role can be evaluated.');
        }
        identityPolicies = role.identityPolicies;
        permissionsBoundary = role.permissionsBoundary;
        roleArn = this.cfn.arn(principal.logicalId);
        for (const [k, v] of Object.entries(this.cfn.tagsOf(principal.logicalId))) context[`aws:PrincipalTag/${k}`] = v;
      } else {
        identityPolicies = principal.identityPolicies;
        roleArn = principal.roleArn;
      }
      const [, , , , account, resource] = roleArn.split(':');
      principalArn = `arn:aws:sts::${account}:assumed-role/${resource.split('/').pop()}/${SESSION}`;
      Object.assign(context, { 'aws:PrincipalArn': roleArn, 'aws:PrincipalAccount': account, 'aws:PrincipalType': 'AssumedRole' });
      if (path.action.startsWith('kms:')) context['kms:CallerAccount'] = account;
    }
    if (path.action.startsWith('s3:')) context['s3:TlsVersion'] = '1.2';
    const resourceId = this.resourceIdOf(path.resource);
    if (resourceId && !path.resource.startsWith('arn:aws:s3:')) {
      for (const [k, v] of Object.entries(this.cfn.tagsOf(resourceId))) context[`aws:ResourceTag/${k}`] = v;
    }
    Object.assign(context, path.context ?? {});
    return {
      principal: principalArn,
      action: path.action,
      resource: path.resource,
      resourceAccount: this.resourceAccount(path.resource),
      context,
      identityPolicies,
      permissionsBoundary,
      resourcePolicy: this.policies.resourcePolicy(path.action, path.resource),
    };
  }

  /** Evaluates a path. */
  public evaluate(path: AccessPath): Promise<Decision> {
    return decide(this.request(path));
  }

  /** The logical ID of the template resource a request ARN is on (a log stream is on its log group). */
  public resourceIdOf(arn: string): string | undefined {
    if (!this.arnIndex) {
      this.arnIndex = new Map();
      for (const id of Object.keys(this.cfn.resources)) {
        try {
          const a = this.cfn.arn(id);
          this.arnIndex.set(a, id);
          if (a.endsWith(':*')) this.arnIndex.set(a.slice(0, -2), id);
        } catch {
          // A type with no ARN format: no request is on it.
        }
      }
    }
    return this.arnIndex.get(arn) ?? this.arnIndex.get(arn.replace(/:log-stream:.*$/, ''));
  }

  private resourceAccount(arn: string): string {
    const account = arn.split(':')[4];
    // S3 ARNs carry no account: a bucket of this template is in the stack's account.
    return account || this.account;
  }
}
