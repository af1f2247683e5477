/**
 * The policies that decide a request, collected from a template: a role's identity policies (inline,
 * `AWS::IAM::Policy`, customer managed policies, AWS managed policies from the checked-in copies under
 * `aws-managed-policies/`) and its permissions boundary; the resource policy of the resource a request is
 * on (bucket, key, topic, queue, domain access, CloudWatch Logs resource policies, secret, Lambda
 * permissions, a role's trust policy).
 */
import * as fs from 'fs';
import * as path from 'path';

import { CfnModel, CfnValue } from './cfn';

/** A named policy document, with every intrinsic resolved. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: PolicyDocument;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: Statement[];
}

/** One statement of a policy document. */
export type Statement = Record<string, unknown>;

/** The checked-in copy of an AWS managed policy. */
interface AwsManagedPolicyFile {
  readonly name: string;
  readonly arn: string;
  readonly document: PolicyDocument;
}

const MANAGED_POLICY_DIR = path.join(__dirname, 'aws-managed-policies');
const AWS_MANAGED_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

/** The checked-in copy of the AWS managed policy `arn`, or `undefined` when there is none. */
export function awsManagedPolicy(arn: string): NamedPolicy | undefined {
  const m = AWS_MANAGED_ARN.exec(arn);
  if (!m) throw new Error(`${arn} is not the ARN of an AWS managed policy`);
  const file = path.join(MANAGED_POLICY_DIR, `${m[1]}.json`);
  if (!fs.existsSync(file)) return undefined;
  const copy = JSON.parse(fs.readFileSync(file, 'utf-8')) as AwsManagedPolicyFile;
  if (copy.arn !== arn.replace(/^arn:aws[a-z-]*:/, 'arn:aws:')) throw new Error(`${file} holds ${copy.arn}, not ${arn}`);
  return { name: `AWS managed policy ${copy.name}`, policy: copy.document };
}

function asStatements(doc: PolicyDocument): Statement[] {
  return ([] as Statement[]).concat(doc.Statement);
}

/** What a role's permissions are made of. */
export interface RolePolicies {
  readonly identityPolicies: NamedPolicy[];
  readonly permissionsBoundary?: NamedPolicy;
  /** AWS managed policies the role has and this repository holds no copy of: the role cannot be evaluated. */
  readonly missing: string[];
}

/** Collects policies from a template. */
export class PolicyCollector {
  constructor(private readonly cfn: CfnModel) {}

  /** The identity policies and permissions boundary of the role `roleId` (a logical ID). */
  public rolePolicies(roleId: string): RolePolicies {
    const cfn = this.cfn;
    const role = cfn.resource(roleId);
    if (role.Type !== 'AWS::IAM::Role') throw new Error(`${roleId} is a ${role.Type}, not an AWS::IAM::Role`);
    const roleName = cfn.nameOf(roleId);
    const out: NamedPolicy[] = [];
    const missing: string[] = [];

    for (const inline of (role.Properties?.Policies ?? []) as Array<{ PolicyName: CfnValue; PolicyDocument: CfnValue }>) {
      out.push({ name: `${roleId} inline policy ${cfn.str(inline.PolicyName)}`, policy: cfn.resolve(inline.PolicyDocument) as PolicyDocument });
    }
    const attachedTo = (id: string) => ((cfn.resolve(cfn.resource(id).Properties?.Roles) ?? []) as string[]).includes(roleName);
    for (const id of cfn.ofType('AWS::IAM::Policy').filter(attachedTo)) {
      out.push({ name: `${id} (AWS::IAM::Policy)`, policy: cfn.resolve(cfn.resource(id).Properties!.PolicyDocument) as PolicyDocument });
    }
    const customerManaged = new Map(cfn.ofType('AWS::IAM::ManagedPolicy').map(id => [cfn.arn(id), id]));
    const attached = new Set(cfn.ofType('AWS::IAM::ManagedPolicy').filter(attachedTo));
    for (const arn of (cfn.resolve(role.Properties?.ManagedPolicyArns) ?? []) as string[]) {
      const id = customerManaged.get(arn);
      if (id) {
        attached.add(id);
      } else {
        const aws = awsManagedPolicy(arn);
        if (aws) out.push(aws);
        else missing.push(arn);
      }
    }
    for (const id of attached) {
      out.push({ name: `${id} (AWS::IAM::ManagedPolicy)`, policy: cfn.resolve(cfn.resource(id).Properties!.PolicyDocument) as PolicyDocument });
    }

    let permissionsBoundary: NamedPolicy | undefined;
    const boundaryArn = role.Properties?.PermissionsBoundary === undefined ? undefined : cfn.str(role.Properties.PermissionsBoundary);
    if (boundaryArn) {
      const id = customerManaged.get(boundaryArn);
      permissionsBoundary = id
        ? { name: `${id} (permissions boundary)`, policy: cfn.resolve(cfn.resource(id).Properties!.PolicyDocument) as PolicyDocument }
        : awsManagedPolicy(boundaryArn);
      if (!permissionsBoundary) missing.push(boundaryArn);
    }
    return { identityPolicies: out, permissionsBoundary, missing };
  }

  /**
   * The resource policy that applies to `action` on `resourceArn`, if the template defines one. A topic
   * without a topic policy throws: SNS then applies its default policy, which this model does not reproduce.
   */
  public resourcePolicy(action: string, resourceArn: string): NamedPolicy | undefined {
    const service = resourceArn.split(':')[2];
    const cfn = this.cfn;
    if (/^sts:AssumeRole/i.test(action) || (service === 'iam' && /:role\//.test(resourceArn))) {
      const id = cfn.ofType('AWS::IAM::Role').find(r => cfn.arn(r) === resourceArn);
      return id ? { name: `trust policy of ${id}`, policy: cfn.resolve(cfn.resource(id).Properties!.AssumeRolePolicyDocument) as PolicyDocument }
        : undefined;
    }
    switch (service) {
      case 's3': {
        const bucket = resourceArn.split(':::')[1].split('/')[0];
        return this.policyOf('AWS::S3::BucketPolicy', p => cfn.str(p.Bucket) === bucket, 'PolicyDocument', `bucket policy of ${bucket}`);
      }
      case 'kms': {
        const id = cfn.ofType('AWS::KMS::Key').find(k => cfn.arn(k) === resourceArn);
        return id ? { name: `key policy of ${id}`, policy: cfn.resolve(cfn.resource(id).Properties!.KeyPolicy) as PolicyDocument } : undefined;
      }
      case 'sns': {
        const topic = cfn.ofType('AWS::SNS::Topic').find(t => cfn.arn(t) === resourceArn);
        const policy = this.policyOf('AWS::SNS::TopicPolicy', p => (cfn.resolve(p.Topics) as string[]).includes(resourceArn), 'PolicyDocument',
          `topic policy of ${topic ?? resourceArn}`);
        if (!policy && topic) {
          throw new Error(`Topic ${topic} has no AWS::SNS::TopicPolicy: SNS applies its default policy, which this model does not reproduce`);
        }
        return policy;
      }
      case 'sqs': {
        const id = cfn.ofType('AWS::SQS::Queue').find(q => cfn.arn(q) === resourceArn);
        const url = id ? cfn.ref(id) : undefined;
        return this.policyOf('AWS::SQS::QueuePolicy', p => (cfn.resolve(p.Queues) as string[]).includes(url as string), 'PolicyDocument',
          `queue policy of ${id ?? resourceArn}`);
      }
      case 'es': {
        const domainArn = resourceArn.split('/').slice(0, 2).join('/');
        const id = cfn.ofType('AWS::OpenSearchService::Domain').find(d => cfn.arn(d) === domainArn);
        const doc = id ? cfn.resolve(cfn.resource(id).Properties?.AccessPolicies) as PolicyDocument | undefined : undefined;
        return doc ? { name: `domain access policy of ${id}`, policy: doc } : undefined;
      }
      case 'logs': return this.logsResourcePolicy();
      case 'secretsmanager': {
        const id = cfn.ofType('AWS::SecretsManager::Secret').find(s => cfn.arn(s) === resourceArn);
        return this.policyOf('AWS::SecretsManager::ResourcePolicy', p => cfn.str(p.SecretId) === resourceArn || cfn.str(p.SecretId) === id,
          'ResourcePolicy', `secret resource policy of ${id ?? resourceArn}`);
      }
      case 'lambda': return this.lambdaPermissions(resourceArn);
    }
    return undefined;
  }

  private policyOf(type: string, match: (p: Record<string, CfnValue>) => boolean, docProperty: string, name: string): NamedPolicy | undefined {
    const ids = this.cfn.ofType(type).filter(id => match(this.cfn.resource(id).Properties ?? {}));
    if (ids.length === 0) return undefined;
    // Several policies on one resource: S3 and SNS keep only the last one written, so the template must not have two.
    if (ids.length > 1) throw new Error(`${name}: the template has ${ids.length} ${type} for one resource (${ids.join(', ')})`);
    const doc = this.cfn.resolve(this.cfn.resource(ids[0]).Properties![docProperty]);
    return { name, policy: (typeof doc === 'string' ? JSON.parse(doc) : doc) as PolicyDocument };
  }

  /** Every `AWS::Logs::ResourcePolicy` of the template: together they are the account's logs resource policy. */
  private logsResourcePolicy(): NamedPolicy | undefined {
    const ids = this.cfn.ofType('AWS::Logs::ResourcePolicy');
    if (ids.length === 0) return undefined;
    const statements = ids.flatMap(id => {
      const doc = this.cfn.resolve(this.cfn.resource(id).Properties!.PolicyDocument);
      return asStatements((typeof doc === 'string' ? JSON.parse(doc) : doc) as PolicyDocument);
    });
    return { name: `CloudWatch Logs resource policies ${ids.join(', ')}`, policy: { Version: '2012-10-17', Statement: statements } };
  }

  /** The statements `AWS::Lambda::Permission` resources add to a function's policy. */
  private lambdaPermissions(resourceArn: string): NamedPolicy | undefined {
    const cfn = this.cfn;
    const fnArn = resourceArn.split(':').slice(0, 7).join(':');
    const statements = cfn.ofType('AWS::Lambda::Permission').map(id => cfn.resolve(cfn.resource(id).Properties) as Record<string, string>)
      .filter(p => p.FunctionName === fnArn || fnArn.endsWith(`:function:${p.FunctionName}`))
      .map(p => {
        const condition: Record<string, Record<string, string>> = {};
        if (p.SourceArn) condition.ArnLike = { 'aws:SourceArn': p.SourceArn };
        if (p.SourceAccount) condition.StringEquals = { 'aws:SourceAccount': p.SourceAccount };
        const principal = p.Principal.endsWith('.amazonaws.com') ? { Service: p.Principal } : { AWS: p.Principal };
        return { Effect: 'Allow', Principal: principal, Action: p.Action, Resource: fnArn, ...(Object.keys(condition).length ? { Condition: condition } : {}) };
      });
    return statements.length ? { name: `Lambda permissions of ${fnArn}`, policy: { Version: '2012-10-17', Statement: statements } } : undefined;
  }
}
