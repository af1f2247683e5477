import { Stack, StackProps } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  AlarmTopic, AnalyticsNetwork, GlueCrawlerRecrawlBehavior, GlueEtlPipeline, GlueJobBookmark, GluePythonShellCapacity, GlueSparkCapacity,
  GlueSparkWorkerType, GlueWorkflowStart,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';
import * as path from 'path';

/**
 * Props of `GlueEtlStack`.
 */
export interface GlueEtlStackProps extends StackProps {
  /**
   * Availability Zones of the stack's region, pinned so that synth needs no lookup.
   * @default - `<region>a` and `<region>b`
   */
  readonly availabilityZones?: string[];
}

/**
 * The Glue ETL reference architecture: raw JSON lands under `raw/`; EventBridge starts a workflow
 * that converts it to partitioned Parquet under `curated/events/` (Spark, bookmarks), crawls the
 * new partitions into the Data Catalog, then checks today's partition (Python shell). Everything
 * runs in a VPC without NAT, through a Glue NETWORK connection and VPC endpoints.
 */
export class GlueEtlStack extends Stack {
  public readonly pipeline: GlueEtlPipeline;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: GlueEtlStackProps = {}) {
    super(scope, id, props);
    const region = this.region;
    const azs = props.availabilityZones ?? [`${region}a`, `${region}b`];
    this.zones = azs;

    this.pipeline = new GlueEtlPipeline(this, 'Etl', {
      databaseName: 'analytics_lake',
      network: AnalyticsNetwork.newVpc({ availabilityZones: azs }),
      sparkEtlJobs: {
        RawToParquet: {
          description: 'Raw JSON events to Parquet partitioned by event date',
          script: glue.Code.fromAsset(path.join(__dirname, 'scripts', 'raw_to_parquet.py')),
          capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2),
          bookmark: GlueJobBookmark.ENABLED,
          executionClass: glue.ExecutionClass.FLEX,
          readPrefixes: ['raw/'],
          writePrefixes: ['curated/events/'],
          arguments: { '--input_prefix': 'raw/', '--output_prefix': 'curated/events/' },
        },
      },
      crawlers: {
        CuratedCrawler: {
          paths: ['curated/events/'],
          tablePrefix: 'curated_',
          recrawlBehavior: GlueCrawlerRecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY,
        },
      },
      pythonShellJobs: {
        CheckPartition: {
          description: "Fails when today's curated partition is missing or empty",
          script: glue.Code.fromAsset(path.join(__dirname, 'scripts', 'check_partition.py')),
          capacity: GluePythonShellCapacity.SIXTEENTH_DPU,
          readPrefixes: ['curated/events/'],
          arguments: { '--table': 'curated_events', '--region': region },
        },
      },
      workflow: {
        start: GlueWorkflowStart.s3ObjectCreated({ prefix: 'raw/', batchSize: 100 }),
        run: ['RawToParquet'],
        then: [
          { after: ['RawToParquet'], run: ['CuratedCrawler'] },
          { after: ['CuratedCrawler'], run: ['CheckPartition'] },
        ],
      },
      // Job and crawler failures (EventBridge) and the alarms go to the stack's encrypted alarm topic, which
      // admits EventBridge rules and CloudWatch alarms of this account.
      notificationTopic: AlarmTopic.ofStack(this).topic,
    });
  }

  /**
   * The stack's AZs, pinned: ec2.Vpc reads them even when given explicit ones, and in a stack with a
   * concrete account and region reading them would be a context lookup (synth stays offline).
   */
  public override get availabilityZones(): string[] {
    return this.zones;
  }
}
