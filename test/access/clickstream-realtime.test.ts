/**
 * Runtime access of examples/clickstream-realtime: the two lakes (one with a raw backup, one Direct PUT), the two
 * enhanced fan-out consumers, and the producers' grants: every call made at run time is allowed by the synthesized
 * policies, and what least privilege promises is denied.
 */
import { ClickstreamRealtimeStack } from '../../examples/clickstream-realtime';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { streamingDataLakePaths } from './architectures/streaming-data-lake';
import { streamingDataLakeConsumerPaths } from './architectures/streaming-data-lake-consumer';
import { kinesisKms, viaService } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = new ClickstreamRealtimeStack(testApp({ builtinCloudFormationValidation: false }), 'ClickstreamRealtime', { env: TEST_ENV });
const m = AccessModel.of(stack);
const clicksStream = m.arnOf(stack.clicks.stream);
const clicksKey = m.value(stack.clicks.encryptionKey.keyArn);
const serverLogsDelivery = m.arnOf(stack.serverLogs.deliveryStream);
const serverLogsKey = m.value(stack.serverLogs.encryptionKey.keyArn);

const producerPaths: AccessPath[] = [
  { why: 'the click producer puts records on the Clicks stream', principal: m.role(stack.clickProducer), action: 'kinesis:PutRecords',
    resource: clicksStream, expect: 'allow' },
  { why: 'the click producer checks that the stream is active before writing', principal: m.role(stack.clickProducer),
    action: 'kinesis:DescribeStreamSummary', resource: clicksStream, expect: 'allow' },
  { why: 'the click producer encrypts them with the stream key (Kinesis calls KMS for it)', principal: m.role(stack.clickProducer),
    action: 'kms:GenerateDataKey', resource: clicksKey, context: kinesisKms(m, stack.clicks.stream), expect: 'allow' },
  { why: 'the click producer cannot subscribe to the stream', principal: m.role(stack.clickProducer), action: 'kinesis:SubscribeToShard',
    resource: m.arnOf(stack.pageCounts.streamConsumer), expect: 'deny' },
  ...['firehose:PutRecord', 'firehose:PutRecordBatch'].map((action): AccessPath => ({
    why: 'the Kinesis Agent puts access logs on the ServerLogs Firehose stream (Direct PUT)', principal: m.role(stack.logShipper), action,
    resource: serverLogsDelivery, expect: 'allow' })),
  { why: 'the Kinesis Agent needs no use of the ServerLogs key (Firehose encrypts with its own grant), so it has none',
    principal: m.role(stack.logShipper), action: 'kms:GenerateDataKey', resource: serverLogsKey, context: viaService(m, 'firehose'),
    expect: 'deny' },
  { why: 'the Kinesis Agent cannot write to the Clicks lake\'s Firehose stream', principal: m.role(stack.logShipper),
    action: 'firehose:PutRecordBatch', resource: m.arnOf(stack.clicks.deliveryStream), expect: 'deny' },
  { why: 'the Kinesis Agent cannot change the Firehose stream', principal: m.role(stack.logShipper), action: 'firehose:UpdateDestination',
    resource: serverLogsDelivery, expect: 'deny' },
];

describe('examples/clickstream-realtime: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...streamingDataLakePaths(m, stack.clicks, { foreignPrefixes: ['server-logs/', 'server-logs-errors/'] }),
    ...streamingDataLakePaths(m, stack.serverLogs, { foreignPrefixes: ['clicks/', 'clicks-raw/', 'clicks-errors/'] }),
    ...streamingDataLakeConsumerPaths(m, stack.pageCounts, { otherConsumers: [stack.botAlerts] }),
    ...streamingDataLakeConsumerPaths(m, stack.botAlerts, { otherConsumers: [stack.pageCounts] }),
    ...producerPaths,
    ...generatedPaths(m),
  ]);
});
