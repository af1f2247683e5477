import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

import { AlarmTopic, DataBucket, GlueEtlStart, GlueEtlStateMachine, GlueEtlStep } from '../../lib';
import { testStack } from '../util/app';

// One stack for the whole file: a scheduled state machine (crawl, then two jobs) and an S3-started one (one job).
const stack = testStack();
const nightly = new GlueEtlStateMachine(stack, 'Nightly', {
  steps: [
    GlueEtlStep.crawl('raw-crawler', { label: 'RawCrawler', pollInterval: Duration.seconds(60), maxWait: Duration.minutes(30) }),
    GlueEtlStep.runJob('daily-clicks', { label: 'DailyClicks', arguments: { '--day': 'yesterday' } }),
    GlueEtlStep.runJob('check-partition'),
  ],
  start: GlueEtlStart.schedule(events.Schedule.cron({ minute: '30', hour: '1' })),
});
const lake = new DataBucket(stack, 'Lake');
const onUpload = new GlueEtlStateMachine(stack, 'OnUpload', {
  steps: [GlueEtlStep.runJob('ingest', { label: 'Ingest' })],
  start: GlueEtlStart.s3ObjectCreated(lake.bucket, { prefix: 'raw/' }),
  logLevel: sfn.LogLevel.ERROR,
  includeExecutionData: false,
});
const template = Template.fromStack(stack);

/** One state of a definition, as the tests read it. */
interface StateJson {
  readonly [field: string]: unknown;
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: Array<{ readonly Next: string }>;
  readonly Catch?: unknown[];
}

/** The state machine's definition as JSON, each CloudFormation reference replaced by `<ref>`. */
function definitionOf(machine: GlueEtlStateMachine): { States: Record<string, StateJson>; StartAt: string; TimeoutSeconds?: number } {
  const cfn = machine.stateMachine.node.defaultChild as sfn.CfnStateMachine;
  const resolved = Stack.of(machine).resolve(cfn.definitionString) as { 'Fn::Join': [string, unknown[]] } | string;
  const text = typeof resolved === 'string' ? resolved : resolved['Fn::Join'][1].map(p => (typeof p === 'string' ? p : '<ref>')).join('');
  return JSON.parse(text);
}
const nightlyDefinition = definitionOf(nightly);
const states = nightlyDefinition.States;

/** The actions of the statements of a role's one policy, by resource. */
function statementsOf(role: { policy: iam.ManagedPolicy }): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  return stack.resolve((role.policy.node.defaultChild as iam.CfnManagedPolicy).policyDocument).Statement;
}

describe('GlueEtlStateMachine', () => {
  test('runs the steps in order: start the crawler, poll it until READY, then each job synchronously', () => {
    // The success path: each state's Next, or a Choice's first (success) branch.
    const order: string[] = [];
    for (let name: string | undefined = nightlyDefinition.StartAt; name; name = states[name].Next ?? states[name].Choices?.[0].Next) {
      order.push(name);
    }
    expect(order).toEqual(['Init RawCrawler', 'Start RawCrawler', 'Wait for RawCrawler', 'Get RawCrawler', 'RawCrawler ready?',
      'RawCrawler succeeded?', 'RawCrawler crawled', 'Run DailyClicks', 'Run Job3', 'Succeeded']);
    expect(states['Start RawCrawler']).toMatchObject({ Resource: 'arn:<ref>:states:::aws-sdk:glue:startCrawler', Parameters: { Name: 'raw-crawler' } });
    expect(states['Get RawCrawler']).toMatchObject({ Resource: 'arn:<ref>:states:::aws-sdk:glue:getCrawler', ResultSelector: { 'Crawler.$': '$.Crawler' } });
    expect(states['Wait for RawCrawler']).toMatchObject({ Type: 'Wait', Seconds: 60 });
    expect(states['Run DailyClicks']).toMatchObject({ Resource: 'arn:<ref>:states:::glue:startJobRun.sync',
      Parameters: { JobName: 'daily-clicks', Arguments: { '--day': 'yesterday' } } });
    expect(nightlyDefinition.TimeoutSeconds).toBe(6 * 3600);
  });

  test('polls until READY, fails the run unless the last crawl SUCCEEDED, and gives up after maxWait / pollInterval polls', () => {
    expect(states['RawCrawler ready?'].Choices).toEqual([
      { Variable: '$.crawls.RawCrawler.Crawler.State', StringEquals: 'READY', Next: 'RawCrawler succeeded?' },
      { Variable: '$.polls.RawCrawler.count', NumericGreaterThanEquals: 30, Next: 'RawCrawler crawl timed out' },
    ]);
    expect(states['RawCrawler ready?'].Default).toBe('Count RawCrawler polls');
    expect(states['Count RawCrawler polls']).toMatchObject({ Parameters: { 'count.$': 'States.MathAdd($.polls.RawCrawler.count, 1)' },
      ResultPath: '$.polls.RawCrawler', Next: 'Wait for RawCrawler' });
    expect(states['RawCrawler succeeded?'].Choices![0]).toEqual({ And: [
      { Variable: '$.crawls.RawCrawler.Crawler.LastCrawl.Status', IsPresent: true },
      { Variable: '$.crawls.RawCrawler.Crawler.LastCrawl.Status', StringEquals: 'SUCCEEDED' },
    ], Next: 'RawCrawler crawled' });
    expect(states['RawCrawler succeeded?'].Default).toBe('RawCrawler crawl failed');
    // A crawl already running is waited for.
    expect(states['Start RawCrawler'].Catch![0]).toEqual({ ErrorEquals: ['Glue.CrawlerRunningException'], ResultPath: null, Next: 'Wait for RawCrawler' });
  });

  test('retries what is transient: concurrent runs and Glue API errors for jobs, Glue SDK errors for the crawler; never a failed job run', () => {
    expect(states['Run DailyClicks'].Retry).toEqual([{ ErrorEquals: ['Glue.AWSGlueException', 'Glue.ConcurrentRunsExceededException'],
      IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 }]);
    expect(states['Get RawCrawler'].Retry).toEqual([{ ErrorEquals: ['Glue.GlueException', 'Glue.InternalServiceException',
      'Glue.OperationTimeoutException', 'Glue.ThrottlingException'], IntervalSeconds: 5, MaxAttempts: 4, BackoffRate: 2 }]);
    expect(JSON.stringify(nightlyDefinition)).not.toContain('"States.TaskFailed"');
  });

  test('publishes every failure once to the alarm topic, then fails with the error', () => {
    for (const name of ['Start RawCrawler', 'Get RawCrawler', 'Run DailyClicks', 'Run Job3']) {
      expect(states[name].Catch).toContainEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' });
    }
    expect(states['RawCrawler crawl failed'].Next).toBe('NotifyFailure');
    expect(states['RawCrawler crawl timed out']).toMatchObject({ Parameters: { Error: 'CrawlTimedOut' }, Next: 'NotifyFailure' });
    expect(states.NotifyFailure).toMatchObject({ Resource: 'arn:<ref>:states:::sns:publish', Next: 'Failed',
      Parameters: { 'TopicArn': '<ref>', 'Message': { 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' } } });
    expect(states.Failed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(nightly.notificationTopic).toBe(AlarmTopic.ofStack(stack).topic);
  });

  test('logs every transition with its data to a KMS-encrypted vended log group, and traces with X-Ray', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(nightly.logGroup.logGroupArn) } }] },
      TracingConfiguration: { Enabled: true },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      KmsKeyId: stack.resolve(nightly.encryptionKey.keyArn),
      RetentionInDays: 365,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
    });
  });

  test('gives its role exactly the crawler, job, topic and key actions, and no iam:PassRole (StartJobRun takes no role)', () => {
    const statements = statementsOf(nightly.role);
    const glue = statements.filter(s => JSON.stringify(s.Action).includes('glue:'));
    const arn = (resource: string, resourceName: string) => stack.resolve(stack.formatArn({ service: 'glue', resource, resourceName }));
    expect(glue.map(s => [s.Action, s.Resource])).toEqual([
      [['glue:GetCrawler', 'glue:StartCrawler'], arn('crawler', 'raw-crawler')],
      [['glue:BatchStopJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun'], [arn('job', 'check-partition'), arn('job', 'daily-clicks')]],
    ]);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'sns:Publish', Resource: stack.resolve(nightly.notificationTopic.topicArn) }));
    expect(statements).toContainEqual(expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' } } }));
    expect(JSON.stringify(statements)).not.toContain('iam:PassRole');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'states.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: Match.anyValue() } })] },
    });
  });

  test('starts on a schedule, or on objects created under a prefix of a bucket that then sends its events to EventBridge', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(30 1 * * ? *)',
      Targets: [Match.objectLike({ Arn: stack.resolve(nightly.stateMachine.stateMachineArn), RoleArn: stack.resolve(nightly.startRole!.roleArn) })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'],
        'detail': { bucket: { name: [stack.resolve(lake.bucket.bucketName)] }, object: { key: [{ prefix: 'raw/' }] } } },
      Targets: [Match.objectLike({ Arn: stack.resolve(onUpload.stateMachine.stateMachineArn) })],
    });
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    expect(statementsOf(nightly.startRole!)).toEqual([
      expect.objectContaining({ Action: 'states:StartExecution', Resource: stack.resolve(nightly.stateMachine.stateMachineArn) }),
    ]);
  });

  test('alarms on failed and timed-out runs of this state machine', () => {
    expect(nightly.monitoring.alarms.map(a => a.node.id)).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States', MetricName: metricName, Statistic: 'Sum', Period: 300, Threshold: 1,
        Dimensions: [{ Name: 'StateMachineArn', Value: stack.resolve(nightly.stateMachine.stateMachineArn) }],
      });
    }
  });
});
