/**
 * Runtime access of examples/flink-analytics: the Flink application reads the clickstream lake's stream with the
 * lake's key, its code object and its log stream, and puts its counts on the PageCounts lake's stream; the two lakes
 * keep their own paths.
 */
import { FlinkAnalyticsStack } from '../../examples/flink-analytics';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { flinkApplicationPaths } from './architectures/flink';
import { streamingDataLakePaths } from './architectures/streaming-data-lake';
import { kinesisKms } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = new FlinkAnalyticsStack(testApp({ builtinCloudFormationValidation: false }), 'FlinkAnalytics', { env: TEST_ENV });
const m = AccessModel.of(stack);
const app = stack.aggregation;
const role = m.role(app.role);
const output = m.arnOf(stack.pageCounts.stream);
const outputKey = m.value(stack.pageCounts.encryptionKey.keyArn);
const lakeBucket = m.value(stack.clicks.bucket.bucketArn);

const outputPaths: AccessPath[] = [
  ...['kinesis:PutRecords', 'kinesis:PutRecord', 'kinesis:ListShards'].map((action): AccessPath => ({
    why: 'the Flink Kinesis sink puts the page counts on the PageCounts stream (granted with grantWrite)', principal: role, action,
    resource: output, expect: 'allow' })),
  { why: 'the Flink Kinesis sink encrypts the page counts with the PageCounts key (Kinesis calls KMS for it)', principal: role,
    action: 'kms:GenerateDataKey', resource: outputKey, context: kinesisKms(m, stack.pageCounts.stream), expect: 'allow' },
  { why: 'the Flink application does not read the PageCounts stream', principal: role, action: 'kinesis:GetRecords', resource: output,
    expect: 'deny' },
  { why: 'the Flink application reads no lake file directly', principal: role, action: 's3:GetObject',
    resource: `${lakeBucket}/clicks/year=2026/month=12/day=02/hour=10/delivery-1.parquet`, expect: 'deny' },
];

describe('examples/flink-analytics: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...flinkApplicationPaths(m, app, 'arn:aws:s3:::flink-artifacts-111111111111-us-east-1/clickstream-aggregation.jar'),
    ...outputPaths,
    ...streamingDataLakePaths(m, stack.clicks, { foreignPrefixes: ['page-counts/', 'page-counts-errors/'] }),
    ...streamingDataLakePaths(m, stack.pageCounts, { foreignPrefixes: ['clicks/', 'clicks-errors/'] }),
    ...generatedPaths(m),
  ]);
});
