/**
 * What Managed Service for Apache Flink rejects, reported at synth with the construct path, the property and the
 * allowed values, all problems at once. No test here synthesizes a template: `node.validate()` is enough.
 */
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';

import {
  AnalyticsNetwork, FlinkApplication, FlinkApplicationCode, FlinkApplicationProps, FlinkInput, FlinkLogLevel, FlinkMetricsLevel,
  FlinkRuntime,
} from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** Every validation message of an application built with `props`, and the application (construction must not throw). */
function build(props: Partial<FlinkApplicationProps> = {}, stack: Stack = testStack()): { errors: string[]; app: FlinkApplication } {
  const bucket = s3.Bucket.fromBucketName(stack, 'Artifacts', 'artifacts');
  const stream = kinesis.Stream.fromStreamArn(stack, 'Input', 'arn:aws:kinesis:us-east-1:111111111111:stream/clicks');
  const app = new FlinkApplication(stack, 'App', {
    code: FlinkApplicationCode.fromBucket(bucket, 'app.jar'),
    input: FlinkInput.fromStream(stream),
    ...props,
  });
  return { errors: stack.node.findAll().flatMap(c => validationMessages(c)), app };
}
const errorsOf = (props: Partial<FlinkApplicationProps> = {}, stack?: Stack) => build(props, stack).errors;

function vpcIn(stack: Stack, subnets: number): ec2.IVpc {
  const ids = Array.from({ length: subnets }, (_, i) => `subnet-${i}`);
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-1', availabilityZones: ids.map(() => 'us-east-1a'), privateSubnetIds: ids,
  });
}

describe('FlinkApplication: synth-time checks', () => {
  test('accepts the defaults and values at every bound', () => {
    expect(errorsOf()).toEqual([]);
    expect(errorsOf({
      applicationName: 'a'.repeat(128), parallelism: 512, parallelismPerKpu: 8, checkpointInterval: Duration.millis(1),
      minPauseBetweenCheckpoints: Duration.millis(0), propertyGroups: Array.from({ length: 50 }, (_, i) => ({ id: `g${i}`, properties: { k: 'v' } })),
    })).toEqual([]);
  });

  test.each([
    ['a name with a space', { applicationName: 'my app' }, "applicationName ('my app') must be 1 to 128 letters, digits, _, . or -"],
    ['a name of 129 characters', { applicationName: 'a'.repeat(129) }, `applicationName ('${'a'.repeat(129)}') must be 1 to 128 letters, digits, _, . or -`],
    ['a description over 1024 characters', { description: 'd'.repeat(1025) }, 'must be at most 1024 characters long (got 1025)'],
    ['a SQL runtime', { runtime: FlinkRuntime.of('SQL-1_0') },
      "runtime ('SQL-1_0') must be a Flink runtime of the form FLINK-<major>_<minor>, for example FLINK-1_20"],
    ['a parallelism of 0', { parallelism: 0 }, 'parallelism (0) must be a whole number of at least 1'],
    ['a fractional parallelism', { parallelism: 1.5 }, 'parallelism (1.5) must be a whole number of at least 1'],
    ['a parallelism per KPU of 9', { parallelismPerKpu: 9 }, 'parallelismPerKpu (9) must be a whole number between 1 and 8'],
    ['a parallelism per KPU of 0', { parallelismPerKpu: 0 }, 'parallelismPerKpu (0) must be a whole number between 1 and 8'],
    ['more KPUs than the default quota of 64', { parallelism: 65 },
      'parallelism (65) needs 65 KPUs at parallelismPerKpu 1, more than maxKpus (64, the KPU quota per application): lower it, ' +
      'raise parallelismPerKpu, or request a quota increase and set maxKpus'],
    ['a maxKpus of 0', { maxKpus: 0 }, 'maxKpus (0) must be a whole number of at least 1'],
    ['a checkpoint interval of 0', { checkpointInterval: Duration.millis(0) },
      'checkpointInterval (0 milliseconds) must be a whole number of milliseconds of at least 1'],
    ['a checkpoint interval with a fraction of a millisecond', { checkpointInterval: Duration.millis(1.5) },
      'checkpointInterval (1.5 milliseconds) must be a whole number of milliseconds of at least 1'],
    ['a fractional pause between checkpoints', { minPauseBetweenCheckpoints: Duration.millis(0.5) },
      'minPauseBetweenCheckpoints (0.5 milliseconds) must be a whole number of milliseconds of at least 0'],
    ['a log level the API does not know', { logLevel: 'TRACE' as FlinkLogLevel },
      "logLevel ('TRACE') must be one of 'ERROR', 'WARN', 'INFO', 'DEBUG'"],
    ['a metrics level the API does not know', { metricsLevel: 'JOB' as FlinkMetricsLevel },
      "metricsLevel ('JOB') must be one of 'APPLICATION', 'TASK', 'OPERATOR', 'PARALLELISM'"],
    ['51 property groups', { propertyGroups: Array.from({ length: 51 }, (_, i) => ({ id: `g${i}`, properties: { k: 'v' } })) },
      'propertyGroups (51 entries) must have between 0 and 50 entries'],
    ['a property group id with a slash', { propertyGroups: [{ id: 'a/b', properties: { k: 'v' } }] },
      "propertyGroups[0].id ('a/b') must be 1 to 50 letters, digits, _, . or -"],
    ['a property group with no property', { propertyGroups: [{ id: 'g', properties: {} }] },
      'propertyGroups[0].properties (0 entries) must have between 1 and 50 entries'],
    ['an empty property value', { propertyGroups: [{ id: 'g', properties: { k: '' } }] },
      "propertyGroups[0].properties['k'] ('') must be 1 to 2048 characters long"],
    ['a millisBehindLatest threshold of 0', { alarmThresholds: { millisBehindLatest: Duration.millis(0) } },
      'alarmThresholds.millisBehindLatest (0 millis) must be longer than 0: the alarm would fire whenever a record waits'],
  ] as Array<[string, Partial<FlinkApplicationProps>, string]>)('fails with %s', (_name, props, message) => {
    const errors = errorsOf(props);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Test\/App: /);
    expect(errors[0]).toContain(message);
  });

  test('fails with a property group id used twice, and with 51 properties in a group', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(errorsOf({ propertyGroups: [{ id: 'g', properties: { k: 'v' } }, { id: 'g', properties: many }] })).toEqual([
      "Test/App: propertyGroups[1].id ('g') must be unique among the property groups",
      'Test/App: propertyGroups[1].properties (51 entries) must have between 1 and 50 entries',
    ]);
  });

  test('accepts a parallelism above 64 KPUs when maxKpus says the quota was raised, or when parallelismPerKpu packs it', () => {
    expect(errorsOf({ parallelism: 128, maxKpus: 128 })).toEqual([]);
    expect(errorsOf({ parallelism: 128, parallelismPerKpu: 2 })).toEqual([]);
  });

  test('fails with 17 subnets (the API takes 1 to 16), a selection that selects nothing, and a public endpoint', () => {
    const stack = testStack();
    expect(errorsOf({ network: AnalyticsNetwork.fromVpc(vpcIn(stack, 17)) }, stack)).toEqual([
      'Test/App: network.subnets (17 entries) must have between 1 and 16 entries',
    ]);
    const other = testStack();
    expect(errorsOf({ network: AnalyticsNetwork.fromVpc(vpcIn(other, 2), { subnets: { subnetGroupName: 'Missing' } }) }, other)).toEqual([
      "Test/App: network.subnets cannot be selected: There are no subnet groups with name 'Missing' in this VPC. Available names: Private",
    ]);
    expect(errorsOf({ network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) })).toEqual([
      'Test/App: network (AnalyticsNetwork.publicEndpoint()) does not apply to FlinkApplication, which has no public endpoint: ' +
      'use AnalyticsNetwork.newVpc({ availabilityZones }) or AnalyticsNetwork.fromVpc(vpc)',
    ]);
  });

  test('places the application in the isolated subnets of a VPC that has no private subnets with egress', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-iso'] });
    const { errors, app } = build({ network: AnalyticsNetwork.fromVpc(vpc) }, stack);
    expect(errors).toEqual([]);
    expect(stack.resolve(app.application.applicationConfiguration)).toMatchObject({ vpcConfigurations: [{ subnetIds: ['subnet-iso'] }] });
  });

  test('skips values that are tokens, known only at deploy time', () => {
    expect(errorsOf({
      applicationName: Token.asString({ Ref: 'Name' }), parallelism: Token.asNumber({ Ref: 'P' }),
      propertyGroups: [{ id: 'g', properties: { 'stream.name': Token.asString({ Ref: 'S' }) } }],
    })).toEqual([]);
  });

  test('warns about per-subtask metrics above a parallelism of 64', () => {
    const { app } = build({ metricsLevel: FlinkMetricsLevel.PARALLELISM, parallelism: 65, maxKpus: 65 });
    expect(app.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data))).toEqual([
      expect.stringContaining('metricsLevel PARALLELISM with parallelism 65 publishes metrics for every parallel subtask'),
    ]);
  });
});
