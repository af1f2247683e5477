/**
 * Schedules, names, whole numbers, thresholds and escape hatches of the Glue ETL architecture: each rule reported
 * at synth with the construct path and property, together with every other problem, and values aws-cdk-lib throws
 * on replaced by a stand-in so that construction goes on. Validation only, but for the last test, whose synth stops at
 * validation.
 */
import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import {
  AnalyticsNetwork, GlueEtlPipeline, GlueEtlPipelineProps, GlueNetwork, GlueSparkCapacity, GlueSparkWorkerType, GlueWorkflowStart,
  StreamingDataLake, StreamingDataLakeFileFormat, StreamingDataLakeSchema,
} from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

function validationErrors(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(validationMessages);
}

function warnings(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => `${c.node.path}: ${m.data}`));
}

/** A pipeline in an imported VPC whose connection subnet has a NAT route (no endpoint check, few resources). */
function pipeline(props: Partial<GlueEtlPipelineProps>, stack: Stack = testStack('V')): GlueEtlPipeline {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'],
    privateSubnetIds: ['subnet-0123456789abcdef0'], privateSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
  });
  return new GlueEtlPipeline(stack, 'Etl', { network: AnalyticsNetwork.fromVpc(vpc), ...props });
}

function errorsOf(props: Partial<GlueEtlPipelineProps>): string[] {
  return validationErrors(pipeline(props));
}

function script(): glue.Code {
  return glue.Code.fromBucket(s3.Bucket.fromBucketName(testStack('S'), 'Scripts', 'scripts'), 'x.py');
}

const crawlerSchedule = (schedule: glue.TriggerSchedule) => ({ crawlers: { Crawl: { paths: ['raw/'], schedule } } });

describe('Glue schedules', () => {
  test.each([
    ['a daily cron', glue.TriggerSchedule.cron({ minute: '15', hour: '12' })],
    ['daily()', glue.TriggerSchedule.daily()],
    ['weekly()', glue.TriggerSchedule.weekly()],
    ['every 5 minutes', glue.TriggerSchedule.expression('cron(0/5 * * * ? *)')],
    ['twice an hour on weekdays', glue.TriggerSchedule.expression('cron(0,30 8-18 ? * MON-FRI *)')],
    ['the last day of the month', glue.TriggerSchedule.expression('cron(0 0 L * ? *)')],
    ['the third Friday', glue.TriggerSchedule.expression('cron(0 0 ? * 6#3 *)')],
    ['minutes 58 and 3 in hours that do not follow each other', glue.TriggerSchedule.expression('cron(3,58 1,3 * * ? *)')],
    ['a token', glue.TriggerSchedule.expression(Token.asString({ Ref: 'Schedule' }))],
  ])('accepts %s', (_name, schedule) => {
    expect(errorsOf(crawlerSchedule(schedule))).toEqual([]);
  });

  test.each([
    ['a rate expression', 'rate(1 hour)', 'must be a cron(...) expression: Glue schedules take no rate(...) expressions'],
    ['words', 'every day', 'must be a cron expression of 6 fields, cron(Minutes Hours Day-of-month Month Day-of-week Year), ' +
      'for example cron(15 12 * * ? *)'],
    ['five fields (Unix cron)', 'cron(0 12 * * ?)', 'must be a cron expression of 6 fields, cron(Minutes Hours Day-of-month Month ' +
      'Day-of-week Year), for example cron(15 12 * * ? *)'],
    ['minute 61', 'cron(61 * * * ? *)', "has an invalid Minutes field ('61'): it takes 0-59 with , - * /"],
    ['month 13', 'cron(0 0 1 13 ? *)', "has an invalid Month field ('13'): it takes 1-12 or JAN-DEC with , - * /"],
    ['a year before 1970', 'cron(0 0 1 1 ? 1969)', "has an invalid Year field ('1969'): it takes 1970-2199 with , - * /"],
    ['no ? in the day fields', 'cron(0 0 * * * *)', "must have '?' in exactly one of Day-of-month and Day-of-week"],
    ['both day fields set', 'cron(0 0 1 * MON *)', "must have '?' in exactly one of Day-of-month and Day-of-week"],
    ['every minute', 'cron(*/1 * * * ? *)', 'runs every minute at its most frequent: Glue runs schedules at most every 5 minutes'],
    ['every 2 minutes in a list', 'cron(0,2,30 * * * ? *)', 'runs every 2 minutes at its most frequent: Glue runs schedules at most every 5 minutes'],
    ['across the hour', 'cron(0,58 1,2 * * ? *)', 'runs every 2 minutes at its most frequent: Glue runs schedules at most every 5 minutes'],
  ])('fails a crawler schedule with %s', (_name, expression, rule) => {
    expect(errorsOf(crawlerSchedule(glue.TriggerSchedule.expression(expression)))).toEqual([`V/Etl/Crawl: schedule ('${expression}') ${rule}`]);
  });

  test('fails TriggerSchedule.cron({ day }) with no minute, which aws-cdk-lib renders as every minute of that day', () => {
    expect(errorsOf(crawlerSchedule(glue.TriggerSchedule.cron({ day: '1' })))).toEqual([
      "V/Etl/Crawl: schedule ('cron(* * 1 * ? *)') runs every minute at its most frequent: Glue runs schedules at most every 5 minutes",
    ]);
  });

  test('fails a scheduled workflow start the same way, naming workflow.start.schedule', () => {
    expect(errorsOf({
      sparkEtlJobs: { Job: { script: script() } },
      workflow: { start: GlueWorkflowStart.schedule(glue.TriggerSchedule.expression('rate(5 minutes)')), run: ['Job'] },
    })).toEqual(["V/Etl: workflow.start.schedule ('rate(5 minutes)') must be a cron(...) expression: Glue schedules take no rate(...) expressions"]);
  });
});

describe('Glue names', () => {
  const long = 'n'.repeat(256);
  test('fails job, crawler, workflow and connection names Glue refuses, and Athena-unreadable table prefixes', () => {
    const stack = testStack('V');
    pipeline({
      sparkEtlJobs: { Job: { script: script(), jobName: 'line\nbreak' } },
      pythonShellJobs: { Shell: { script: script(), jobName: long } },
      crawlers: { Crawl: { paths: ['raw/'], crawlerName: '', tablePrefix: 'Curated-' } },
      workflow: { workflowName: 'tab\u0001', start: GlueWorkflowStart.onDemand(), run: ['Job'] },
    }, stack);
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'] }), connectionName: long });
    const rule = 'must be 1 to 255 characters on one line (no line break or control character)';
    expect(validationErrors(stack)).toEqual([
      `V/Etl: workflow.workflowName ('tab\u0001') ${rule}`,
      `V/Etl/Crawl: crawlerName ('') ${rule}`,
      "V/Etl/Crawl: tablePrefix ('Curated-') must be lowercase letters, digits and underscores (0-128 characters)",
      `V/Etl/Job: jobName ('line\nbreak') ${rule}`,
      `V/Etl/Shell: jobName ('${long}') ${rule}`,
      `V/Net: connectionName ('${long}') ${rule}`,
    ]);
  });

  test('accepts names with spaces and dashes, and tokens', () => {
    expect(errorsOf({
      sparkEtlJobs: { Job: { script: script(), jobName: 'raw to parquet-v2' } },
      crawlers: { Crawl: { paths: ['raw/'], crawlerName: Token.asString({ Ref: 'N' }), tablePrefix: 'curated_' } },
    })).toEqual([]);
  });
});

describe('Glue whole numbers and thresholds', () => {
  test('fails a delay notification that is not a whole number of minutes, instead of aws-cdk-lib throwing', () => {
    expect(errorsOf({ sparkEtlJobs: { Job: { script: script(), notifyDelayAfter: Duration.seconds(90) } } })).toEqual([
      'V/Etl/Job: notifyDelayAfter (1.5 minutes) must be a whole number of minutes, at least 1 (Glue takes NotifyDelayAfter in minutes)',
    ]);
    expect(errorsOf({ sparkEtlJobs: { Job: { script: script(), notifyDelayAfter: Duration.seconds(30) } } })).toEqual([
      'V/Etl/Job: notifyDelayAfter (0.5 minutes) must be a whole number of minutes, at least 1 (Glue takes NotifyDelayAfter in minutes)',
    ]);
  });

  test('fails an event batch window that is not a whole number of seconds, instead of aws-cdk-lib throwing', () => {
    expect(errorsOf({
      sparkEtlJobs: { Job: { script: script() } },
      workflow: { start: GlueWorkflowStart.s3ObjectCreated({ batchWindow: Duration.millis(1500) }), run: ['Job'] },
    })).toEqual(['V/Etl: workflow.start.batchWindow (1.5 seconds) must be a whole number of seconds (Glue takes BatchWindow in seconds)']);
  });

  test('fails alarm thresholds that would always be in ALARM or are not counts', () => {
    expect(errorsOf({ alarmThresholds: { failedTasks: 0, driverHeapUsage: 0 } })).toEqual([
      'V/Etl: alarmThresholds.driverHeapUsage (0) must be greater than 0: the alarm would always be in ALARM',
      'V/Etl: alarmThresholds.failedTasks (0) must be a whole number of at least 1',
    ]);
    expect(errorsOf({ alarmThresholds: { failedTasks: 1.5 } })).toEqual(['V/Etl: alarmThresholds.failedTasks (1.5) must be a whole number of at least 1']);
  });

  test('states lower bounds without Number.MAX_SAFE_INTEGER', () => {
    const messages = errorsOf({
      sparkEtlJobs: { Job: { script: script(), capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 1) } },
      crawlers: { Crawl: { paths: [] } },
      workflow: { start: GlueWorkflowStart.onDemand(), run: ['Job'], then: [{ after: [], run: ['Crawl'] }] },
    });
    expect(messages).toEqual([
      "V/Etl: workflow.then[0].after (0 entries) must have at least 1 entry: the step runs when the jobs and crawlers it names finish",
      'V/Etl/Crawl: paths (0 entries) must have at least 1 entry: the paths are the crawler\'s only targets',
      'V/Etl/Job: capacity.workerCount (1) must be a whole number of at least 2',
    ]);
  });
});

describe('Glue escape hatches', () => {
  test('warns on a Glue version aws-cdk-lib does not know (a cast string) or a worker type this library does not list (GlueSparkWorkerType.of)', () => {
    const etl = pipeline({
      sparkEtlJobs: {
        Job: { script: script(), glueVersion: '9.0' as glue.GlueVersion, capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.of('G.3X'), 2) },
      },
    });
    expect(warnings(etl).filter(w => w.startsWith('V/Etl/Job')).map(w => w.replace(/knows \([^)]*\)/, 'knows (...)'))).toEqual([
      "V/Etl/Job: glueVersion ('9.0') is not a Glue version aws-cdk-lib knows (...): Glue rejects it at deploy unless it is new " +
      '[ack: cdk-analytics-blueprints:glueUnknownValue]',
      "V/Etl/Job: capacity.workerType ('G.3X') is not a Spark worker type this library knows (...): Glue rejects it at deploy unless it is new " +
      '[ack: cdk-analytics-blueprints:glueUnknownValue]',
    ]);
  });
});

describe('Glue network CIDR', () => {
  test.each([
    ['not a CIDR', 'abc', "network.cidr ('abc') must be an IPv4 CIDR block with a prefix length between /16 and /19 (2 /20 subnets)"],
    ['too small for two /20 subnets', '10.0.0.0/24', "network.cidr ('10.0.0.0/24') must be an IPv4 CIDR block with a prefix length between /16 and /19 (2 /20 subnets)"],
  ])('fails a CIDR that is %s, instead of aws-cdk-lib throwing', (_name, cidr, message) => {
    const stack = testStack('V');
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'], cidr }) });
    expect(validationErrors(stack)).toEqual([`V/Net: ${message}`]);
  });
});

describe('an app with mistakes in a lake and a Glue pipeline', () => {
  test('reports all of them in one synth, including those aws-cdk-lib would throw on while building', () => {
    const stack = testStack('App');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'],
      privateSubnetIds: ['subnet-0123456789abcdef0'], privateSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    // Each of these would stop aws-cdk-lib at its first exception: fractional hours, seconds and minutes, a Parquet
    // block size under 64 MiB, a CIDR that cannot hold two /20 subnets.
    new StreamingDataLake(stack, 'Lake', {
      schema: StreamingDataLakeSchema.fromColumns([{ name: 'a', type: glue.Schema.STRING }]),
      retentionPeriod: Duration.minutes(1470),
      bufferingInterval: Duration.millis(500),
      fileFormat: StreamingDataLakeFileFormat.parquet({ blockSize: Size.mebibytes(1) }),
    });
    new GlueEtlPipeline(stack, 'Etl', {
      network: AnalyticsNetwork.fromVpc(vpc),
      sparkEtlJobs: { Job: { script: script(), notifyDelayAfter: Duration.seconds(90) } },
      crawlers: { Crawl: { paths: ['raw/'], schedule: glue.TriggerSchedule.expression('rate(1 hour)') } },
    });
    new GlueNetwork(stack, 'Other', { network: AnalyticsNetwork.newVpc({ availabilityZones: ['us-east-1a', 'us-east-1b'], cidr: '10.0.0.0/24' }) });
    let message = '';
    try {
      Template.fromStack(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    for (const part of ['[App/Lake] retentionPeriod (24.5 hours)', '[App/Lake] bufferingInterval (0.5 seconds)', '[App/Lake] fileFormat.blockSize (1 MiB)',
      '[App/Etl/Job] notifyDelayAfter (1.5 minutes)', "[App/Etl/Crawl] schedule ('rate(1 hour)')", "[App/Other] network.cidr ('10.0.0.0/24')"]) {
      expect(message).toContain(part);
    }
  });
});
