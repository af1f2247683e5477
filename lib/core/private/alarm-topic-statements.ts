import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';

import { flattenCfnReference } from '../nag';

/** The service principals an alarm topic admits: CloudWatch alarms and EventBridge rules. */
export const ALARM_SERVICES = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'];

/**
 * Topic policy: CloudWatch alarms of this account may publish. `aws:SourceArn` is the alarm's ARN
 * (`arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`), as the SNS and CloudWatch guides show.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 */
export function alarmPublishStatement(topic: sns.ITopic): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: sourceConditions(topic, 'cloudwatch', 'alarm', ArnFormat.COLON_RESOURCE_NAME),
  });
}

/**
 * Topic policy: EventBridge rules of this account may publish (`aws:SourceArn` is the rule's ARN; `rule/*`
 * also covers rules of custom buses, `rule/<bus>/<name>`).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 */
export function eventBridgePublishStatement(topic: sns.ITopic): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowEventBridgeRulesOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: sourceConditions(topic, 'events', 'rule', ArnFormat.SLASH_RESOURCE_NAME),
  });
}

/**
 * Key policy: CloudWatch alarms of this account may use the key for SNS topics of this account and region
 * (the actions and conditions of the SNS guide's statement for event sources). The encryption context names
 * every topic of the account rather than the one topic: the topic refers to the key, so the key policy cannot
 * refer back to the topic without a circular dependency.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function alarmKeyStatement(scope: IConstruct): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccountToUseTheKeyForSns',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'], // in a key policy, '*' is this key
    conditions: {
      ...sourceConditions(scope, 'cloudwatch', 'alarm', ArnFormat.COLON_RESOURCE_NAME),
      StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': anyTopicOf(stack) },
    },
  });
}

/**
 * Key policy: EventBridge may use the key for SNS topics of this account and region. No aws:SourceAccount or
 * aws:SourceArn: the SNS guide says adding them to a KMS key policy is not supported for EventBridge-to-encrypted
 * topics (delivery fails). The topic policy is what limits EventBridge to this account's rules.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function eventBridgeKeyStatement(scope: IConstruct): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowEventBridgeToUseTheKeyForSnsTopicsOfThisAccount',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'], // in a key policy, '*' is this key
    conditions: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': anyTopicOf(Stack.of(scope)) } },
  });
}

/** The statements as JSON, CloudFormation references flattened (`<AWS::Partition>`, `<Topic>`), for a warning. */
export function renderStatements(scope: IConstruct, statements: iam.PolicyStatement[]): string {
  const stack = Stack.of(scope);
  return statements.map(s => JSON.stringify(stack.resolve(s.toStatementJson()), (_k, v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && (v.Ref || v['Fn::Join'] || v['Fn::GetAtt']) ? flattenCfnReference(v) : v)).join(' and ');
}

function sourceConditions(scope: IConstruct, service: string, resource: string, arnFormat: ArnFormat) {
  const stack = Stack.of(scope);
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service, resource, resourceName: '*', arnFormat }) },
  };
}

function anyTopicOf(stack: Stack): string {
  return stack.formatArn({ service: 'sns', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME });
}
