import { Duration } from 'aws-cdk-lib';

import type { GlueEtlPipeline } from '../glue-etl/glue-etl-pipeline';

/**
 * Options of a crawl step.
 */
export interface GlueEtlCrawlStepOptions {
  /**
   * Name of the step in state names and messages: letters, digits, spaces, `_` and `-`, at most 40 characters.
   * @default - `Crawler<n>`, n its position in the steps
   */
  readonly label?: string;
  /**
   * How long the state machine waits between two `GetCrawler` calls: a whole number of seconds, at least 1. Each poll
   * is a state transition (billed) and a Glue API call.
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
  /**
   * How long the state machine waits for the crawl to end before it fails the run: at least `pollInterval`. The wait is
   * counted in polls, so it ends after `ceil(maxWait / pollInterval)` polls.
   * @default Duration.hours(1)
   */
  readonly maxWait?: Duration;
}

/**
 * Options of a job step.
 */
export interface GlueEtlJobStepOptions {
  /**
   * Name of the step in state names and messages: letters, digits, spaces, `_` and `-`, at most 40 characters.
   * @default - `Job<n>`, n its position in the steps
   */
  readonly label?: string;
  /**
   * Arguments of this run (`--name`: value), on top of the job's default arguments.
   * @default - the job's default arguments only
   */
  readonly arguments?: { [key: string]: string };
}

/**
 * One step of a `GlueEtlStateMachine`: a crawl it starts and waits for, or a job run it starts and waits for.
 */
export class GlueEtlStep {
  /**
   * Starts the crawler (`aws-sdk:glue:startCrawler`; a crawl already running is waited for instead), then polls
   * `GetCrawler` until the crawler is `READY` again and fails the run unless its last crawl `SUCCEEDED`.
   * @param crawlerName the crawler's name (`GlueCrawler.crawlerName`)
   */
  public static crawl(crawlerName: string, options: GlueEtlCrawlStepOptions = {}): GlueEtlStep {
    return new GlueEtlStep('CRAWL', crawlerName, options.label, options, {});
  }

  /**
   * Runs the job and waits for the run to end (`glue:startJobRun.sync`): a run that fails, times out or is stopped
   * fails the step.
   * @param jobName the job's name (`GlueSparkEtlJob.jobName`, `glue.IJob.jobName`)
   */
  public static runJob(jobName: string, options: GlueEtlJobStepOptions = {}): GlueEtlStep {
    return new GlueEtlStep('JOB', jobName, options.label, {}, options);
  }

  /**
   * The crawlers and jobs of a `GlueEtlPipeline`, by the names the pipeline gave them, in the order given; each label
   * is its name. A name the pipeline does not have is reported at synth by the state machine.
   */
  public static fromPipeline(pipeline: GlueEtlPipeline, names: string[]): GlueEtlStep[] {
    return names.map(name => {
      const crawler = pipeline.crawlers[name];
      if (crawler) return GlueEtlStep.crawl(crawler.crawlerName, { label: name });
      const job = pipeline.sparkEtlJobs[name] ?? pipeline.pythonShellJobs[name];
      if (job) return GlueEtlStep.runJob(job.jobName, { label: name });
      const known = [...Object.keys(pipeline.crawlers), ...Object.keys(pipeline.sparkEtlJobs), ...Object.keys(pipeline.pythonShellJobs)];
      return new GlueEtlStep('UNKNOWN', name, name, {}, {}, `names no crawler or job of ${pipeline.node.path}` +
        (known.length > 0 ? `: one of ${known.map(k => `'${k}'`).join(', ')}` : ' (it has none)'));
    });
  }

  /** `CRAWL` or `JOB` (`UNKNOWN` for a name `fromPipeline` did not find). */
  public readonly kind: string;
  /** The crawler's or job's name. */
  public readonly name: string;
  /** The label given, if any. */
  public readonly label?: string;
  /** The options of a crawl step. */
  public readonly crawlOptions: GlueEtlCrawlStepOptions;
  /** The options of a job step. */
  public readonly jobOptions: GlueEtlJobStepOptions;
  /** Why the step cannot be built, when it cannot. */
  public readonly problem?: string;

  private constructor(kind: string, name: string, label: string | undefined, crawl: GlueEtlCrawlStepOptions,
    job: GlueEtlJobStepOptions, problem?: string) {
    this.kind = kind;
    this.name = name;
    this.label = label;
    this.crawlOptions = crawl;
    this.jobOptions = job;
    this.problem = problem;
  }
}
