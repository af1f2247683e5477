/**
 * Runtime access of examples/analytics-platform: the five architectures share one lake bucket, one catalog
 * database, two keys and one alarm topic; each still reaches only its own part of the lake, and every
 * service-to-service call the composition implies is allowed.
 */
import * as iam from 'aws-cdk-lib/aws-iam';

import { AnalyticsPlatformStack } from '../../examples/analytics-platform';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { emrPaths } from './architectures/emr';
import { glueEtlPaths } from './architectures/glue-etl';
import { glueOrchestrationPaths } from './architectures/glue-orchestration';
import { openSearchClusterPaths, openSearchIngestionPaths } from './architectures/opensearch';
import { redshiftPaths } from './architectures/redshift';
import { streamingDataLakePaths } from './architectures/streaming-data-lake';
import { kinesisKms } from './context';
import { generatedPaths } from './generated';
import { AccessModel, AccessPath } from './model';
import { proveAccess } from './prove';

const stack = new AnalyticsPlatformStack(testApp({ builtinCloudFormationValidation: false }), 'AnalyticsPlatform', { env: TEST_ENV });
// What users of the platform do: attach the producer policy to an application role, grant an analyst the clicks.
const producer = new iam.Role(stack, 'Producer', {
  assumedBy: new iam.AccountRootPrincipal(),
  managedPolicies: [stack.node.findChild('ProducerPolicy') as iam.ManagedPolicy],
});
const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
stack.streaming.grantReadData(analyst);
const m = AccessModel.of(stack);

const lake = m.arnOf(stack.lake.bucket);
const database = 'analytics_platform';
const etl = stack.etl;
// The zones of the shared lake, by owner.
const zones = { streaming: ['clicks/', 'errors/clicks/'], curated: ['curated/'], emrLogs: ['logs/emr/'], searchBackup: ['failed/', 'errors/logs/'] };

const userPaths: AccessPath[] = [
  { why: 'an application role with the producer policy puts clicks on the stream', principal: m.role(producer), action: 'kinesis:PutRecords',
    resource: m.arnOf(stack.streaming.stream), expect: 'allow' },
  { why: 'an application role with the producer policy encrypts them with the ops key (Kinesis calls KMS for it)', principal: m.role(producer),
    action: 'kms:GenerateDataKey', resource: m.value(stack.opsKey.keyArn), context: kinesisKms(m, stack.streaming.stream), expect: 'allow' },
  { why: 'an application role with the producer policy puts log documents to the OpenSearch ingestion', principal: m.role(producer),
    action: 'firehose:PutRecordBatch', resource: m.arnOf(stack.logIngestion.deliveryStream), expect: 'allow' },
  { why: 'an application role with the producer policy reads nothing from the stream', principal: m.role(producer), action: 'kinesis:GetRecords',
    resource: m.arnOf(stack.streaming.stream), expect: 'deny' },
  { why: 'an application role with the producer policy reads nothing from the lake', principal: m.role(producer), action: 's3:GetObject',
    resource: `${lake}/clicks/event_type=click/year=2026/month=12/day=02/hour=10/delivery-1`, expect: 'deny' },
  { why: 'an analyst granted grantReadData reads the clicks', principal: m.role(analyst), action: 's3:GetObject',
    resource: `${lake}/clicks/event_type=click/year=2026/month=12/day=02/hour=10/delivery-1`, expect: 'allow' },
  { why: 'an analyst granted grantReadData cannot read the error files', principal: m.role(analyst), action: 's3:GetObject',
    resource: `${lake}/errors/clicks/format-conversion-failed/year=2026/month=12/day=02/delivery-1`, expect: 'deny' },
  { why: 'an analyst granted grantReadData cannot read the curated zone', principal: m.role(analyst), action: 's3:GetObject',
    resource: `${lake}/curated/daily_clicks/part-00000.parquet`, expect: 'deny' },
];

describe('examples/analytics-platform: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack, { eventRules: true }));
  proveAccess(m, [
    ...streamingDataLakePaths(m, stack.streaming, { foreignPrefixes: [...zones.curated, ...zones.emrLogs, ...zones.searchBackup] }),
    ...glueEtlPaths(m, etl, [
      { name: 'Spark job DailyClicks', kind: 'jobs', role: etl.sparkEtlJobs.DailyClicks.role, job: etl.sparkEtlJobs.DailyClicks.job,
        readPrefixes: ['clicks/'], writePrefixes: ['curated/daily_clicks/', 'glue/spark-ui/'],
        foreignPrefixes: ['errors/', ...zones.emrLogs, ...zones.searchBackup] },
      { name: 'crawler ClicksCrawler', kind: 'crawlers', role: etl.crawlers.ClicksCrawler.role, readPrefixes: ['clicks/'], writePrefixes: [],
        foreignPrefixes: ['curated/', 'errors/', ...zones.emrLogs] },
      { name: 'crawler CuratedCrawler', kind: 'crawlers', role: etl.crawlers.CuratedCrawler.role, readPrefixes: ['curated/'], writePrefixes: [],
        foreignPrefixes: [...zones.streaming, ...zones.emrLogs] },
    ]),
    ...glueOrchestrationPaths(m, stack.backfill, {
      crawlers: [etl.crawlers.ClicksCrawler.crawler],
      jobs: [etl.sparkEtlJobs.DailyClicks.job],
      roles: [etl.crawlers.ClicksCrawler.role, etl.sparkEtlJobs.DailyClicks.role],
    }),
    ...emrPaths(m, stack.emr, { glueDatabases: [database], foreignBucket: stack.lake.serverAccessLogsBucket }),
    ...redshiftPaths(m, stack.warehouse, { lakeBuckets: [stack.lake.bucket], glueDatabases: [database] }),
    ...openSearchClusterPaths(m, stack.search),
    ...openSearchIngestionPaths(m, stack.search, stack.logIngestion, {
      backupBucket: stack.lake.bucket, foreignPrefixes: [...zones.streaming, ...zones.curated],
    }),
    ...userPaths,
    ...generatedPaths(m),
  ]);
});
