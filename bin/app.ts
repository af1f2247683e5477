#!/usr/bin/env node
/**
 * The examples app: `npx cdk synth` synthesizes every example stack.
 *
 * Account and regions come from the environment (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, as the CDK
 * CLI sets them from your profile, or BLUEPRINTS_ACCOUNT / BLUEPRINTS_REGION / BLUEPRINTS_DR_REGION),
 * with placeholders so that synth works with no AWS credentials at all. Nothing is looked up.
 *
 * The four cdk-nag packs are registered as validation plugins, so `cdk synth` fails on any finding that
 * a construct did not acknowledge (set the context `nag=false` to skip them while iterating). docs/compliance.md shows
 * the registration, between the README markers, as the snippet for a user's own app.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';

import { AnalyticsPlatformStack } from '../examples/analytics-platform';
import { AthenaWorkgroupStack } from '../examples/athena-workgroup';
import { ClickstreamRealtimeStack } from '../examples/clickstream-realtime';
import { EmrSpotStack } from '../examples/emr-spot';
import { EmrFleetsStack } from '../examples/emr-spot/fleets';
import { FlinkAnalyticsStack } from '../examples/flink-analytics';
import { GlueEtlStack } from '../examples/glue-etl';
import { GlueOrchestrationStack } from '../examples/glue-orchestration';
import { OpenSearchLogsStack } from '../examples/opensearch-logs';
import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../examples/redshift-warehouse';
import { SecureDataBucketStack } from '../examples/secure-data-bucket';
import { StreamingDataLakeStack } from '../examples/streaming-data-lake';

export const app = new App();
const env = {
  account: process.env.BLUEPRINTS_ACCOUNT ?? process.env.CDK_DEFAULT_ACCOUNT ?? '111111111111',
  region: process.env.BLUEPRINTS_REGION ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
};

new SecureDataBucketStack(app, 'SecureDataBucket', { env });

// Redshift: the DR stack (snapshot copy grant) lives in the DR region, the warehouse in the source region.
const redshiftDrRegion = process.env.BLUEPRINTS_DR_REGION ?? (env.region === 'us-west-2' ? 'us-east-1' : 'us-west-2');
const redshiftDr = new RedshiftWarehouseDrStack(app, 'RedshiftWarehouseDr', { env: { ...env, region: redshiftDrRegion } });
// The warehouse stack takes the grant itself: it deploys after the DR stack, and the grant's region is checked.
new RedshiftWarehouseStack(app, 'RedshiftWarehouse', { env, copyGrant: redshiftDr.copyGrant });
// Kinesis Data Streams -> Firehose -> S3 as Parquet/ORC with Glue tables (issue 3).
new StreamingDataLakeStack(app, 'StreamingDataLake', { env });
// The clickstream with real-time consumers (enhanced fan-out + Lambda), a raw backup and a Direct PUT lake (issue 18).
new ClickstreamRealtimeStack(app, 'ClickstreamRealtime', { env });
// Glue ETL in a VPC (issue 4): crawler, Spark and Python shell jobs, workflow, failure notifications.
new GlueEtlStack(app, 'GlueEtl', { env });
new OpenSearchLogsStack(app, 'OpenSearchLogs', { env });
// EMR on EC2: On-Demand primary/core, Spot task nodes; uniform instance groups and instance fleets.
new EmrSpotStack(app, 'EmrSpot', { env });
new EmrFleetsStack(app, 'EmrFleets', { env });
// Query and orchestrate the lake (issue 17): Athena over the streaming lake; Glue run by Step Functions.
new AthenaWorkgroupStack(app, 'AthenaWorkgroup', { env });
new GlueOrchestrationStack(app, 'GlueOrchestration', { env });
// Managed Service for Apache Flink beside the lake (issue 18): per-page counts per minute into a second lake.
new FlinkAnalyticsStack(app, 'FlinkAnalytics', { env });
// The composed platform (issue 8): all five architectures in one VPC, sharing keys, lake, catalog and alarm topic.
new AnalyticsPlatformStack(app, 'AnalyticsPlatform', { env });

if (app.node.tryGetContext('nag') !== false && app.node.tryGetContext('nag') !== 'false') {
  // README:start
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app), new PCIDSS321Checks(app));
  // README:end
}
