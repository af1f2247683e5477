/**
 * Every rule of `GlueEtlStateMachine`, each with a negative test that checks the message, and the case that must not
 * fail next to it. No test synthesizes a template: `node.validate()` is enough.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

import { AnalyticsNetwork, GlueEtlPipeline, GlueEtlStart, GlueEtlStateMachine, GlueEtlStateMachineProps, GlueEtlStep } from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

const JOB = GlueEtlStep.runJob('daily');

/** Every validation message of a state machine built with `props` (construction must not throw). */
function errorsOf(props: Partial<GlueEtlStateMachineProps>, stack: Stack = testStack()): string[] {
  new GlueEtlStateMachine(stack, 'Etl', { steps: [JOB], dashboardEnabled: false, ...props });
  return stack.node.findAll().flatMap(c => validationMessages(c));
}

describe('GlueEtlStateMachine: rules checked at synth', () => {
  test('accepts the defaults and unresolved names', () => {
    expect(errorsOf({})).toEqual([]);
    expect(errorsOf({ steps: [GlueEtlStep.crawl(Token.asString({ Ref: 'Crawler' })), GlueEtlStep.runJob(Token.asString({ Ref: 'Job' }))] }))
      .toEqual([]);
  });

  test('fails with no step', () => {
    expect(errorsOf({ steps: [] })).toEqual(['Test/Etl: steps (0 entries) must have at least one crawl or job step']);
  });

  test('fails with a state machine name Step Functions refuses, instead of throwing', () => {
    expect(errorsOf({ stateMachineName: 'nightly etl' })).toEqual(["Test/Etl: stateMachineName ('nightly etl') must be 1 to 80 letters, digits, _ or -"]);
  });

  test('fails with a timeout that is not whole seconds or longer than a year', () => {
    expect(errorsOf({ timeout: Duration.millis(1500) })).toEqual([
      'Test/Etl: timeout (1.5 seconds) must be a whole number of seconds (Step Functions takes seconds)',
    ]);
    expect(errorsOf({ timeout: Duration.days(366) })).toEqual(['Test/Etl: timeout (31622400 seconds) must be between 1 and 31536000 seconds']);
  });

  test('fails with logging off', () => {
    expect(errorsOf({ logLevel: sfn.LogLevel.OFF })).toEqual(["Test/Etl: logLevel ('OFF') must be ALL, ERROR or FATAL: executions must be logged"]);
  });

  test('fails with labels that are too long or used twice, and with crawl polling that cannot work', () => {
    expect(errorsOf({ steps: [
      GlueEtlStep.runJob('a', { label: 'x'.repeat(41) }),
      GlueEtlStep.crawl('c', { label: 'Same', pollInterval: Duration.millis(1500) }),
      GlueEtlStep.crawl('d', { label: 'Same', pollInterval: Duration.minutes(5), maxWait: Duration.minutes(1) }),
    ] })).toEqual([
      `Test/Etl: steps[0].label ('${'x'.repeat(41)}') must be 1 to 40 letters, digits, spaces, _ or -`,
      'Test/Etl: steps[1].pollInterval (1.5 seconds) must be a whole number of seconds (Step Functions takes seconds)',
      "Test/Etl: steps[2].label ('Same') must be unique among the steps: it names their states",
      'Test/Etl: steps[2].maxWait (1 minute) must be at least pollInterval (5 minutes)',
    ]);
  });

  test('fails with a job argument that is not a Glue argument name, and an empty S3 prefix', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Lake', 'lake');
    expect(errorsOf({ steps: [GlueEtlStep.runJob('a', { arguments: { day: '1', '--ok': '2' } })],
      start: GlueEtlStart.s3ObjectCreated(bucket, { prefix: '' }) }, stack)).toEqual([
      "Test/Etl: steps[0].arguments['day'] must be a Glue job argument name: '--' then letters, digits, _, . or -",
      "Test/Etl: start.prefix ('') must be a non-empty key prefix without a leading '/': it is matched against object keys, " +
        'which are relative to the bucket (leave prefix unset to start on every object)',
    ]);
  });

  test('fails with a pipeline name the pipeline does not have, naming those it has', () => {
    const stack = testStack();
    const pipeline = new GlueEtlPipeline(stack, 'Pipeline', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }),
      crawlers: { Curated: { paths: ['curated/'] } } });
    const steps = GlueEtlStep.fromPipeline(pipeline, ['Curated', 'Missing']);
    expect(steps.map(s => [s.kind, s.label])).toEqual([['CRAWL', 'Curated'], ['UNKNOWN', 'Missing']]);
    new GlueEtlStateMachine(stack, 'Etl', { steps, dashboardEnabled: false });
    expect(validationMessages(stack.node.findChild('Etl'))).toEqual([
      "Test/Etl: steps[1] ('Missing') names no crawler or job of Test/Pipeline: one of 'Curated'",
    ]);
  });

  test('warns that an imported topic without its key may not take the failure notification', () => {
    const stack = testStack();
    const machine = new GlueEtlStateMachine(stack, 'Etl', { steps: [JOB], dashboardEnabled: false,
      notificationTopic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:us-east-1:111111111111:ops') });
    expect(machine.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data))).toEqual([expect.stringContaining(
      'notificationTopic is imported without its key: if it is encrypted, failed runs cannot notify')]);
  });
});
