import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { GlueEtlStart, GlueEtlStateMachine, GlueEtlStep } from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The GlueEtlStateMachine snippet of docs/glue-orchestration.md, as a stack that compiles and synthesizes (`npm run
 * docs:snippets` writes the code between the README markers into the page; test/glue-orchestration/readme.test.ts). examples/glue-orchestration
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
