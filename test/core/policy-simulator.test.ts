import { decide } from './policy-simulator';

describe('policy simulator', () => {
  const key = 'arn:aws:kms:us-east-1:111111111111:key/k';
  const policy = (condition: object) => ({ Version: '2012-10-17', Statement: [{
    Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: condition,
  }] });
  const request = (context: Record<string, string>) => ({ principal: 'events.amazonaws.com', action: 'kms:GenerateDataKey', resource: key, context });

  test('evaluates conditions on the encryption context as KMS does: matching value, other value, missing key', async () => {
    const p = policy({ StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:*' } });
    await expect(decide(p, request({ 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:t' }), '111111111111')).resolves.toBe('Allowed');
    await expect(decide(p, request({ 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:222222222222:t' }), '111111111111')).resolves.toBe('ImplicitlyDenied');
    await expect(decide(p, request({}), '111111111111')).resolves.toBe('ImplicitlyDenied');
  });

  test('denies a statement conditioned on a key the request does not carry (aws:SourceAccount for EventBridge to KMS)', async () => {
    const p = policy({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    await expect(decide(p, request({}), '111111111111')).resolves.toBe('ImplicitlyDenied');
    await expect(decide(p, request({ 'aws:SourceAccount': '111111111111' }), '111111111111')).resolves.toBe('Allowed');
  });
});
