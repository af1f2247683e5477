import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { GlueEtlStart, GlueEtlStateMachine, GlueEtlStep } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The README's GlueEtlStateMachine snippet, as a stack that compiles and synthesizes (test/glue-orchestration/
 * readme.test.ts checks that the README shows exactly the code between the README markers). examples/glue-orchestration
 * runs the job and crawler of a `GlueEtlPipeline` with `GlueEtlStep.fromPipeline`.
 */
export class GlueOrchestrationQuickstartStack extends Stack {
  public readonly nightly: GlueEtlStateMachine;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // README:start
    const nightly = new GlueEtlStateMachine(this, 'Nightly', {
      // Your Glue job, then your crawler, by name; or GlueEtlStep.fromPipeline(pipeline, ['RawToParquet', 'CuratedCrawler'])
      steps: [GlueEtlStep.runJob('raw-to-parquet', { arguments: { '--day': 'yesterday' } }), GlueEtlStep.crawl('curated-crawler')],
      start: GlueEtlStart.schedule(events.Schedule.cron({ minute: '0', hour: '2' })), // or onDemand(), s3ObjectCreated(bucket, { prefix })
      timeout: Duration.hours(4),
    });
    // README:end
    this.nightly = nightly;
  }
}
