import { Lazy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';

import { allowLogsToUseKey } from '../../lib/core/logs-key-policy';
import { ManagedPolicyRole } from '../../lib/core/managed-policy-role';
import { acknowledgeWildcards } from '../../lib/core/nag';
import { minimumPolicySize } from '../../lib/core/private/policy-size';
import { testStack } from '../util/app';
import { nagFindings } from '../util/nag';
import { validationMessages } from '../util/validation-messages';

describe('allowLogsToUseKey', () => {
  // As rendered: aws-cdk-lib sorts the actions of a statement.
  const LOGS_ACTIONS = ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

  test('lets CloudWatch Logs of the region use the key for every log group of the account', () => {
    const stack = testStack();
    allowLogsToUseKey(new kms.Key(stack, 'Key'));
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{
        Sid: 'AllowCloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: LOGS_ACTIONS,
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111111111111:log-group:*' } },
      }]) },
    });
  });

  test('scopes the statement to the log groups and sid given', () => {
    const stack = testStack();
    allowLogsToUseKey(new kms.Key(stack, 'Key'), { sid: 'OnlyMine', logGroupArns: ['arn:aws:logs:us-east-1:111111111111:log-group:/mine/*'] });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'OnlyMine',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ['arn:aws:logs:us-east-1:111111111111:log-group:/mine/*'] } },
      })]) },
    });
  });

  test('changes nothing on an imported key', () => {
    const stack = testStack();
    allowLogsToUseKey(kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab'));
    expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
  });
});

describe('ManagedPolicyRole', () => {
  test('puts every grant into its one customer-managed policy, none inline', () => {
    const stack = testStack();
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    new s3.Bucket(stack, 'Bucket').grantRead(role);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['glue:GetTable'], resources: ['*'] }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']) }),
        Match.objectLike({ Action: 'glue:GetTable' }),
      ]) },
    });
  });

  test('reports the policy as what a dependent resource must wait for', () => {
    const stack = testStack();
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    const result = role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['glue:GetTable'], resources: ['*'] }));
    expect(result.statementAdded).toBe(true);
    expect(result.policyDependable).toBe(role.policy);
  });

  describe('statement ids', () => {
    // A shared stack with the grants of a Glue job: two prefixes read, one written, the lake key and one statement of our own.
    const stack = testStack();
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Own', actions: ['glue:GetTable'], resources: ['*'] }));
    for (const prefix of ['raw/', 'landing/']) {
      role._nameStatements({ ReadSources: 's3:GetObject*', UseLakeKey: 'kms:Decrypt' }, () => bucket.grantRead(role, `${prefix}*`));
    }
    role._nameStatements({ WriteTargets: 's3:PutObject', UseLakeKey: 'kms:Decrypt' }, () => bucket.grantReadWrite(role, 'curated/*'));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));
    const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
    type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };
    const document = Object.values(policies)[0].Properties.PolicyDocument as { Statement: Statement[] };
    const bySid = (sid: string) => document.Statement.filter(s => s.Sid === sid);
    const bucketId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });

    test('name the statements a grant writes, by the action that tells them apart', () => {
      expect(document.Statement.map(s => s.Sid)).toEqual(['Own', 'ReadSources', 'UseLakeKey', 'WriteTargets', undefined]);
    });

    test('merge two grants under one id when they share their actions (two prefixes read)', () => {
      expect(bySid('ReadSources')).toHaveLength(1);
      expect(bySid('ReadSources')[0].Resource).toHaveLength(3);
      expect(bySid('ReadSources')[0].Resource).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': [bucketId, 'Arn'] }, objects('raw/'), objects('landing/')]));
    });

    test('merge two grants under one id when they share their resources (read and read/write on one key)', () => {
      expect(bySid('UseLakeKey')).toHaveLength(1);
      expect(bySid('UseLakeKey')[0].Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*']));
    });

    test('number a second statement that cannot merge, and keep a statement with no matching name as it is', () => {
      const other = testStack();
      const r = new ManagedPolicyRole(other, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      r._nameStatements({ Read: '*' }, () => {
        r.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'] }));
        r.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::b'] }));
      });
      r._nameStatements({ Read: 's3:GetObject' }, () => r.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })));
      expect(r._statements.map(s => [s.name, s.statement.sid])).toEqual([['Read', 'Read'], ['Read', 'Read2'], [undefined, undefined]]);
    });

    test('must be alphanumeric, as IAM requires in an identity-based policy', () => {
      const r = new ManagedPolicyRole(testStack(), 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      expect(() => r._nameStatements({ 'Read-Sources': '*' }, () => undefined)).toThrow("Test/Role: statement id 'Read-Sources' must be alphanumeric");
    });

    test('never merge statements whose conditions hold unresolved objects, which JSON renders alike', () => {
      const other = testStack();
      const r = new ManagedPolicyRole(other, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      const condition = (value: string) => ({ StringEquals: { 'aws:SourceArn': Lazy.any({ produce: () => value }) } });
      r._nameStatements({ Read: '*' }, () => {
        r.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'], conditions: condition('x') }));
        r.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], conditions: condition('y') }));
      });
      expect(r._statements.map(s => s.statement.sid)).toEqual(['Read', 'Read2']);
    });
  });

  describe('once the library has acknowledged its wildcards', () => {
    const stack = testStack();
    const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PublishJobMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
    }));
    acknowledgeWildcards(role, { PublishJobMetrics: 'PutMetricData has no resource-level permissions; the namespace condition limits it.' });
    // A user's grant on the same wildcard resource, and a statement of the library added later with its id.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['*'] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'AssumeMasterUser', actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::111111111111:role/m'] }));
    const dependent = new sqs.Queue(stack, 'Dependent');
    dependent.node.addDependency(role.allPolicies);
    const template = Template.fromStack(stack);
    const policies = template.findResources('AWS::IAM::ManagedPolicy');
    const sids = (id: string) => (policies[id].Properties.PolicyDocument.Statement as { Sid?: string }[]).map(s => s.Sid);
    const policyId = stack.getLogicalId(role.policy.node.defaultChild as iam.CfnManagedPolicy);
    const grantsId = Object.keys(policies).find(id => id !== policyId)!;

    test('put a statement without an id (a grant of yours) in a second policy, and keep the library\'s named ones', () => {
      expect(Object.keys(policies)).toHaveLength(2);
      expect(sids(policyId)).toEqual(['PublishJobMetrics', 'AssumeMasterUser']);
      expect(sids(grantsId)).toEqual([undefined]);
      expect(policies[grantsId].Properties.Roles).toEqual([{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }]);
    });

    test('leave the wildcard of that grant for the packs to report: the acknowledgment of the library does not cover it', () => {
      expect(nagFindings(stack).filter(f => f.startsWith('AwsSolutions-IAM5'))).toEqual([
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] \(error\) at Test\/Role\/GrantsPolicy\/Resource: /),
      ]);
    });

    test('make a resource that depends on allPolicies wait for both policies', () => {
      const queue = template.findResources('AWS::SQS::Queue');
      expect(Object.values(queue)[0].DependsOn).toEqual(expect.arrayContaining([policyId, grantsId]));
    });
  });

  describe('policy size', () => {
    const roleWith = (resources: string[]) => {
      const stack = testStack();
      const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      resources.forEach((r, i) => role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: `Read${i}`, actions: ['s3:GetObject'], resources: [r] })));
      return role;
    };

    test('fails at synth when the policy is over IAM\'s 6,144 characters, whatever its references resolve to', () => {
      const role = roleWith(Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::analytics-lake-bucket/raw/source-${i}/*`));
      expect(minimumPolicySize(role.policy)).toBeGreaterThan(6144);
      const messages = validationMessages(role);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^Test\/Role: policy \(at least \d+ characters\) must be at most 6144 characters without whitespace: /);
      expect(messages[0]).toContain('IAM rejects a larger customer-managed policy');
    });

    test('counts what CloudFormation fills in at its shortest, so it never rejects a policy that could fit', () => {
      const stack = testStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      const role = new ManagedPolicyRole(stack, 'Role', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'Read', actions: ['s3:GetObject'], resources: [bucket.arnForObjects('raw/*')] }));
      // The bucket's ARN counted as one character: {"Statement":[{"Action":"s3:GetObject","Effect":"Allow",
      // "Resource":"x/raw/*","Sid":"Read"}],"Version":"2012-10-17"}
      expect(minimumPolicySize(role.policy)).toBe(115);
      expect(validationMessages(role)).toEqual([]);
    });
  });
});
