import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createEncryptionKey } from '../lib/core/encryption-key';
import { testStack } from './util/app';

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
});
