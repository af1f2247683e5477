/**
 * Tests of the access model itself: the template resolution, the policy collection and the evaluator give
 * the outcome IAM gives, on small stacks built for each rule.
 */
import { Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

import { testStack } from '../util/app';
import { CfnModel } from './cfn';
import { AccessModel, AccessPath } from './model';

const env = { account: '111111111111', region: 'us-east-1', stackName: 'Test' };

describe('template resolution', () => {
  const template = {
    Resources: {
      Role: { Type: 'AWS::IAM::Role', Properties: { Path: '/service-role/' } },
      Bucket: { Type: 'AWS::S3::Bucket' },
      Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': '${AWS::StackName}-data-${AWS::Region}' } } },
      Key: { Type: 'AWS::KMS::Key' },
      Topic: { Type: 'AWS::SNS::Topic' },
      Group: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/x' } },
    },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } },
  };
  const cfn = new CfnModel(template, env);

  test('gives each type its Ref and its ARN in the service format', () => {
    expect(cfn.ref('Role')).toBe('Role');
    expect(cfn.arn('Role')).toBe('arn:aws:iam::111111111111:role/service-role/Role');
    expect(cfn.ref('Bucket')).toBe('bucket');
    expect(cfn.arn('Bucket')).toBe('arn:aws:s3:::bucket');
    expect(cfn.ref('Key')).toBe('Key');
    expect(cfn.arn('Key')).toBe('arn:aws:kms:us-east-1:111111111111:key/Key');
    expect(cfn.ref('Topic')).toBe('arn:aws:sns:us-east-1:111111111111:Topic');
    expect(cfn.getAtt('Group', 'Arn')).toBe('arn:aws:logs:us-east-1:111111111111:log-group:/aws/x:*');
  });

  test('resolves Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If and pseudo parameters', () => {
    expect(cfn.nameOf('Named')).toBe('Test-data-us-east-1');
    expect(cfn.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] })).toBe('arn:aws:s3:::bucket/*');
    expect(cfn.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Key', 'Arn'] }] }] })).toBe('Key');
    expect(cfn.resolve({ 'Fn::Sub': ['${B}/${Key.Arn}', { B: { Ref: 'Bucket' } }] })).toBe('bucket/arn:aws:kms:us-east-1:111111111111:key/Key');
    expect(cfn.resolve({ 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('yes');
    expect(cfn.resolve(['a', { Ref: 'AWS::NoValue' }])).toEqual(['a']);
  });

  test('fails on an attribute it does not know rather than guess a value', () => {
    expect(() => cfn.getAtt('Bucket', 'WebsiteURL')).toThrow(/No value for Fn::GetAtt Bucket.WebsiteURL/);
    expect(() => cfn.ref('Missing')).toThrow(/no resource Missing/);
  });
});

/** Evaluates one path and returns IAM's decision. */
async function outcome(m: AccessModel, p: Omit<AccessPath, 'why' | 'expect'>): Promise<string> {
  return (await m.evaluate({ ...p, why: 'self-test', expect: 'allow' })).result;
}

describe('evaluation', () => {
  let stack: Stack;
  let m: AccessModel;
  let noPolicyRole: iam.Role;
  let searchRole: iam.Role;
  let domain: opensearch.CfnDomain;
  let plainKey: kms.Key;
  let cloudWatchKey: kms.Key;
  let logsKey: kms.Key;
  let bucket: s3.Bucket;
  let reader: iam.Role;
  let lambdaRole: iam.Role;
  let unknownManagedRole: iam.Role;

  beforeAll(() => {
    stack = testStack('AccessSelfTest');
    noPolicyRole = new iam.Role(stack, 'NoPolicyRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    searchRole = new iam.Role(stack, 'SearchRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    domain = new opensearch.CfnDomain(stack, 'Domain', {
      domainName: 'self-test',
      accessPolicies: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${stack.account}:root` }, Action: 'es:ESHttp*',
          Resource: `arn:aws:es:${stack.region}:${stack.account}:domain/self-test/*` }],
      },
    });
    searchRole.addToPolicy(new iam.PolicyStatement({ actions: ['es:ESHttpGet'], resources: [`${domain.attrArn}/*`] }));

    plainKey = new kms.Key(stack, 'PlainKey');
    cloudWatchKey = new kms.Key(stack, 'CloudWatchKey');
    cloudWatchKey.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');
    logsKey = new kms.Key(stack, 'LogsKey');
    logsKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logs.us-east-1.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:/app/*' } },
    }));

    bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    bucket.grantRead(reader, 'data/*');

    lambdaRole = new iam.Role(stack, 'LambdaRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    unknownManagedRole = new iam.Role(stack, 'UnknownManagedRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    m = AccessModel.of(stack);
  });

  test('a domain access policy that names only the account root denies a role without an identity policy', async () => {
    const resource = `${m.arnOf(domain)}/_plugins/_ism/policies/p`;
    expect(await outcome(m, { principal: m.role(noPolicyRole), action: 'es:ESHttpGet', resource })).toBe('ImplicitlyDenied');
    // The same domain policy delegates to identity policies: a role granted es:ESHttpGet is allowed.
    expect(await outcome(m, { principal: m.role(searchRole), action: 'es:ESHttpGet', resource })).toBe('Allowed');
  });

  test('a key policy without a statement for a service denies that service, one with it allows it', async () => {
    const cloudwatch = m.service('cloudwatch.amazonaws.com');
    expect(await outcome(m, { principal: cloudwatch, action: 'kms:GenerateDataKey', resource: m.arnOf(plainKey) })).toBe('ImplicitlyDenied');
    expect(await outcome(m, { principal: cloudwatch, action: 'kms:GenerateDataKey', resource: m.arnOf(cloudWatchKey) })).toBe('Allowed');
    // The account root statement does not let a service in: only a statement naming the service does.
    expect(await outcome(m, { principal: m.service('events.amazonaws.com'), action: 'kms:GenerateDataKey', resource: m.arnOf(cloudWatchKey) }))
      .toBe('ImplicitlyDenied');
  });

  test('a key policy conditioned on the CloudWatch Logs encryption context allows only the log groups it names', async () => {
    const logs = m.service('logs.us-east-1.amazonaws.com');
    const resource = m.arnOf(logsKey);
    const ctx = (arn: string) => ({ 'kms:EncryptionContext:aws:logs:arn': arn });
    expect(await outcome(m, { principal: logs, action: 'kms:GenerateDataKey', resource,
      context: ctx('arn:aws:logs:us-east-1:111111111111:log-group:/app/api') })).toBe('Allowed');
    expect(await outcome(m, { principal: logs, action: 'kms:GenerateDataKey', resource,
      context: ctx('arn:aws:logs:us-east-1:111111111111:log-group:/other') })).toBe('ImplicitlyDenied');
    expect(await outcome(m, { principal: logs, action: 'kms:GenerateDataKey', resource })).toBe('ImplicitlyDenied');
  });

  test('a TLS-only bucket policy denies a request made without TLS, explicitly, and allows it over TLS', async () => {
    const p = { principal: m.role(reader), action: 's3:GetObject', resource: `${m.arnOf(bucket)}/data/file.json` };
    expect(await outcome(m, p)).toBe('Allowed');
    expect(await outcome(m, { ...p, context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
    expect(await outcome(m, { ...p, resource: `${m.arnOf(bucket)}/other/file.json` })).toBe('ImplicitlyDenied');
  });

  test('a role with only an AWS managed policy is evaluated with the checked-in copy of that policy', async () => {
    const p = { principal: m.role(lambdaRole), action: 'logs:PutLogEvents', resource: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/f:log-stream:s' };
    expect(await outcome(m, p)).toBe('Allowed');
    expect(await outcome(m, { ...p, action: 's3:GetObject', resource: 'arn:aws:s3:::any-bucket/key' })).toBe('ImplicitlyDenied');
  });

  test('fails loudly for a role with an AWS managed policy that has no checked-in copy', async () => {
    await expect(outcome(m, { principal: m.role(unknownManagedRole), action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }))
      .rejects.toThrow(/AWS managed policies this repository holds no copy of: arn:aws:iam::aws:policy\/AdministratorAccess/);
  });

  test('a trust policy lets its service assume the role and no other service', async () => {
    const resource = m.arnOf(reader);
    expect(await outcome(m, { principal: m.service('glue.amazonaws.com'), action: 'sts:AssumeRole', resource })).toBe('Allowed');
    expect(await outcome(m, { principal: m.service('lambda.amazonaws.com'), action: 'sts:AssumeRole', resource })).toBe('ImplicitlyDenied');
  });

  test('explains a denial with the principal, the action, the resource and the missing statement', async () => {
    const d = await m.evaluate({ why: 'self-test', expect: 'allow', principal: m.role(noPolicyRole), action: 'es:ESHttpPut',
      resource: `${m.arnOf(domain)}/_plugins/_ism/policies/p` });
    expect(d.explanation).toContain('arn:aws:sts::111111111111:assumed-role/NoPolicyRole');
    expect(d.explanation).toContain('es:ESHttpPut on arn:aws:es:us-east-1:111111111111:domain/self-test/_plugins/_ism/policies/p');
    expect(d.explanation).toMatch(/identity policies \(none\): no statement allows it/);
    expect(d.explanation).toMatch(/domain access policy of Domain: AllowedForAccount/);
  });

  test('explains an explicit denial with the deciding statement and a near miss with its failing condition', async () => {
    const d = await m.evaluate({ why: 'self-test', expect: 'allow', principal: m.role(reader), action: 's3:GetObject',
      resource: `${m.arnOf(bucket)}/data/file.json`, context: { 'aws:SecureTransport': 'false' } });
    expect(d.result).toBe('ExplicitlyDenied');
    expect(d.explanation).toMatch(/bucket policy of .*: denied by bucket policy of .* statement #1/);
    const miss = await m.evaluate({ why: 'self-test', expect: 'allow', principal: m.service('logs.us-east-1.amazonaws.com'),
      action: 'kms:Decrypt', resource: m.arnOf(logsKey), context: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:/x' } });
    expect(miss.explanation).toMatch(/near miss: .* condition fails: ArnLike kms:EncryptionContext:aws:logs:arn .*log-group:\/app\/\*.*\/x/);
  });
});

describe('policy collection', () => {
  let stack: Stack;
  let m: AccessModel;
  let topic: sns.Topic;
  let openTopic: sns.Topic;
  let queue: sqs.Queue;
  let secret: secretsmanager.Secret;
  let fn: lambda.Function;
  let taggedKey: kms.Key;
  let untaggedKey: kms.Key;
  let tagReader: iam.Role;
  let bounded: iam.Role;

  beforeAll(() => {
    stack = testStack('AccessPolicyCollection');
    topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
    openTopic = new sns.Topic(stack, 'OpenTopic', { enforceSSL: true });
    openTopic.grantPublish(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    queue.grantSendMessages(new iam.ServicePrincipal('events.amazonaws.com'));
    secret = new secretsmanager.Secret(stack, 'Secret');
    secret.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.AccountRootPrincipal()], actions: ['secretsmanager:GetSecretValue'], resources: ['*'],
      conditions: { StringEquals: { 'aws:PrincipalTag/team': 'data' } },
    }));
    fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    fn.addPermission('FromRule', { principal: new iam.ServicePrincipal('events.amazonaws.com'),
      sourceArn: 'arn:aws:events:us-east-1:111111111111:rule/nightly' });
    taggedKey = new kms.Key(stack, 'TaggedKey');
    Tags.of(taggedKey).add('team', 'data');
    untaggedKey = new kms.Key(stack, 'UntaggedKey');
    tagReader = new iam.Role(stack, 'TagReader', { assumedBy: new iam.AccountRootPrincipal() });
    tagReader.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'],
      conditions: { StringEquals: { 'aws:ResourceTag/team': 'data' } } }));
    bounded = new iam.Role(stack, 'Bounded', { assumedBy: new iam.AccountRootPrincipal() });
    bounded.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::b/*'] }));
    iam.PermissionsBoundary.of(bounded).apply(new iam.ManagedPolicy(stack, 'Boundary', {
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
    }));
    m = AccessModel.of(stack);
  });

  test('a topic policy that only denies insecure transport lets no service publish; one with a service statement lets it', async () => {
    const cloudwatch = m.service('cloudwatch.amazonaws.com');
    expect(await outcome(m, { principal: cloudwatch, action: 'sns:Publish', resource: m.arnOf(topic) })).toBe('ImplicitlyDenied');
    expect(await outcome(m, { principal: cloudwatch, action: 'sns:Publish', resource: m.arnOf(openTopic) })).toBe('Allowed');
  });

  test('reads the queue policy, the secret resource policy and the Lambda permissions of the template', async () => {
    expect(await outcome(m, { principal: m.service('events.amazonaws.com'), action: 'sqs:SendMessage', resource: m.arnOf(queue) })).toBe('Allowed');
    expect(await outcome(m, { principal: m.service('sns.amazonaws.com'), action: 'sqs:SendMessage', resource: m.arnOf(queue) }))
      .toBe('ImplicitlyDenied');
    const invoke = (source: string) => outcome(m, { principal: m.service('events.amazonaws.com'), action: 'lambda:InvokeFunction',
      resource: m.arnOf(fn), context: { 'aws:SourceArn': source, 'aws:SourceAccount': '111111111111' } });
    expect(await invoke('arn:aws:events:us-east-1:111111111111:rule/nightly')).toBe('Allowed');
    expect(await invoke('arn:aws:events:us-east-1:111111111111:rule/other')).toBe('ImplicitlyDenied');
    expect(m.policies.resourcePolicy('secretsmanager:GetSecretValue', m.arnOf(secret))?.policy.Statement[0])
      .toMatchObject({ Action: 'secretsmanager:GetSecretValue', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'data' } } });
  });

  test('feeds the template tags of the resource a request is on to aws:ResourceTag', async () => {
    expect(await outcome(m, { principal: m.role(tagReader), action: 'kms:Decrypt', resource: m.arnOf(taggedKey) })).toBe('Allowed');
    expect(await outcome(m, { principal: m.role(tagReader), action: 'kms:Decrypt', resource: m.arnOf(untaggedKey) })).toBe('ImplicitlyDenied');
  });

  test('applies the permissions boundary of a role', async () => {
    expect(await outcome(m, { principal: m.role(bounded), action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' })).toBe('Allowed');
    expect(await outcome(m, { principal: m.role(bounded), action: 's3:PutObject', resource: 'arn:aws:s3:::b/k' })).toBe('ImplicitlyDenied');
  });
});
