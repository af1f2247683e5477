import { Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

import { GlueEtlStep } from '../step';

/** Default wait between two GetCrawler calls. */
export const DEFAULT_POLL_INTERVAL = Duration.seconds(30);
/** Default longest wait for a crawl. */
export const DEFAULT_CRAWL_WAIT = Duration.hours(1);

/**
 * Errors of `glue:startJobRun` worth retrying: another run of the job is still going (the job's `MaxConcurrentRuns`),
 * or Glue throttled or failed the call. The optimized integration reports API errors as `Glue.AWSGlueException`, with
 * the Glue error code in the cause (Step Functions cannot match on the cause, so a non-transient API error such as a
 * missing job is retried too, at most `maxAttempts` times); `Glue.ConcurrentRunsExceededException` is listed as well,
 * the name the SDK integrations use. A failed, timed-out or stopped job *run* is `States.TaskFailed` and is not
 * retried here: the job's own `maxRetries` decides that, and retrying it again here would run it twice as often.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export const JOB_RETRY_ERRORS = ['Glue.AWSGlueException', 'Glue.ConcurrentRunsExceededException'];

/**
 * Errors of the SDK calls (`aws-sdk:glue:startCrawler`, `getCrawler`) worth retrying: Glue's transient errors, and
 * `Glue.GlueException`, the SDK's base error, under which throttling surfaces. SDK integration errors are named
 * `Glue.<exception>`.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 * @see https://docs.aws.amazon.com/glue/latest/webapi/API_StartCrawler.html
 */
export const CRAWLER_RETRY_ERRORS = ['Glue.GlueException', 'Glue.InternalServiceException', 'Glue.OperationTimeoutException',
  'Glue.ThrottlingException'];

/** What the definition needs from the construct. */
export interface DefinitionInputs {
  readonly steps: GlueEtlStep[];
  readonly topic: sns.ITopic;
}

/** The definition and the ARNs the role needs. */
export interface BuiltDefinition {
  readonly definition: sfn.IChainable;
  readonly crawlerArns: string[];
}

/**
 * Builds the state machine: the steps in order; every failure (a task error after its retries, a crawl that did not
 * succeed or did not end in time) publishes one message to the topic and fails the execution with that error.
 */
export function buildDefinition(scope: Construct, inputs: DefinitionInputs): BuiltDefinition {
  const stack = Stack.of(scope);
  const failed = new sfn.Fail(scope, 'Failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
  const notify = new tasks.SnsPublish(scope, 'NotifyFailure', {
    topic: inputs.topic,
    subject: 'Glue ETL run failed',
    message: sfn.TaskInput.fromObject({
      stateMachine: sfn.JsonPath.stateMachineName,
      execution: sfn.JsonPath.executionId,
      error: sfn.JsonPath.stringAt('$.error.Error'),
      cause: sfn.JsonPath.stringAt('$.error.Cause'),
    }),
    resultPath: sfn.JsonPath.DISCARD,
  });
  notify.next(failed);
  // The notification itself failing (the topic's key or policy) must not hide the original error.
  notify.addCatch(failed, { resultPath: '$.notifyError' });

  const crawlerArns: string[] = [];
  const used = new Set<string>();
  let chain: sfn.Chain | undefined;
  inputs.steps.forEach((step, i) => {
    if (step.kind === 'UNKNOWN') return;
    // A label validation reported (too long, or used twice) gets a stand-in, so that every state still has its own name.
    let label = stepLabel(step, i);
    if (!LABEL.test(label) || used.has(label)) label = `Step${i + 1}`;
    while (used.has(label)) label += '_';
    used.add(label);
    const fragment = step.kind === 'CRAWL'
      ? crawlFragment(scope, step, label, notify, crawlerArns, stack)
      : jobFragment(scope, step, label, notify);
    chain = chain ? chain.next(fragment) : sfn.Chain.start(fragment);
  });
  const succeeded = new sfn.Succeed(scope, 'Succeeded');
  return { definition: chain ? chain.next(succeeded) : succeeded, crawlerArns };
}

/** What a label may hold: it is part of state names, which are at most 80 characters. */
export const LABEL = /^[A-Za-z0-9 _-]{1,40}$/;

/** The label of a step in state names: its own, or its kind and position. */
export function stepLabel(step: GlueEtlStep, index: number): string {
  return step.label ?? `${step.kind === 'CRAWL' ? 'Crawler' : 'Job'}${index + 1}`;
}

function jobFragment(scope: Construct, step: GlueEtlStep, label: string, notify: sfn.IChainable): sfn.Chain {
  const args = step.jobOptions.arguments;
  const run = new tasks.GlueStartJobRun(scope, `Run ${label}`, {
    glueJobName: step.name,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    arguments: args && Object.keys(args).length > 0 ? sfn.TaskInput.fromObject(args) : undefined,
    // The job run as GetJobRun returns it (id, state, times, arguments), kept whole: a ResultSelector naming a field
    // the run lacks would fail the state.
    resultPath: `$.results.${resultKey(label)}`,
  });
  run.addRetry({ errors: JOB_RETRY_ERRORS, interval: Duration.seconds(60), backoffRate: 2, maxAttempts: 3 });
  run.addCatch(notify, { resultPath: '$.error' });
  return sfn.Chain.start(run);
}

function crawlFragment(scope: Construct, step: GlueEtlStep, label: string, notify: sfn.IChainable, crawlerArns: string[],
  stack: Stack): sfn.Chain {
  const crawlerArn = stack.formatArn({ service: 'glue', resource: 'crawler', resourceName: step.name });
  crawlerArns.push(crawlerArn);
  const interval = safeDuration(step.crawlOptions.pollInterval, DEFAULT_POLL_INTERVAL);
  const maxPolls = Math.max(1, Math.ceil(safeDuration(step.crawlOptions.maxWait, DEFAULT_CRAWL_WAIT).toSeconds() / interval.toSeconds()));
  const key = resultKey(label);
  const polls = `$.polls.${key}`;

  const init = new sfn.Pass(scope, `Init ${label}`, { result: sfn.Result.fromObject({ count: 0 }), resultPath: polls });
  const start = new tasks.CallAwsService(scope, `Start ${label}`, {
    service: 'glue',
    action: 'startCrawler',
    iamAction: 'glue:StartCrawler',
    parameters: { Name: step.name },
    iamResources: [crawlerArn],
    resultPath: sfn.JsonPath.DISCARD,
  });
  const wait = new sfn.Wait(scope, `Wait for ${label}`, { time: sfn.WaitTime.duration(interval) });
  const get = new tasks.CallAwsService(scope, `Get ${label}`, {
    service: 'glue',
    action: 'getCrawler',
    iamAction: 'glue:GetCrawler',
    parameters: { Name: step.name },
    iamResources: [crawlerArn],
    // LastCrawl is absent until a crawler's first crawl ends: select the whole crawler, not a field that may be missing.
    resultSelector: { 'Crawler.$': '$.Crawler' },
    resultPath: `$.crawls.${key}`,
  });
  const count = new sfn.Pass(scope, `Count ${label} polls`, {
    parameters: { 'count.$': `States.MathAdd(${polls}.count, 1)` },
    resultPath: polls,
  });
  const crawler = `$.crawls.${key}.Crawler`;
  const lastCrawl = `${crawler}.LastCrawl`;
  const crawlFailed = new sfn.Pass(scope, `${label} crawl failed`, {
    parameters: { 'Error': 'CrawlFailed', 'Cause.$': `States.Format('The last crawl of {} did not succeed: {}', '${step.name}', States.JsonToString(${lastCrawl}))` },
    resultPath: '$.error',
  });
  const timedOut = new sfn.Pass(scope, `${label} crawl timed out`, {
    parameters: { Error: 'CrawlTimedOut', Cause: `The crawler ${step.name} was still running after ${maxPolls} polls` },
    resultPath: '$.error',
  });
  crawlFailed.next(notify);
  timedOut.next(notify);
  const done = new sfn.Pass(scope, `${label} crawled`);

  // A crawl already running (a schedule, another execution) is waited for instead of failing the run.
  start.addCatch(wait, { errors: ['Glue.CrawlerRunningException'], resultPath: sfn.JsonPath.DISCARD });
  for (const task of [start, get]) {
    task.addRetry({ errors: CRAWLER_RETRY_ERRORS, interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 4 });
    task.addCatch(notify, { resultPath: '$.error' });
  }
  const finished = new sfn.Choice(scope, `${label} succeeded?`)
    .when(sfn.Condition.and(sfn.Condition.isPresent(`${lastCrawl}.Status`), sfn.Condition.stringEquals(`${lastCrawl}.Status`, 'SUCCEEDED')),
      done)
    .otherwise(crawlFailed);
  const ready = new sfn.Choice(scope, `${label} ready?`)
    .when(sfn.Condition.stringEquals(`${crawler}.State`, 'READY'), finished)
    .when(sfn.Condition.numberGreaterThanEquals(`${polls}.count`, maxPolls), timedOut)
    .otherwise(count.next(wait));
  init.next(start).next(wait).next(get).next(ready);
  return sfn.Chain.custom(init, [done], done);
}

/** A JSONPath key for a label: letters, digits and `_`. */
function resultKey(label: string): string {
  return label.replace(/[^A-Za-z0-9_]/g, '_');
}

function safeDuration(value: Duration | undefined, fallback: Duration): Duration {
  if (value === undefined || value.isUnresolved()) return fallback;
  const s = value.toSeconds({ integral: false });
  return Number.isInteger(s) && s >= 1 ? value : fallback;
}
