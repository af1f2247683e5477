import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';

import { AlarmTopic, AnalyticsNetwork, RedshiftWarehouse, RedshiftWarehouseProps } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/**
 * Redshift reports failed snapshots and failed cross-region copies only as events (no CloudWatch metric, and
 * provisioned clusters send no events to EventBridge), so the warehouse subscribes the alarm topic to them.
 */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });
}

function build(props: (stack: Stack) => RedshiftWarehouseProps): { stack: Stack; warehouse: RedshiftWarehouse } {
  const stack = testStack();
  const warehouse = new RedshiftWarehouse(stack, 'Wh', { network: AnalyticsNetwork.fromVpc(importedVpc(stack)), clusterIdentifier: 'sales', ...props(stack) });
  return { stack, warehouse };
}

function errors(stack: Stack): string[] {
  return stack.node.findAll().flatMap(validationMessages);
}

describe('RedshiftWarehouse event notifications', () => {
  let stack: Stack;
  let warehouse: RedshiftWarehouse;
  let topic: sns.Topic;
  let topicKey: kms.Key;
  let template: Template;
  beforeAll(() => {
    ({ stack, warehouse } = build(s => {
      topicKey = new kms.Key(s, 'TopicKey', { enableKeyRotation: true });
      // enforceSSL gives the topic a topic policy, which replaces SNS's default policy.
      topic = new sns.Topic(s, 'Topic', { masterKey: topicKey, enforceSSL: true });
      return { alarmTopic: topic };
    }));
    template = Template.fromStack(stack);
  });

  test('subscribes the alarm topic to every ERROR event of the cluster, which includes failed cross-region copies', () => {
    template.hasResourceProperties('AWS::Redshift::EventSubscription', {
      SubscriptionName: 'sales-errors',
      SnsTopicArn: stack.resolve(topic.topicArn),
      SourceType: 'cluster',
      SourceIds: [stack.resolve(warehouse.cluster.ref)],
      Severity: 'ERROR',
      EventCategories: Match.absent(),
      Enabled: true,
    });
  });

  test('subscribes the alarm topic to failed snapshots (final, manual and automated)', () => {
    template.hasResourceProperties('AWS::Redshift::EventSubscription', {
      SubscriptionName: 'sales-snapshot-failures',
      SnsTopicArn: stack.resolve(topic.topicArn),
      SourceType: 'cluster-snapshot',
      SourceIds: Match.absent(),
      Severity: 'ERROR',
      EventCategories: ['monitoring'],
      Enabled: true,
    });
    expect(warehouse.eventSubscriptions.map(s => s.subscriptionName)).toEqual(['sales-errors', 'sales-snapshot-failures']);
  });

  test('lets Redshift publish to the topic and use the topic key, after which the subscriptions are created', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sns:Publish', Resource: stack.resolve(topic.topicArn),
      })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:*' } },
      })]) },
    });
    const subscriptions = template.findResources('AWS::Redshift::EventSubscription');
    const policyId = stack.getLogicalId(topic.node.findChild('Policy').node.defaultChild as never);
    for (const s of Object.values(subscriptions)) expect(s.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });

  test('leaves a topic without a topic policy alone: SNS\'s default policy admits the account\'s services', () => {
    const { stack: s } = build(st => ({ alarmTopic: new sns.Topic(st, 'Plain') }));
    Template.fromStack(s).resourceCountIs('AWS::SNS::TopicPolicy', 0);
  });

  test('notifies the stack\'s AlarmTopic by default, and nothing when alarm actions are off', () => {
    const byDefault = build(() => ({}));
    const alarmTopic = AlarmTopic.ofStack(byDefault.stack).topic;
    expect(byDefault.warehouse.eventSubscriptions.map(sub => byDefault.stack.resolve(sub.snsTopicArn)))
      .toEqual([byDefault.stack.resolve(alarmTopic.topicArn), byDefault.stack.resolve(alarmTopic.topicArn)]);
    const none = build(() => ({ alarmActionsEnabled: false }));
    expect(none.warehouse.eventSubscriptions.length).toBe(0);
  });

  test('creates no subscription when turned off', () => {
    const off = build(s => ({ alarmTopic: new sns.Topic(s, 'Topic'), eventNotifications: { clusterErrors: false, snapshotFailures: false } }));
    expect(off.warehouse.eventSubscriptions.length).toBe(0);
    const clusterOnly = build(s => ({ alarmTopic: new sns.Topic(s, 'Topic'), eventNotifications: { snapshotFailures: false } }));
    expect(clusterOnly.warehouse.eventSubscriptions.map(s => s.sourceType)).toEqual(['cluster']);
  });

  test('sends events to their own topic when given one', () => {
    const { stack: s, warehouse: w } = build(st => ({
      alarmTopic: new sns.Topic(st, 'Alarms'), eventNotifications: { topic: new sns.Topic(st, 'Events') },
    }));
    const events = s.node.findChild('Events') as sns.Topic;
    expect(w.eventSubscriptions.map(sub => s.resolve(sub.snsTopicArn))).toEqual([s.resolve(events.topicArn), s.resolve(events.topicArn)]);
  });

  test('fails a FIFO topic: Redshift publishes events to standard topics only', () => {
    const { stack: s } = build(st => ({ alarmTopic: new sns.Topic(st, 'Fifo', { fifo: true, topicName: 'alarms' }) }));
    expect(errors(s)).toEqual([
      'Test/Wh: eventNotifications.topic (Test/Fifo) must be a standard topic: Redshift event subscriptions cannot publish to FIFO topics',
    ]);
  });

  test('warns when the topic is imported, as its policy cannot be given the statement Redshift needs', () => {
    const { stack: s } = build(st => ({ alarmTopic: sns.Topic.fromTopicArn(st, 'Imported', 'arn:aws:sns:us-east-1:111111111111:alarms') }));
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('redshiftEventTopicPolicy')).map(w => w.entry.data);
    expect(warnings).toEqual([
      'eventNotifications: the topic arn:aws:sns:us-east-1:111111111111:alarms is imported, so its policy cannot be changed here: ' +
      'allow the service principal redshift.amazonaws.com to sns:Publish to it (and, if it is encrypted, kms:GenerateDataKey and ' +
      'kms:Decrypt on its key), or no event notification arrives [ack: cdk-analytics-blueprints:redshiftEventTopicPolicy]',
    ]);
  });
});
