import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as path from 'path';

import { AnalyticsNetwork, GlueEtlPipeline, GluePythonShellCapacity, StreamingDataLake, StreamingDataLakeSchema } from '../../lib';
import { AlarmTopic } from '../../lib/core/alarm-topic';
import { AlarmDefinition, ArchitectureMonitoring, MonitoringOptions } from '../../lib/core/monitoring';
import { TEST_ENV, testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';
import { alarmDelivery } from './alarm-delivery';

const metric = new cloudwatch.Metric({ namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds' });
const alarms: AlarmDefinition[] = [
  { id: 'IteratorAge', metric, threshold: 60000, description: 'Consumers fall behind' },
  { id: 'Throttled', metric, threshold: 1, description: 'Producers are throttled' },
];

function monitoring(scope: Stack, id: string, options: MonitoringOptions = {}) {
  return new ArchitectureMonitoring(scope, id, { title: id, alarms, sections: [], ...options });
}

function logicalId(stack: Stack, topic: sns.ITopic): string {
  return stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic);
}

describe('ArchitectureMonitoring without an alarmTopic', () => {
  const stack = testStack();
  const shared = ['Lake', 'Etl', 'Emr', 'Warehouse', 'Search'].map(id => monitoring(stack, id));
  const template = Template.fromStack(stack);
  const topic = AlarmTopic.ofStack(stack);

  test('notifies the stack\'s one encrypted topic: five architectures, one topic, one key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 1);
    const ref = { Ref: logicalId(stack, topic.topic) };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 10);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [ref], OKActions: [ref] });
    expect(shared.every(m => m.alarms.length === 2)).toBe(true);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(topic.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
  });

  test('admits CloudWatch alarms and EventBridge rules of this account in the topic policy, TLS only', () => {
    const topicArn = { Ref: logicalId(stack, topic.topic) };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn,
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:*' },
            },
          },
          {
            Sid: 'AllowEventBridgeRulesOfThisAccountToPublish', Effect: 'Allow', Action: 'sns:Publish', Resource: topicArn,
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/*' },
            },
          },
        ],
      },
    });
  });

  test('lets both services use the key for SNS topics of this account; CloudWatch also by source, EventBridge not (unsupported)', () => {
    const topics = { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:*' };
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccountToUseTheKeyForSns', Effect: 'Allow', Resource: '*',
            Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:*' },
              StringLike: topics,
            },
          },
          {
            Sid: 'AllowEventBridgeToUseTheKeyForSnsTopicsOfThisAccount', Effect: 'Allow', Resource: '*',
            Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringLike: topics },
          },
        ]),
      },
    });
  });

  test('every alarm can publish and use the key, proven on the synthesized policies', async () => {
    const { checked, problems } = await alarmDelivery(stack);
    expect(checked).toHaveLength(10);
    expect(problems).toEqual([]);
  });

  test('passes the four cdk-nag packs with no acknowledgment (no CloudWatchAlarmAction finding)', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(nagAcknowledgments(stack)).toEqual([]);
  });
});

describe('an architecture given no alarmTopic', () => {
  test('passes the HIPAA and NIST packs: its alarms notify the stack topic', () => {
    const stack = testStack();
    new StreamingDataLake(stack, 'Lake', {
      schema: StreamingDataLakeSchema.fromColumns([{ name: 'id', type: glue.Schema.STRING }], { tableName: 'events' }),
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(nagFindings(stack).filter(f => f.includes('CloudWatchAlarmAction'))).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('Glue failure rules and alarms share the stack topic; the EventBridge grant adds no unconditioned statement', async () => {
    const stack = testStack();
    const topic = AlarmTopic.ofStack(stack).topic;
    new GlueEtlPipeline(stack, 'Etl', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      pythonShellJobs: {
        Check: {
          script: glue.Code.fromAsset(path.join(__dirname, '..', '..', 'examples', 'glue-etl', 'scripts', 'check_partition.py')),
          capacity: GluePythonShellCapacity.SIXTEENTH_DPU,
        },
      },
      notificationTopic: topic,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const statements = Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .flatMap(p => p.Properties.PolicyDocument.Statement as Array<{ Effect: string; Condition?: unknown }>);
    expect(statements.filter(s => s.Effect === 'Allow' && !s.Condition)).toEqual([]);
    const keyStatements = Object.values(template.findResources('AWS::KMS::Key'))
      .flatMap(k => k.Properties.KeyPolicy.Statement as Array<{ Principal: { Service?: string }; Condition?: unknown }>);
    expect(keyStatements.filter(s => s.Principal.Service && !s.Condition)).toEqual([]);
    const { checked, problems } = await alarmDelivery(stack);
    expect(checked.filter(c => c.startsWith('events.amazonaws.com')).length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

describe('alarmActionsEnabled: false', () => {
  const stack = testStack();
  const m = monitoring(stack, 'Quiet', { alarmActionsEnabled: false });
  const template = Template.fromStack(stack);

  test('creates the alarms without actions and no topic', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent(), OKActions: Match.absent() });
    expect(m.alarms).toHaveLength(2);
  });

  test('stays compliant: the finding is acknowledged on each alarm, with the user\'s choice as the reason', () => {
    expect(nagFindings(stack)).toEqual([]);
    expect(nagAcknowledgments(stack)).toEqual([
      'Quiet/IteratorAge/Resource HIPAA.Security-CloudWatchAlarmAction',
      'Quiet/IteratorAge/Resource NIST.800.53.R5-CloudWatchAlarmAction',
      'Quiet/Throttled/Resource HIPAA.Security-CloudWatchAlarmAction',
      'Quiet/Throttled/Resource NIST.800.53.R5-CloudWatchAlarmAction',
    ]);
    const cfn = m.alarms[0].node.defaultChild as cloudwatch.CfnAlarm;
    expect(JSON.stringify(cfn.getMetadata('cdk_nag'))).toContain('alarmActionsEnabled: false on Test/Quiet');
  });

  test('is passed through by the architectures: a lake and a Glue pipeline create no alarm topic and stay compliant', () => {
    const s = testStack();
    new StreamingDataLake(s, 'Lake', {
      schema: StreamingDataLakeSchema.fromColumns([{ name: 'id', type: glue.Schema.STRING }], { tableName: 'events' }),
      alarmActionsEnabled: false,
    });
    new GlueEtlPipeline(s, 'Etl', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      pythonShellJobs: { Check: {
        script: glue.Code.fromAsset(path.join(__dirname, '..', '..', 'examples', 'glue-etl', 'scripts', 'check_partition.py')),
        capacity: GluePythonShellCapacity.SIXTEENTH_DPU,
      } },
      alarmActionsEnabled: false,
    });
    const t = Template.fromStack(s);
    t.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
    expect(s.node.tryFindChild(AlarmTopic.STACK_DEFAULT_ID)).toBeUndefined();
    t.resourceCountIs('AWS::SNS::Topic', 1); // the Glue pipeline's failure topic, for EventBridge only
    expect(nagFindings(s)).toEqual([]);
  });

  test('fails when an alarmTopic is given too, naming the property', () => {
    const s = testStack();
    monitoring(s, 'Contradiction', { alarmActionsEnabled: false, alarmTopic: new sns.Topic(s, 'T') });
    expect(() => Template.fromStack(s))
      .toThrow(/\[Test\/Contradiction\] alarmActionsEnabled \(false\) must not be false when alarmTopic is given: the alarms would never notify it/);
  });
});

describe('ArchitectureMonitoring given a topic', () => {
  test('adds the CloudWatch statements to a topic and key of this app that lack them, so alarms can notify', async () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
    const topic = new sns.Topic(stack, 'UserTopic', { masterKey: key, enforceSSL: true });
    monitoring(stack, 'A', { alarmTopic: topic });
    monitoring(stack, 'B', { alarmTopic: topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    const { checked, problems } = await alarmDelivery(stack);
    expect(checked).toHaveLength(4);
    expect(problems).toEqual([]);
    const keyStatements = Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    expect(keyStatements.filter((s: { Sid?: string }) => s.Sid === 'AllowCloudWatchAlarmsOfThisAccountToUseTheKeyForSns')).toHaveLength(1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('leaves a topic with no topic policy alone: SNS\'s default policy admits the account\'s alarms', () => {
    const stack = testStack();
    monitoring(stack, 'A', { alarmTopic: new sns.Topic(stack, 'Plain') });
    Template.fromStack(stack).resourceCountIs('AWS::SNS::TopicPolicy', 0);
  });

  test('warns, naming the topic and the statements, when the topic is imported', () => {
    const stack = testStack();
    const imported = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:us-east-1:111111111111:ops-alarms');
    monitoring(stack, 'A', { alarmTopic: imported });
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
    Annotations.fromStack(stack).hasWarning('/Test/A', Match.stringLikeRegexp(
      'alarm topic arn:aws:sns:us-east-1:111111111111:ops-alarms is imported.*topic policy carries .*"aws:SourceArn":' +
      '"arn:aws:cloudwatch:us-east-1:111111111111:alarm:\\*".*"Service":"cloudwatch.amazonaws.com".*key policy carries .*kms:GenerateDataKey\\*'));
  });

  test('warns when the key of a topic of this app is imported', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'SharedKey', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    monitoring(stack, 'A', { alarmTopic: new sns.Topic(stack, 'T', { masterKey: key, enforceSSL: true }) });
    Annotations.fromStack(stack).hasWarning('/Test/A', Match.stringLikeRegexp(
      'key arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab of the alarm topic .* is imported.*alarmTopicKeyPolicyUnknown'));
  });
});

describe('AlarmTopic', () => {
  test('encrypted with a key the user passes: adds the statements to it, and warns when the key is imported', () => {
    const stack = testStack();
    const imported = kms.Key.fromKeyArn(stack, 'Ops', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new AlarmTopic(stack, 'Alarms', { encryptionKey: imported });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Annotations.fromStack(stack).hasWarning('/Test/Alarms', Match.stringLikeRegexp(
      'key arn:aws:kms:.*1234abcd-12ab-34cd-56ef-1234567890ab of this alarm topic is imported.*"Service":"events.amazonaws.com"'));
  });

  test('an EventBridge rule of the user targets it and is proven to deliver', async () => {
    const stack = testStack();
    const alarmTopic = new AlarmTopic(stack, 'Alarms');
    new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.glue'] }, targets: [new targets.SnsTopic(alarmTopic.topic)] });
    const { checked, problems } = await alarmDelivery(stack);
    expect(checked).toEqual([expect.stringMatching(/^events.amazonaws.com Rule/)]);
    expect(problems).toEqual([]);
  });

  test('ofStack returns the same topic for every construct of a stack, and another one in another stack', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: TEST_ENV });
    const b = new Stack(app, 'B', { env: TEST_ENV });
    expect(AlarmTopic.ofStack(a)).toBe(AlarmTopic.ofStack(monitoring(a, 'M')));
    expect(AlarmTopic.ofStack(b)).not.toBe(AlarmTopic.ofStack(a));
    expect(AlarmTopic.ofStack(a).node.path).toBe(`A/${AlarmTopic.STACK_DEFAULT_ID}`);
  });

  test('fails when the stack already uses its construct id for something else, naming it', () => {
    const stack = testStack();
    new sns.Topic(stack, AlarmTopic.STACK_DEFAULT_ID);
    expect(() => AlarmTopic.ofStack(stack)).toThrow(`Test: the construct id ${AlarmTopic.STACK_DEFAULT_ID} is taken by something that is not an AlarmTopic`);
  });
});
