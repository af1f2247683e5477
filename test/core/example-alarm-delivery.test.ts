import { Stack } from 'aws-cdk-lib';
import { AnalyticsPlatformStack } from '../../examples/analytics-platform';
import { AthenaWorkgroupStack } from '../../examples/athena-workgroup';
import { EmrSpotStack } from '../../examples/emr-spot';
import { EmrFleetsStack } from '../../examples/emr-spot/fleets';
import { FlinkAnalyticsStack } from '../../examples/flink-analytics';
import { GlueEtlStack } from '../../examples/glue-etl';
import { GlueOrchestrationStack } from '../../examples/glue-orchestration';
import { OpenSearchLogsStack } from '../../examples/opensearch-logs';
import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../../examples/redshift-warehouse';
import { StreamingDataLakeStack } from '../../examples/streaming-data-lake';
import { TEST_ENV, testApp } from '../util/app';
import { alarmDelivery } from './alarm-delivery';

/**
 * Every alarm of every example reaches its topic, and every EventBridge rule that targets a topic too: proven
 * on the synthesized topic and key policies (see alarm-delivery.ts), one stack per test.
 */
const examples: Array<[string, () => Stack]> = [
  ['StreamingDataLake', () => new StreamingDataLakeStack(app(), 'StreamingDataLake', { env: TEST_ENV })],
  ['GlueEtl', () => new GlueEtlStack(app(), 'GlueEtl', { env: TEST_ENV })],
  ['EmrSpot', () => new EmrSpotStack(app(), 'EmrSpot', { env: TEST_ENV })],
  ['EmrFleets', () => new EmrFleetsStack(app(), 'EmrFleets', { env: TEST_ENV })],
  ['RedshiftWarehouse', () => {
    const a = app();
    const dr = new RedshiftWarehouseDrStack(a, 'RedshiftWarehouseDr', { env: { ...TEST_ENV, region: 'us-west-2' } });
    return new RedshiftWarehouseStack(a, 'RedshiftWarehouse', { env: TEST_ENV, copyGrant: dr.copyGrant });
  }],
  ['FlinkAnalytics', () => new FlinkAnalyticsStack(app(), 'FlinkAnalytics', { env: TEST_ENV })],
  ['OpenSearchLogs', () => new OpenSearchLogsStack(app(), 'OpenSearchLogs', { env: TEST_ENV })],
  ['AthenaWorkgroup', () => new AthenaWorkgroupStack(app(), 'AthenaWorkgroup', { env: TEST_ENV })],
  ['GlueOrchestration', () => new GlueOrchestrationStack(app(), 'GlueOrchestration', { env: TEST_ENV })],
  ['AnalyticsPlatform', () => new AnalyticsPlatformStack(app(), 'AnalyticsPlatform', { env: TEST_ENV })],
];

function app() {
  return testApp({ builtinCloudFormationValidation: false, treeMetadata: false });
}

describe.each(examples)('example %s', (name, build) => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', async () => {
    const { checked, problems } = await alarmDelivery(build());
    expect(checked.filter(c => c.startsWith('cloudwatch.amazonaws.com')).length).toBeGreaterThan(0);
    if (['GlueEtl', 'AnalyticsPlatform', 'AthenaWorkgroup', 'GlueOrchestration'].includes(name)) {
      expect(checked.filter(c => c.startsWith('events.amazonaws.com')).length).toBeGreaterThan(0);
    }
    expect(problems).toEqual([]);
  });
});
