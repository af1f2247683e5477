import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import {
  AnalyticsNetwork, GlueCrawlerDeleteBehavior, GlueCrawlerRecrawlBehavior, GlueCrawlerUpdateBehavior, GlueEtlPipeline,
  GlueEtlPipelineProps, GlueNetwork, GluePythonShellCapacity, GluePythonShellJobOptions, GlueSparkCapacity, GlueSparkEtlJobOptions,
  GlueSparkWorkerType, GlueWorkflowNodeState, GlueWorkflowStart,
} from '../../lib';
import { testStack } from '../util/app';
import { validationMessages } from '../util/validation-messages';

/** Every validation message under `scope`, collected without synthesizing a template. */
function validationErrors(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(validationMessages);
}

/** A pipeline in an imported VPC (no AZ lookup, few resources) with the given jobs, crawlers and workflow. */
function pipelineErrors(props: Partial<GlueEtlPipelineProps>): string[] {
  const stack = testStack('V');
  new GlueEtlPipeline(stack, 'Etl', { network: importedNetwork(stack), ...props });
  return validationErrors(stack);
}

function importedNetwork(stack: Stack) {
  return AnalyticsNetwork.fromVpc(importedVpc(stack));
}

function importedVpc(stack: Stack) {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0'], isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
  });
}

function script(stack: Stack = testStack('S')): glue.Code {
  const bucket = stack.node.tryFindChild('Scripts') as s3.IBucket | undefined ?? s3.Bucket.fromBucketName(stack, 'Scripts', 'scripts');
  return glue.Code.fromBucket(bucket, 'x.py');
}

function sparkErrors(options: Partial<GlueSparkEtlJobOptions>): string[] {
  return pipelineErrors({ sparkEtlJobs: { Job: { script: script(), ...options } } });
}

function shellErrors(options: Partial<GluePythonShellJobOptions>): string[] {
  return pipelineErrors({ pythonShellJobs: { Shell: { script: script(), ...options } } });
}

describe('Spark ETL job validation', () => {
  test('accepts valid options, and tokens it cannot check', () => {
    expect(sparkErrors({
      capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_8X, Token.asNumber({ Ref: 'Workers' })),
      glueVersion: glue.GlueVersion.V4_0, timeout: Duration.minutes(10080), maxRetries: 10, maxConcurrentRuns: Token.asNumber({ Ref: 'C' }),
      executionClass: glue.ExecutionClass.STANDARD, readPrefixes: [Token.asString({ Ref: 'P' })],
    })).toEqual([]);
    expect(sparkErrors({ executionClass: glue.ExecutionClass.FLEX, capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_2X, 2) })).toEqual([]);
  });

  test.each([
    ['a timeout over 7 days', { timeout: Duration.minutes(10081) }, 'timeout (10081 minutes) must be between 1 and 10080 minutes'],
    ['a timeout of 0', { timeout: Duration.seconds(0) }, 'timeout (0 minutes) must be between 1 and 10080 minutes'],
    ['a timeout in fractions of a minute', { timeout: Duration.seconds(90) },
      'timeout (1 minute 30 seconds) must be a whole number of minutes (Glue takes the timeout in minutes)'],
    ['negative retries', { maxRetries: -1 }, 'maxRetries (-1) must be a whole number of at least 0'],
    ['zero concurrent runs', { maxConcurrentRuns: 0 }, 'maxConcurrentRuns (0) must be a whole number of at least 1'],
    ['a managed argument', { arguments: { '--job-bookmark-option': 'job-bookmark-disable' } },
      "arguments['--job-bookmark-option'] is set by the construct or reserved by Glue: use the dedicated prop (bookmark, capacity, metricsEnabled, sparkUiEnabled, ...) instead"],
    ['an argument aws-cdk-lib manages', { arguments: { '--enable-metrics': 'false' } },
      "arguments['--enable-metrics'] is set by the construct or reserved by Glue: use the dedicated prop (bookmark, capacity, metricsEnabled, sparkUiEnabled, ...) instead"],
    ['a prefix with a leading slash', { writePrefixes: ['/curated/'] },
      "writePrefixes[0] ('/curated/') must be a non-empty S3 key prefix relative to the bucket, without a leading '/' or 's3://'"],
    ['Glue 0.9', { glueVersion: glue.GlueVersion.V0_9 }, "glueVersion ('0.9') must be 1.0 or later: Glue 0.9 runs Python 2 only"],
    ['a single worker', { capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 1) },
      'capacity.workerCount (1) must be a whole number of at least 2'],
    ['the streaming-only G.025X worker', { capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.of('G.025X'), 2) },
      "capacity.workerType ('G.025X') is for streaming jobs only: use G.1X or larger for a Spark ETL job"],
    ['G.4X before Glue 3.0', { capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_4X, 2), glueVersion: glue.GlueVersion.V2_0 },
      "capacity.workerType ('G.4X') requires glueVersion 3.0 or later (got 2.0)"],
    ['Flex before Glue 3.0', { executionClass: glue.ExecutionClass.FLEX, glueVersion: glue.GlueVersion.V2_0 },
      "executionClass ('FLEX') requires glueVersion 3.0 or later (got 2.0)"],
    ['Flex on G.4X workers', { executionClass: glue.ExecutionClass.FLEX, capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_4X, 2) },
      "executionClass ('FLEX') requires capacity.workerType G.1X or G.2X (got G.4X)"],
  ])('fails with %s', (_name, options, message) => {
    expect(sparkErrors(options as Partial<GlueSparkEtlJobOptions>)).toEqual([`V/Etl/Job: ${message}`]);
  });
});

describe('Python shell job validation', () => {
  test('accepts 1/16 DPU and 1 DPU on Glue 3.0', () => {
    expect(shellErrors({ capacity: GluePythonShellCapacity.ONE_DPU })).toEqual([]);
    expect(shellErrors({ capacity: GluePythonShellCapacity.SIXTEENTH_DPU, glueVersion: glue.GlueVersion.V3_0 })).toEqual([]);
  });

  test('a capacity of the other kind of job, or a DPU count other than 1/16 or 1, cannot be written', () => {
    const spark: Partial<GlueSparkEtlJobOptions> = {
      // @ts-expect-error Spark ETL jobs take workers, never a DPU count (MaxCapacity)
      capacity: GluePythonShellCapacity.ONE_DPU,
    };
    const shell: Partial<GluePythonShellJobOptions> = {
      // @ts-expect-error Python shell jobs take 1/16 or 1 DPU, never a worker type and count
      capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2),
    };
    // @ts-expect-error the constructor is private: the two static values are the only capacities
    const half = new GluePythonShellCapacity(0.5);
    expect([spark, shell, half]).toHaveLength(3);
  });

  test.each([
    ['a Glue version other than 3.0', { glueVersion: glue.GlueVersion.V4_0 }, "glueVersion ('4.0') must be one of '3.0'"],
    ['a timeout over 7 days', { timeout: Duration.days(8) }, 'timeout (11520 minutes) must be between 1 and 10080 minutes'],
  ])('fails with %s', (_name, options, message) => {
    expect(shellErrors(options as Partial<GluePythonShellJobOptions>)).toEqual([`V/Etl/Shell: ${message}`]);
  });
});

describe('crawler validation', () => {
  test('accepts full crawls with any schema-change policy', () => {
    expect(pipelineErrors({
      crawlers: { C: { paths: ['raw/'], updateBehavior: GlueCrawlerUpdateBehavior.UPDATE_IN_DATABASE, deleteBehavior: GlueCrawlerDeleteBehavior.DEPRECATE_IN_DATABASE,
        recrawlBehavior: GlueCrawlerRecrawlBehavior.CRAWL_EVERYTHING, tablePrefix: 'x'.repeat(128) } },
    })).toEqual([]);
  });

  test('fails incremental crawls that would update or delete tables', () => {
    expect(pipelineErrors({
      crawlers: { C: { paths: ['raw/'], updateBehavior: GlueCrawlerUpdateBehavior.UPDATE_IN_DATABASE, deleteBehavior: GlueCrawlerDeleteBehavior.DELETE_FROM_DATABASE } },
    })).toEqual([
      "V/Etl/C: updateBehavior ('UPDATE_IN_DATABASE') must be LOG when recrawlBehavior is CRAWL_NEW_FOLDERS_ONLY (incremental crawls)",
      "V/Etl/C: deleteBehavior ('DELETE_FROM_DATABASE') must be LOG when recrawlBehavior is CRAWL_NEW_FOLDERS_ONLY (incremental crawls)",
    ]);
  });

  test('fails with no path, a path with a scheme, and a table prefix over 128 characters', () => {
    expect(pipelineErrors({ crawlers: { C: { paths: [] }, D: { paths: ['s3://b/raw/'], tablePrefix: 'x'.repeat(129) } } })).toEqual([
      'V/Etl/C: paths (0 entries) must have at least 1 entry: the paths are the crawler\'s only targets',
      "V/Etl/D: paths[0] ('s3://b/raw/') must be a key prefix relative to the bucket, without a leading '/' or 's3://'",
      `V/Etl/D: tablePrefix ('${'x'.repeat(129)}') must be lowercase letters, digits and underscores (0-128 characters)`,
    ]);
  });
});

describe('network validation', () => {
  test('accepts an imported subnet with its AZ given, and a token AZ', () => {
    const stack = testStack('V');
    const vpc = importedVpc(stack);
    new GlueNetwork(stack, 'A', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'S1', 'subnet-0123456789abcdef1')] } }), availabilityZone: 'us-east-1b' });
    new GlueNetwork(stack, 'B', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [ec2.Subnet.fromSubnetAttributes(stack, 'S2', { subnetId: 'subnet-0123456789abcdef2', availabilityZone: Token.asString({ Ref: 'Az' }) })] } }), availabilityZone: 'us-east-1c' });
    expect(validationErrors(stack)).toEqual([]);
  });

  test('adds the self-referencing rule as its own resource, unless told the security group has it', () => {
    const stack = testStack('V');
    const vpc = importedVpc(stack);
    const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0');
    const withRule = new GlueNetwork(stack, 'A', { network: AnalyticsNetwork.fromVpc(vpc, { securityGroup }) });
    const without = new GlueNetwork(stack, 'B', { network: AnalyticsNetwork.fromVpc(vpc, { securityGroup }), selfReferencingRule: false });
    const rules = (net: GlueNetwork) => net.node.findAll().filter(c => c instanceof ec2.CfnSecurityGroupIngress) as ec2.CfnSecurityGroupIngress[];
    expect(rules(withRule).map(r => [r.groupId, r.sourceSecurityGroupId, r.ipProtocol, r.fromPort, r.toPort]))
      .toEqual([['sg-0123456789abcdef0', 'sg-0123456789abcdef0', 'tcp', 0, 65535]]);
    expect(rules(without)).toEqual([]);
    expect(securityGroup.node.children).toEqual([]);
  });

  test('fails a connection whose AZ is not its subnet\'s', () => {
    const stack = testStack('V');
    const vpc = importedVpc(stack);
    const subnet = ec2.Subnet.fromSubnetAttributes(stack, 'S', { subnetId: 'subnet-0123456789abcdef1', availabilityZone: 'us-east-1a' });
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [subnet] } }), availabilityZone: 'us-east-1b' });
    expect(validationErrors(stack)).toEqual([
      "V/Net: availabilityZone ('us-east-1b') must be the Availability Zone of subnet subnet-0123456789abcdef1 ('us-east-1a')",
    ]);
  });

  test('fails an imported subnet without an AZ', () => {
    const stack = testStack('V');
    const vpc = importedVpc(stack);
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [ec2.Subnet.fromSubnetId(stack, 'S', 'subnet-0123456789abcdef1')] } }) });
    expect(validationErrors(stack)).toEqual([
      'V/Net: availabilityZone must be set: subnet subnet-0123456789abcdef1 was imported without its Availability Zone',
    ]);
  });

  test('fails a VPC with no private or isolated subnet', () => {
    const stack = testStack('V');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], publicSubnetIds: ['subnet-0123456789abcdef0'],
    });
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(vpc) });
    expect(validationErrors(stack)).toEqual([
      'V/Net: network must have a private or isolated subnet for the connection, or select one (AnalyticsNetwork.fromVpc(vpc, { subnets }))',
    ]);
  });

  test('fails an availabilityZone without the subnet whose zone it names, and a public endpoint', () => {
    const stack = testStack('V');
    stack.node.setContext('availability-zones:account=111111111111:region=us-east-1', ['us-east-1a', 'us-east-1b']);
    const other = new ec2.Vpc(stack, 'Other', { availabilityZones: ['us-east-1a'], natGateways: 0,
      subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(other), availabilityZone: 'us-east-1a' });
    new GlueNetwork(stack, 'Public', { network: AnalyticsNetwork.publicEndpoint(['203.0.113.0/24']) });
    expect(validationErrors(stack)).toEqual([
      'V/Net: availabilityZone requires network: AnalyticsNetwork.fromVpc(vpc, { subnets }) (the subnet whose zone it names)',
      'V/Public: network (AnalyticsNetwork.publicEndpoint()) does not apply to GlueEtlPipeline, which has no public endpoint: ' +
      'use AnalyticsNetwork.newVpc({ availabilityZones }) or AnalyticsNetwork.fromVpc(vpc)',
    ]);
  });

  test('fails a subnet selection that selects no subnet of the VPC', () => {
    const stack = testStack('V');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'],
    });
    new GlueNetwork(stack, 'Net', { network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnetGroupName: 'Missing' } }) });
    expect(validationErrors(stack)).toEqual([
      'V/Net: network.subnets must select a subnet of the VPC for the connection: ' +
      "There are no subnet groups with name 'Missing' in this VPC. Available names: Isolated",
    ]);
  });
});

describe('pipeline validation', () => {
  test('fails a database name Athena cannot read, a name used twice and a heap threshold over 1', () => {
    expect(pipelineErrors({
      databaseName: 'Sales-Lake',
      crawlers: { Same: { paths: ['raw/'] } },
      pythonShellJobs: { Same: { script: script() } },
      alarmThresholds: { driverHeapUsage: 90 },
    }).filter(e => e.startsWith('V/Etl:'))).toEqual([
      "V/Etl: databaseName ('Sales-Lake') must be lowercase letters, digits and underscores (1-255 characters)",
      "V/Etl: crawlers/sparkEtlJobs/pythonShellJobs ('Same') must use each name once: the workflow refers to them by name",
      'V/Etl: alarmThresholds.driverHeapUsage (90) must be between 0 and 1',
    ]);
  });

  test('fails a database name together with an existing database', () => {
    const stack = testStack('V');
    const database = glue.Database.fromDatabaseArn(stack, 'Db', 'arn:aws:glue:us-east-1:111111111111:database/lake');
    new GlueEtlPipeline(stack, 'Etl', { network: importedNetwork(stack), database, databaseName: 'lake' });
    expect(validationErrors(stack)).toEqual(['V/Etl: databaseName cannot be set together with database']);
  });
});

describe('workflow validation', () => {
  const nodes = (stack: Stack): Partial<GlueEtlPipelineProps> => ({
    crawlers: { Crawl: { paths: ['raw/'] } },
    sparkEtlJobs: { Spark: { script: script(stack) } },
    pythonShellJobs: { Shell: { script: script(stack) } },
  });
  function workflowErrors(workflow: GlueEtlPipelineProps['workflow']): string[] {
    const stack = testStack('V');
    new GlueEtlPipeline(stack, 'Etl', { network: importedNetwork(stack), ...nodes(stack), workflow });
    return validationErrors(stack);
  }

  test('accepts a DAG whose steps wait for nodes run earlier, in states those nodes can reach', () => {
    expect(workflowErrors({
      start: GlueWorkflowStart.s3ObjectCreated({ batchSize: 100, batchWindow: Duration.seconds(1) }),
      run: ['Spark'],
      then: [
        { after: ['Spark'], state: GlueWorkflowNodeState.TIMEOUT, run: ['Crawl'] },
        { after: ['Crawl'], state: GlueWorkflowNodeState.CANCELLED, run: ['Shell'] },
      ],
    })).toEqual([]);
  });

  test('fails unknown names, steps after nodes never run, and states a node cannot reach', () => {
    expect(workflowErrors({
      start: GlueWorkflowStart.onDemand(),
      run: ['Crawl', 'Nope'],
      then: [
        { after: ['Crawl'], state: GlueWorkflowNodeState.TIMEOUT, run: ['Spark'] },
        { after: ['Shell'], run: ['Shell'] },
        { after: ['Spark'], state: GlueWorkflowNodeState.CANCELLED, run: [] },
      ],
    })).toEqual([
      "V/Etl: workflow.run[1] ('Nope') must name a crawler or job of this pipeline: one of 'Crawl', 'Spark', 'Shell'",
      "V/Etl: workflow.then[0].state ('TIMEOUT') must be one of 'SUCCEEDED', 'FAILED', 'CANCELLED' for the crawler 'Crawl'",
      "V/Etl: workflow.then[1].after[0] ('Shell') must be run by workflow.run or an earlier step of workflow.then: a condition " +
        'on a node the workflow never runs never fires',
      'V/Etl: workflow.then[2].run (0 entries) must have between 1 and 50 entries',
      "V/Etl: workflow.then[2].state ('CANCELLED') must be one of 'SUCCEEDED', 'STOPPED', 'FAILED', 'TIMEOUT' for the job 'Spark'",
    ]);
  });

  test('fails an event batch size or window outside what Glue accepts, and zero concurrent runs', () => {
    expect(workflowErrors({
      start: GlueWorkflowStart.s3ObjectCreated({ batchSize: 101, batchWindow: Duration.minutes(16) }),
      run: ['Spark'],
      maxConcurrentRuns: 0,
    })).toEqual([
      'V/Etl: workflow.start.batchSize (101) must be a whole number between 1 and 100',
      'V/Etl: workflow.start.batchWindow (960 seconds) must be between 1 and 900 seconds',
      'V/Etl: workflow.maxConcurrentRuns (0) must be a whole number of at least 1',
    ]);
  });
});
