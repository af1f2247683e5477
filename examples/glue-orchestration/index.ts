import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import { AlarmTopic, AnalyticsNetwork, GlueEtlPipeline, GlueEtlStart, GlueEtlStateMachine, GlueEtlStep, GlueSparkCapacity, GlueSparkWorkerType } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';
import * as path from 'path';

/**
 * Props of `GlueOrchestrationStack`.
 */
export interface GlueOrchestrationStackProps extends StackProps {
  /**
   * Availability Zones of the stack's region, pinned so that synth needs no lookup.
   * @default - `<region>a` and `<region>b`
   */
  readonly availabilityZones?: string[];
}

/**
 * Glue orchestrated by Step Functions instead of a Glue workflow: every night at 02:00 UTC the state machine runs the
 * Spark job that converts the day's raw JSON to Parquet (synchronously, `glue:startJobRun.sync`), then starts the
 * crawler that registers the new partitions and waits for it. A failure publishes the error to the stack's alarm
 * topic and fails the run; failed and timed-out runs raise alarms.
 *
 * ```
 * EventBridge cron(0 2 * * ? *) ─▶ state machine ─▶ RawToParquet (Spark, startJobRun.sync) ─▶ CuratedCrawler (start, poll until READY)
 *                                       │ any failure ─▶ SNS alarm topic (KMS) ─▶ Fail
 *                                       └ logs (ALL, KMS) ─▶ /aws/vendedlogs/states/…, X-Ray traces
 * ```
 */
export class GlueOrchestrationStack extends Stack {
  public readonly pipeline: GlueEtlPipeline;
  public readonly orchestration: GlueEtlStateMachine;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: GlueOrchestrationStackProps = {}) {
    super(scope, id, props);
    this.zones = props.availabilityZones ?? [`${this.region}a`, `${this.region}b`];

    // The crawler and the job, with no Glue workflow: the state machine runs them.
    this.pipeline = new GlueEtlPipeline(this, 'Etl', {
      databaseName: 'orchestrated_lake',
      network: AnalyticsNetwork.newVpc({ availabilityZones: this.zones }),
      sparkEtlJobs: {
        RawToParquet: {
          description: 'Raw JSON events to Parquet partitioned by event date',
          // The same script as examples/glue-etl's job: only the orchestration differs.
          script: glue.Code.fromAsset(path.join(__dirname, '..', 'glue-etl', 'scripts', 'raw_to_parquet.py')),
          capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2),
          executionClass: glue.ExecutionClass.FLEX,
          readPrefixes: ['raw/'],
          writePrefixes: ['curated/events/'],
          arguments: { '--input_prefix': 'raw/', '--output_prefix': 'curated/events/' },
        },
      },
      crawlers: { CuratedCrawler: { paths: ['curated/events/'], tablePrefix: 'curated_' } },
      notificationTopic: AlarmTopic.ofStack(this).topic,
    });

    this.orchestration = new GlueEtlStateMachine(this, 'Nightly', {
      steps: GlueEtlStep.fromPipeline(this.pipeline, ['RawToParquet', 'CuratedCrawler']),
      start: GlueEtlStart.schedule(events.Schedule.cron({ minute: '0', hour: '2' })),
      // The job's own timeout is 2 hours and the crawl is given 1: a run past 4 hours is stuck.
      timeout: Duration.hours(4),
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
