import { Template } from 'aws-cdk-lib/assertions';

import { ClickstreamRealtimeStack } from '../../examples/clickstream-realtime';
import { AlarmTopic } from '../../lib';
import { missingContext, TEST_ENV, testApp } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

describe('ClickstreamRealtimeStack example', () => {
  let stack: ClickstreamRealtimeStack;
  let template: Template;
  beforeAll(() => {
    stack = new ClickstreamRealtimeStack(testApp(), 'ClickstreamRealtime', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('passes AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 with no unacknowledged finding', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges exactly these findings, each on its one resource', () => {
    // The lakes' own acknowledgments are the library's (the same as in examples/streaming-data-lake, plus the raw
    // prefix and the consumer's failure queue); the functions' are the example's, written next to them.
    expect(nagAcknowledgments(stack)).toEqual([
      ...['LambdaConcurrency', 'LambdaDLQ', 'LambdaInsideVPC'].flatMap(rule => ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
        .map(pack => `BotAlertsFunction/Resource ${pack}-${rule}`)).sort(),
      'BotAlertsFunctionRole/Policy AwsSolutions-IAM5[Resource::<BotAlertsFunctionLogsFA083612.Arn>]',
      'Clicks/Delivery/Resource AwsSolutions-KDF1',
      'Clicks/DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/clicks-errors/*]',
      'Clicks/DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/clicks-raw/*]',
      'Clicks/DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/clicks/*]',
      'Clicks/Lake/AccessLogs/Resource AwsSolutions-S1',
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap(pack => ['S3BucketLoggingEnabled', 'S3BucketReplicationEnabled',
        'S3DefaultEncryptionKMS'].map(rule => `Clicks/Lake/AccessLogs/Resource ${pack}-${rule}`)),
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(pack => `Clicks/Lake/Bucket/Resource ${pack}-S3BucketReplicationEnabled`),
      'Clicks/PageCounts/FailureQueue/Resource AwsSolutions-SQS3',
      'Clicks/Stream/Resource AwsSolutions-KDS3',
      ...['LambdaConcurrency', 'LambdaDLQ', 'LambdaInsideVPC'].flatMap(rule => ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
        .map(pack => `PageCountsFunction/Resource ${pack}-${rule}`)).sort(),
      'PageCountsFunctionRole/Policy AwsSolutions-IAM5[Resource::<PageCountsFunctionLogs5CC820AD.Arn>]',
      // Direct PUT: no AwsSolutions-KDF1 to acknowledge, the Firehose stream is encrypted with the lake's key.
      'ServerLogs/DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/server-logs-errors/*]',
      'ServerLogs/DeliveryRole/Policy/Resource AwsSolutions-IAM5[Resource::<ClicksLakeBucketCA78E190.Arn>/server-logs/*]',
    ]);
  });

  test('raises these alarms, all to the one topic', () => {
    const ids = (c: { monitoring: { alarms: Array<{ node: { id: string } }> } }) => c.monitoring.alarms.map(a => a.node.id);
    expect(ids(stack.clicks)).toEqual(['IteratorAge', 'WriteThrottled', 'DataFreshness', 'DeliveryFailed', 'ConversionFailed', 'RawBackupFailed']);
    expect(ids(stack.serverLogs)).toEqual(['WriteThrottled', 'BytesNearQuota', 'RecordsNearQuota', 'PutRequestsNearQuota', 'DataFreshness',
      'DeliveryFailed', 'ConversionFailed']);
    expect(ids(stack.pageCounts)).toEqual(['IteratorAge', 'Errors', 'DestinationDeliveryFailures', 'FailedBatches']);
    // BotAlerts sends failures to the example's topic, which has no queue depth to watch.
    expect(ids(stack.botAlerts)).toEqual(['IteratorAge', 'Errors', 'DestinationDeliveryFailures']);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 20);
    // The stack's alarm topic (AlarmTopic.ofStack) and BotAlerts' failure topic.
    template.resourceCountIs('AWS::SNS::Topic', 2);
    const alarmTopic = stack.resolve(AlarmTopic.ofStack(stack).topic.topicArn);
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([alarmTopic]);
    }
  });
});
