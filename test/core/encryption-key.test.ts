import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';

import { createEncryptionKey } from '../../lib/core/encryption-key';
import { TEST_ENV, testStack } from '../util/app';
import { decide, TemplateResolver } from './policy-simulator';

describe('createEncryptionKey', () => {
  test('creates a rotating key with a 30-day pending window and the given removal policy', () => {
    const stack = testStack();
    createEncryptionKey(stack, 'Key', 'Encrypts the test data', RemovalPolicy.RETAIN);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::KMS::Key', {
      Properties: { Description: 'Encrypts the test data', EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('deletes the key with the stack only when told to', () => {
    const stack = testStack();
    createEncryptionKey(stack, 'Key', 'Encrypts the test data', RemovalPolicy.DESTROY);
    Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  describe('grants only for AWS resources', () => {
    const stack = testStack();
    const key = createEncryptionKey(stack, 'Key', 'Encrypts the test data', RemovalPolicy.RETAIN);
    const template = Template.fromStack(stack);
    const resolver = new TemplateResolver(template.toJSON().Resources, { ...TEST_ENV, stackName: stack.stackName });
    const keyId = stack.getLogicalId(key.node.defaultChild as CfnResource);
    const keyArn = resolver.arnOf(keyId);
    const keyPolicy = resolver.resolve(template.toJSON().Resources[keyId].Properties.KeyPolicy);
    const admin = 'arn:aws:iam::111111111111:role/KeyAdmin';
    const adminPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] };
    const asAdmin = (action: string, context: Record<string, string> = {}) =>
      decide(keyPolicy, { principal: admin, action, resource: keyArn, context, identityPolicies: [adminPolicy] }, TEST_ENV.account);

    test('denies a grant that no AWS service asks for, even to an administrator with kms:*', async () => {
      await expect(asAdmin('kms:CreateGrant')).resolves.toBe('ExplicitlyDenied');
      await expect(asAdmin('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false' })).resolves.toBe('ExplicitlyDenied');
      // A role is not an AWS service: the second key of the condition does not open a way around the first.
      await expect(asAdmin('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' }))
        .resolves.toBe('ExplicitlyDenied');
    });

    test('lets an integrated service (EBS for EMR, Redshift, OpenSearch, Firehose) create a grant on the caller\'s behalf', async () => {
      await expect(asAdmin('kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'true' })).resolves.toBe('Allowed');
    });

    test('leaves the administrators every management action, listing and revoking grants included', async () => {
      for (const action of ['kms:ListGrants', 'kms:RevokeGrant', 'kms:RetireGrant', 'kms:PutKeyPolicy', 'kms:DescribeKey',
        'kms:DisableKey', 'kms:EnableKeyRotation', 'kms:ScheduleKeyDeletion', 'kms:TagResource']) {
        await expect(asAdmin(action).then(d => `${action} ${d}`)).resolves.toBe(`${action} Allowed`);
      }
    });

    test('writes the guardrail as one Deny statement on kms:CreateGrant, with the documented condition key', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectEquals({
            Sid: 'DenyGrantsNotForAWSResources',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
          })]),
        },
      });
    });
  });
});
