import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { decide, TemplateResolver } from './policy-simulator';

/**
 * Every notification path of a synthesized stack, proven against the topic and key policies:
 *
 * - each CloudWatch alarm action on a topic: `cloudwatch.amazonaws.com` calls `sns:Publish` with the context
 *   CloudWatch sends (aws:SourceAccount, aws:SourceArn = the alarm, aws:SourceOwner, TLS), then SNS uses the
 *   topic's key for CloudWatch (`kms:GenerateDataKey`, `kms:Decrypt`) with aws:SourceAccount, aws:SourceArn
 *   and the encryption context `aws:sns:topicArn`;
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * - each EventBridge rule target on a topic: `events.amazonaws.com` calls `sns:Publish` (aws:SourceAccount,
 *   aws:SourceArn = the rule), then SNS uses the key for EventBridge with the encryption context only: the SNS
 *   guide says aws:SourceAccount/aws:SourceArn/aws:SourceOrgID in a KMS key policy are not supported for
 *   EventBridge-to-encrypted topics, so a key statement conditioned on them fails here as in the account.
 *
 * A topic with no topic policy has SNS's default policy (the account, through `AWS:SourceOwner`). A topic key
 * that is not in the template (imported) or an AWS managed key cannot be proven and is reported.
 */
export async function alarmDelivery(stack: Stack): Promise<{ checked: string[]; problems: string[] }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const env = { account: stack.account, region: stack.region, stackName: stack.stackName };
  const r = new TemplateResolver(resources, env);
  const checked: string[] = [];
  const problems: string[] = [];

  type Path = { source: string; principal: string; topicArn: string; publishContext: Record<string, string>; keyContext: Record<string, string> };
  const paths: Path[] = [];
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type === 'AWS::CloudWatch::Alarm') {
      const alarmArn = r.arnOf(id);
      const topics = new Set<string>([...(res.Properties.AlarmActions ?? []), ...(res.Properties.OKActions ?? []),
        ...(res.Properties.InsufficientDataActions ?? [])].map(a => r.resolve(a) as string).filter(a => a.startsWith('arn:aws:sns:')));
      for (const topicArn of topics) {
        const source = { 'aws:SourceAccount': env.account, 'aws:SourceArn': alarmArn };
        paths.push({ source: id, principal: 'cloudwatch.amazonaws.com', topicArn,
          publishContext: { ...source, 'aws:SourceOwner': env.account, 'aws:SecureTransport': 'true' },
          keyContext: { ...source, 'kms:EncryptionContext:aws:sns:topicArn': topicArn } });
      }
    }
    if (res.Type === 'AWS::Events::Rule') {
      for (const target of res.Properties.Targets ?? []) {
        const topicArn = r.resolve(target.Arn) as string;
        if (!topicArn.startsWith('arn:aws:sns:')) continue;
        if (target.RoleArn) problems.push(`${id}: the target ${topicArn} has a RoleArn; EventBridge documents resource policies only for SNS targets`);
        paths.push({ source: id, principal: 'events.amazonaws.com', topicArn,
          publishContext: { 'aws:SourceAccount': env.account, 'aws:SourceArn': r.arnOf(id), 'aws:SecureTransport': 'true' },
          keyContext: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } });
      }
    }
  }

  for (const p of paths) {
    const where = `${p.source} -> ${p.topicArn}`;
    checked.push(`${p.principal} ${where}`);
    const topicId = r.logicalIdOf(p.topicArn);
    if (!topicId) { problems.push(`${where}: the topic is not in the template, its policies cannot be proven`); continue; }
    const policies = Object.values(resources).filter(x => x.Type === 'AWS::SNS::TopicPolicy'
      && (r.resolve(x.Properties.Topics) as string[]).includes(p.topicArn));
    if (policies.length > 1) problems.push(`${where}: ${policies.length} topic policies; SNS keeps only the last one written`);
    const topicPolicy = policies.length > 0 ? r.resolve(policies[0].Properties.PolicyDocument) : defaultTopicPolicy(p.topicArn, env.account);
    const publish = await decide(topicPolicy, { principal: p.principal, action: 'sns:Publish', resource: p.topicArn, context: p.publishContext }, env.account);
    if (publish !== 'Allowed') problems.push(`${where}: ${p.principal} sns:Publish is ${publish} by the topic policy`);

    const keyRef = resources[topicId].Properties?.KmsMasterKeyId;
    if (keyRef === undefined) continue; // unencrypted: nothing more to allow
    const keyValue = r.resolve(keyRef) as string;
    const keyId = r.logicalIdOf(keyValue);
    if (!keyId) { problems.push(`${where}: the topic key ${keyValue} is not in the template (imported or AWS managed): CloudWatch cannot be proven to use it`); continue; }
    const keyPolicy = r.resolve(resources[keyId].Properties.KeyPolicy);
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const d = await decide(keyPolicy, { principal: p.principal, action, resource: r.arnOf(keyId), context: p.keyContext }, env.account);
      if (d !== 'Allowed') problems.push(`${where}: ${p.principal} ${action} on ${keyId} is ${d} by the key policy`);
    }
  }
  return { checked, problems };
}

/** The access policy SNS gives a topic that has none: the account's principals, through AWS:SourceOwner. */
function defaultTopicPolicy(topicArn: string, account: string) {
  return {
    Version: '2008-10-17',
    Statement: [{
      Effect: 'Allow', Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic',
        'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: topicArn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  };
}

/**
 * The assertion of an example's alarm delivery: at least one alarm action (and, with `eventRules`, one EventBridge
 * rule) on a topic is checked, and every path is allowed. The access tests of each example run it on the stack they
 * already build (test/access/<example>.test.ts), so the example is not synthesized once more for it.
 */
export async function expectAlarmDelivery(stack: Stack, options: { eventRules?: boolean } = {}): Promise<void> {
  const { checked, problems } = await alarmDelivery(stack);
  expect(checked.filter(c => c.startsWith('cloudwatch.amazonaws.com')).length).toBeGreaterThan(0);
  if (options.eventRules) {
    expect(checked.filter(c => c.startsWith('events.amazonaws.com')).length).toBeGreaterThan(0);
  }
  expect(problems).toEqual([]);
}
