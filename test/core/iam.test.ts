import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { allowLogsToUseKey } from '../../lib/core/logs-key-policy';
import { ManagedPolicyRole } from '../../lib/core/managed-policy-role';
import { testStack } from '../util/app';

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
});
