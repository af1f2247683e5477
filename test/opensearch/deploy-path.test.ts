/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The first deployment, end to end, as far as it can run without an account: the synthesized template sets up
 * the fake AWS network (who may assume the master role, what the master role's identity policy allows, whom the
 * domain access policy admits, who is the fine-grained access control master), and every configuration custom
 * resource of the template then runs through the real handler against the fake domain. On the old construct
 * the ISM policy and the Firehose role mapping got HTTP 403 (the master role had no identity policy and the
 * access policy named only the account root), so the stack rolled back after the domain was created.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';

import { AnalyticsNetwork, OpenSearchCluster, OpenSearchFirehoseIngestion, OpenSearchMasterUser } from '../../lib';
import { testStack } from '../util/app';
import { CFN_RESPONSE_HOST, FakeAws } from './fake-aws/fake-aws';
import { globMatch } from './fake-aws/glob';

const { createHandler } = require('../../lib/opensearch/assets/ism-handler/index.js');

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const HOST = 'vpc-logs-fake.us-east-1.es.amazonaws.com';
type Json = Record<string, unknown>;

/** Resolves the intrinsic functions of a template value to what they would be in the fake account. */
function resolver(template: Json) {
  const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
  const value = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(value);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Json;
    if ('Ref' in o) return ref(o.Ref as string);
    if ('Fn::GetAtt' in o) { const [id, attr] = o['Fn::GetAtt'] as [string, string]; return getAtt(id, attr); }
    if ('Fn::Join' in o) { const [sep, parts] = o['Fn::Join'] as [string, unknown[]]; return parts.map(value).join(sep); }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, value(x)]));
  };
  const ref = (id: string): string => ({
    'AWS::Region': REGION, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws', 'AWS::AccountId': ACCOUNT,
  } as Record<string, string>)[id] ?? (resources[id]?.Type === 'AWS::IAM::Role' ? id : resources[id]?.Type === 'AWS::KMS::Key' ? `key-${id}` : id);
  const getAtt = (id: string, attr: string): string => {
    const type = resources[id]?.Type;
    if (type === 'AWS::IAM::Role' && attr === 'Arn') return `arn:aws:iam::${ACCOUNT}:role/${id}`;
    if (type === 'AWS::OpenSearchService::Domain' && attr === 'DomainEndpoint') return HOST;
    if (type === 'AWS::OpenSearchService::Domain' && attr === 'Arn') return `arn:aws:es:${REGION}:${ACCOUNT}:domain/${resources[id].Properties.DomainName}`;
    return `${id}.${attr}`;
  };
  return value;
}

interface Statement { Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown }
const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Sets the fake up from the template and runs every configuration custom resource through the handler. */
async function deployConfiguration(stack: Stack): Promise<{ aws: FakeAws; responses: Json[]; domain: ReturnType<FakeAws['addDomain']> }> {
  const template = Template.fromStack(stack).toJSON() as Json;
  const resolve = resolver(template);
  const resources = Object.entries(template.Resources as Record<string, { Type: string; Properties: Json }>);
  const aws = new FakeAws(REGION);

  const domainResource = resources.find(([, r]) => r.Type === 'AWS::OpenSearchService::Domain')![1];
  const domainArn = `arn:aws:es:${REGION}:${ACCOUNT}:domain/${domainResource.Properties.DomainName}`;
  const accessPolicy = resolve(domainResource.Properties.AccessPolicies) as { Statement: Statement[] };
  const masterArn = (resolve(domainResource.Properties.AdvancedSecurityOptions) as Json & { MasterUserOptions: { MasterUserARN: string } })
    .MasterUserOptions.MasterUserARN;

  // Trust policies and identity policies (customer-managed policies attached to roles), as IAM would read them.
  const identity: Record<string, string[]> = {};
  const esActions = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPut', 'es:ESHttpPost', 'es:ESHttpDelete', 'es:ESHttpPatch'];
  for (const [id, r] of resources) {
    if (r.Type === 'AWS::IAM::Role') {
      for (const s of (resolve(r.Properties.AssumeRolePolicyDocument) as { Statement: Statement[] }).Statement) {
        for (const p of list((s.Principal as { AWS?: string | string[] }).AWS)) aws.allowAssumeRole(`arn:aws:iam::${ACCOUNT}:role/${id}`, p);
      }
    }
    if (r.Type === 'AWS::IAM::ManagedPolicy') {
      const statements = (resolve(r.Properties.PolicyDocument) as { Statement: Statement[] }).Statement.filter(s => s.Effect === 'Allow');
      for (const role of list(resolve(r.Properties.Roles) as string[])) {
        const arn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
        for (const s of statements) {
          if (list(s.Action).includes('sts:AssumeRole')) list(s.Resource).forEach(target => aws.grantAssumeRole(arn, target));
          if (!list(s.Resource).some(res => globMatch(res, `${domainArn}/_plugins/_ism/policies/x`))) continue;
          identity[arn] = [...(identity[arn] ?? []), ...esActions.filter(a => list(s.Action).some(pattern => globMatch(pattern, a)))];
        }
      }
    }
  }
  const principals = accessPolicy.Statement.flatMap(s => {
    const p = s.Principal as string | { AWS: string | string[] };
    return typeof p === 'string' ? [p] : list(p.AWS);
  });
  // An internal master user: the generated secret, readable by the principals the template lets read it.
  const internal = (domainResource.Properties.AdvancedSecurityOptions as { InternalUserDatabaseEnabled?: boolean }).InternalUserDatabaseEnabled;
  const users: Record<string, string> = {};
  for (const [id, r] of resources) {
    if (r.Type !== 'AWS::SecretsManager::Secret') continue;
    const username = JSON.parse((r.Properties.GenerateSecretString as Json).SecretStringTemplate as string).username;
    users[username] = `generated-${id}`;
    const readers = resources
      .filter(([, p]) => p.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(resolve(p.Properties.PolicyDocument)).includes('secretsmanager:GetSecretValue'))
      .flatMap(([, p]) => list(resolve(p.Properties.Roles) as string[]).map(role => `arn:aws:iam::${ACCOUNT}:role/${role}`));
    aws.addSecret(id, JSON.stringify({ username, password: users[username] }), readers);
  }
  const admins = internal ? Object.keys(users) : [masterArn];
  const domain = aws.addDomain(HOST, { accessPolicyPrincipals: principals, identityPolicies: identity, admins, internalUsers: users });

  const fnRole = resources.find(([id, r]) => r.Type === 'AWS::IAM::Role' && id.includes('IsmPolicyFunction'))![0];
  const handler = createHandler({
    request: aws.request, credentials: aws.credentialsFor(`arn:aws:iam::${ACCOUNT}:role/${fnRole}`),
    sleep: async () => undefined, log: () => undefined,
  });
  const order = ['Custom::OpenSearchKeyGuard', 'Custom::OpenSearchAuditLog', 'Custom::OpenSearchIsmPolicy', 'Custom::OpenSearchRoleMapping'];
  const custom = resources.filter(([, r]) => r.Type.startsWith('Custom::OpenSearch'))
    .sort(([, a], [, b]) => order.indexOf(a.Type) - order.indexOf(b.Type));
  for (const [id, r] of custom) {
    const { ServiceToken: _token, ...props } = resolve(r.Properties) as Json;
    await handler({
      RequestType: 'Create', ResourceType: r.Type, LogicalResourceId: id, RequestId: `req-${id}`,
      StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${stack.stackName}/uuid`,
      ResponseURL: `https://${CFN_RESPONSE_HOST}/${id}`, ResourceProperties: props,
    }, { getRemainingTimeInMillis: () => 300_000 });
  }
  return { aws, responses: aws.cfnResponses, domain };
}

const outcomes = (responses: Json[]) => responses.map(r => `${r.LogicalResourceId}: ${r.Status}${r.Status === 'FAILED' ? ` ${r.Reason}` : ''}`);

describe('first deployment of the configuration, driven by the template', () => {
  test('every configuration custom resource succeeds as the master role the template sets up', async () => {
    const stack = testStack();
    const cluster = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }),
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
    });
    new OpenSearchFirehoseIngestion(stack, 'Ingest', { cluster, indexName: 'logs' });
    const { responses, domain, aws } = await deployConfiguration(stack);

    expect(outcomes(responses)).toEqual(responses.map(r => `${r.LogicalResourceId}: SUCCESS`));
    expect(responses).toHaveLength(4);
    expect([...domain.policies.keys()]).toEqual(['logs']);
    expect(domain.auditConfig.enabled).toBe(true);
    expect(domain.rolesMapping.get('firehose_logs')!.backend_roles).toEqual([expect.stringMatching(/:role\/IngestRole/)]);
    // Every call on the domain was made as the master role.
    const master = aws.requests.filter(r => r.host === HOST).map(r => r.principal);
    expect(new Set(master)).toEqual(new Set([expect.stringMatching(/:role\/SearchMasterUserRole/)]));
  });

  test('a master role you bring needs no es: identity policy: the access policy admits it by name', async () => {
    const stack = testStack();
    const admin = new iam.Role(stack, 'SearchAdmin', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }), masterUser: OpenSearchMasterUser.iamRole(admin),
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
    });
    (admin.assumeRolePolicy!).addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], principals: [cluster.lifecycleFunctionRole] }));
    const { responses } = await deployConfiguration(stack);
    expect(outcomes(responses)).toEqual(responses.map(r => `${r.LogicalResourceId}: SUCCESS`));
  });

  test('an internal master user signs in with the generated secret the function may read', async () => {
    const stack = testStack();
    new OpenSearchCluster(stack, 'Search', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] }), masterUser: OpenSearchMasterUser.internalUser('admin'),
      indexLifecycles: [{ policyId: 'logs', indexPatterns: ['logs-*'], deleteAfter: Duration.days(30) }],
    });
    const { responses, domain } = await deployConfiguration(stack);
    expect(outcomes(responses)).toEqual(responses.map(r => `${r.LogicalResourceId}: SUCCESS`));
    expect(domain.policies.has('logs')).toBe(true);
  });
});
