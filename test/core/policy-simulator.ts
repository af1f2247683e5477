import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * Policy evaluation for the core tests, on the synthesized template: intrinsics resolved to the concrete
 * strings AWS sees, then the request evaluated by `@cloud-copilot/iam-simulate` (AWS's evaluation logic:
 * explicit deny, resource and identity policies, every condition operator). A request carries only the
 * context keys the calling service is documented to send, so a statement conditioned on a key the service
 * does not send is denied here as it would be in the account.
 */

/** The account and region of the stack under test. */
export interface SimulatedEnv {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
}

/** One request: who calls what on which resource, with which request context. */
export interface SimulatedRequest {
  /** An IAM ARN or a service principal (`cloudwatch.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** Identity policy documents of the principal (none for a service principal). */
  readonly identityPolicies?: unknown[];
}

/** `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`. */
export async function decide(resourcePolicy: unknown, request: SimulatedRequest, account: string): Promise<string> {
  const result = await runSimulation({
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: account },
      contextVariables: renameEncryptionContextKeys(request.context ?? {}) as Record<string, string | string[]>,
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity${i}`, policy: renameEncryptionContextKeys(policy) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: renameEncryptionContextKeys(resourcePolicy),
  }, {});
  if (result.resultType === 'error') {
    throw new Error(`simulation of ${request.action} by ${request.principal} failed: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

/**
 * iam-simulate 0.1.173 matches templated context keys only when the template follows a `/`
 * (`aws:PrincipalTag/<key>`), so it drops `kms:EncryptionContext:<key>` from the request and every condition on
 * it fails as if the key were missing. The same key is renamed, in the policies and in the request alike, to
 * a global templated key it does match; the operators and values are untouched, so the evaluation is the same.
 */
function renameEncryptionContextKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameEncryptionContextKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [
    /^kms:encryptioncontext:/i.test(k) ? `aws:PrincipalTag/kms-encryption-context/${k.slice('kms:EncryptionContext:'.length)}` : k,
    renameEncryptionContextKeys(v),
  ]));
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/**
 * Resolves the intrinsics of a synthesized template (`Ref`, `Fn::GetAtt … Arn`, `Fn::Join`, pseudo
 * parameters) to concrete values: each resource gets the ARN shape of its type, named by its logical id.
 */
export class TemplateResolver {
  constructor(public readonly resources: Resources, public readonly env: SimulatedEnv) {}

  /** The ARN of the resource `logicalId`, in the shape of its type. */
  public arnOf(logicalId: string): string {
    const { account, region, stackName } = this.env;
    const type = this.resources[logicalId]?.Type;
    switch (type) {
      case 'AWS::SNS::Topic': return `arn:aws:sns:${region}:${account}:${stackName}-${logicalId}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${region}:${account}:key/${logicalId}`;
      case 'AWS::Events::Rule': return `arn:aws:events:${region}:${account}:rule/${stackName}-${logicalId}`;
      case 'AWS::CloudWatch::Alarm': {
        const name = this.resources[logicalId].Properties?.AlarmName;
        return `arn:aws:cloudwatch:${region}:${account}:alarm:${typeof name === 'string' ? name : `${stackName}-${logicalId}-ABC123`}`;
      }
      default: throw new Error(`no ARN shape for ${logicalId} (${type})`);
    }
  }

  /** The logical id of the resource whose ARN (or key id) is `value`, if it is in the template. */
  public logicalIdOf(value: string): string | undefined {
    return Object.keys(this.resources).find(id => {
      const type = this.resources[id].Type;
      if (!['AWS::SNS::Topic', 'AWS::KMS::Key', 'AWS::Events::Rule'].includes(type)) return false;
      return this.arnOf(id) === value || (type === 'AWS::KMS::Key' && value === id);
    });
  }

  public resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(v => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const o = value as Record<string, unknown>;
    if ('Ref' in o) {
      const ref = o.Ref as string;
      switch (ref) {
        case 'AWS::Partition': return 'aws';
        case 'AWS::AccountId': return this.env.account;
        case 'AWS::Region': return this.env.region;
        case 'AWS::URLSuffix': return 'amazonaws.com';
        case 'AWS::StackName': return this.env.stackName;
      }
      const type = this.resources[ref]?.Type;
      if (type === 'AWS::SNS::Topic') return this.arnOf(ref); // Ref of a topic is its ARN
      if (type === 'AWS::KMS::Key') return ref; // Ref of a key is its id
      return `${ref}`;
    }
    if ('Fn::GetAtt' in o) {
      const [id, attribute] = o['Fn::GetAtt'] as [string, string];
      if (attribute === 'Arn' || attribute === 'TopicArn') return this.arnOf(id);
      return `${id}.${attribute}`;
    }
    if ('Fn::Join' in o) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(i => this.resolve(i)).join(delimiter);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, this.resolve(v)]));
  }
}
