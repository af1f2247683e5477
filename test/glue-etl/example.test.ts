/**
 * Every test of the Glue ETL architecture that synthesizes a template lives in this one file: in
 * aws-cdk-lib 2.276 the first synthesis in a jest module registry costs 5-10 s (loading the built-in
 * template validation), and each test file has its own registry. Validation tests, which only call
 * `node.validate()`, are in validation.test.ts.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

import { GlueEtlStack } from '../../examples/glue-etl';
import {
  AnalyticsNetwork, GlueCrawlerDeleteBehavior, GlueCrawlerRecrawlBehavior, GlueCrawlerUpdateBehavior, GlueEtlPipeline, GlueJob,
  GlueJobBookmark, GluePythonShellCapacity, GlueSparkCapacity, GlueSparkEtlJob, GlueSparkWorkerType, GlueWorkflowNodeState,
  GlueWorkflowStart, GlueWorkflowWaitFor,
} from '../../lib';
import { REMOVE_DATA_ON_DESTROY_CONTEXT } from '../../lib/core/removal-policy';
import { missingContext, TEST_ENV, testApp, testStack } from '../util/app';
import { nagAcknowledgments, nagFindings } from '../util/nag';

/** Properties that hold a resource's physical name, by type: a retained resource with one blocks a redeploy. */
const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::Glue::Database': ['DatabaseInput', 'Name'], 'AWS::Glue::Table': ['TableInput', 'Name'], 'AWS::Glue::Connection': ['ConnectionInput', 'Name'],
  'AWS::Glue::SecurityConfiguration': ['Name'], 'AWS::Glue::Crawler': ['Name'], 'AWS::Glue::Job': ['Name'], 'AWS::Glue::Workflow': ['Name'],
  'AWS::Glue::Trigger': ['Name'], 'AWS::Kinesis::Stream': ['Name'], 'AWS::KinesisFirehose::DeliveryStream': ['DeliveryStreamName'],
  'AWS::Logs::LogGroup': ['LogGroupName'], 'AWS::S3::Bucket': ['BucketName'], 'AWS::KMS::Alias': ['AliasName'],
};

/**
 * Resources of `template` with a physical name and a plain `Retain` deletion policy: a first deploy that rolls back
 * leaves them behind, and the retry fails with "already exists".
 */
function namedAndRetained(template: Template): string[] {
  type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
  return Object.entries(template.toJSON().Resources as Record<string, Resource>)
    .filter(([, r]) => NAME_PROPERTIES[r.Type] && NAME_PROPERTIES[r.Type].reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k],
      r.Properties) !== undefined && r.DeletionPolicy === 'Retain')
    .map(([id, r]) => `${id} (${r.Type})`);
}

describe('GlueEtlStack example', () => {
  let stack: GlueEtlStack;
  let template: Template;
  beforeAll(() => {
    stack = new GlueEtlStack(testApp(), 'GlueEtl', { env: TEST_ENV });
    template = Template.fromStack(stack);
  });

  test('synthesizes with no context lookup (no AWS call, no credentials needed)', () => {
    expect(missingContext(stack)).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('leaves no named resource behind when a first deploy rolls back, so the retry does not collide (RetainExceptOnCreate)', () => {
    expect(namedAndRetained(template)).toEqual([]);
    template.hasResource('AWS::Glue::Database', {
      Properties: { DatabaseInput: { Name: 'analytics_lake' } }, DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain',
    });
  });

  test('passes the four cdk-nag packs', () => {
    expect(nagFindings(stack)).toEqual([]);
  });

  test('acknowledges only the wildcards of the Glue roles and the access-log bucket findings (contract list)', () => {
    const bucket = `<${stack.getLogicalId(stack.pipeline.bucket.node.defaultChild as s3.CfnBucket)}.Arn>`;
    const database = `<${stack.getLogicalId(stack.pipeline.node.findChild('Database').node.defaultChild as glue.CfnDatabase)}>`;
    const arn = (service: string, rest: string) => `arn:aws:${service}:us-east-1:111111111111:${rest}`;
    const iam5 = (path: string, findings: string[]) => findings.map(f => `${path}/Role/Policy/Resource AwsSolutions-IAM5[${f}]`);
    const common = (logs: string) => [
      'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*', 'Action::s3:GetBucket*', 'Action::s3:GetObject*', 'Action::s3:List*',
      'Resource::*',
      `Resource::${arn('ec2', 'network-interface/*')}`,
      `Resource::${arn('glue', `table/${database}/*`)}`,
      `Resource::${arn('logs', `log-group:/aws-glue/${logs}*:*`)}`,
      `Resource::${arn('logs', `log-group:/aws-glue/${logs}*`)}`,
    ];
    const writes = ['Action::s3:Abort*', 'Action::s3:DeleteObject*'];
    const assets = 'Resource::arn:aws:s3:::cdk-hnb659fds-assets-111111111111-us-east-1/*';
    const lake = (prefix: string) => `Resource::${bucket}/${prefix}*`;
    const accessLogs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].flatMap(p =>
      [`${p}-S3BucketLoggingEnabled`, `${p}-S3BucketReplicationEnabled`, `${p}-S3DefaultEncryptionKMS`]);
    const expected = [
      ...iam5('CheckPartition', [...common('python-jobs'), ...writes, assets, lake('curated/events/'), lake('glue/temporary/')]),
      ...iam5('CuratedCrawler', [...common('crawlers'), lake('curated/events/')]),
      ...iam5('RawToParquet', [...common('jobs'), ...writes, assets, lake('curated/events/'), lake('glue/spark-ui/'),
        lake('glue/temporary/'), lake('raw/')]),
      'Lake/AccessLogs/Resource AwsSolutions-S1',
      ...accessLogs.map(id => `Lake/AccessLogs/Resource ${id}`),
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(p => `Lake/Bucket/Resource ${p}-S3BucketReplicationEnabled`),
      // Glue needs the connection's AZ by name (aws-cdk-lib template validation warns on literal AZs).
      'Network/Connection/Resource CloudFormation-Validate::W3010',
      // The subnets' AZ names are literal by design too (lib/core/secure-vpc.ts).
      'Network/SecureVpc/Vpc/glueSubnet1/Subnet CloudFormation-Validate::W3010',
      'Network/SecureVpc/Vpc/glueSubnet2/Subnet CloudFormation-Validate::W3010',
    ];
    expect(nagAcknowledgments(stack.pipeline)).toEqual(expected.sort());
  });

  test('creates the alarms listed here (contract list)', () => {
    expect(stack.pipeline.monitoring.alarms.map(a => a.node.id)).toEqual([
      'RawToParquetFailures', 'RawToParquetTimeouts', 'CheckPartitionFailures', 'CheckPartitionTimeouts',
      'RawToParquetFailedTasks', 'RawToParquetDriverHeap',
    ]);
  });
});

const AZS = ['us-east-1a', 'us-east-1b'];

/** A stack whose region's AZs are pinned, so that the pipeline's VPC needs no lookup. */
function pinnedStack(): Stack {
  const stack = testStack();
  stack.node.setContext('availability-zones:account=111111111111:region=us-east-1', [...AZS, 'us-east-1c']);
  return stack;
}

function scriptsBucket(stack: Stack): s3.IBucket {
  return s3.Bucket.fromBucketName(stack, 'Scripts', 'my-scripts');
}

type ManagedPolicyResource = { Properties: { PolicyDocument: { Statement: unknown[] } } };

/** The statements of the managed policies attached to `role`, as JSON. */
function policyOf(template: Template, role: iam.IRole): string {
  const stack = Stack.of(role);
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
  });
  return JSON.stringify(Object.values(policies).flatMap(p => (p as ManagedPolicyResource).Properties.PolicyDocument.Statement));
}

describe('GlueEtlPipeline with default props', () => {
  let stack: Stack;
  let template: Template;
  let pipeline: GlueEtlPipeline;
  beforeAll(() => {
    stack = pinnedStack();
    const scripts = scriptsBucket(stack);
    pipeline = new GlueEtlPipeline(stack, 'Etl', {
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }),
      crawlers: { Raw: { paths: ['raw/'] } },
      sparkEtlJobs: { Transform: { script: glue.Code.fromBucket(scripts, 'transform.py'), readPrefixes: ['raw/'], writePrefixes: ['curated/'] } },
      pythonShellJobs: { Check: { script: glue.Code.fromBucket(scripts, 'check.py') } },
    });
    template = Template.fromStack(stack);
  });

  test('creates a VPC with isolated subnets only: no NAT gateway, no internet gateway, flow logs on', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.40.0.0/16' });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365, KmsKeyId: Match.anyValue() });
  });

  test('adds an S3 gateway endpoint on both route tables and the Glue, Logs, CloudWatch and KMS interface endpoints', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith(['.s3'])] }),
    });
    const gateway = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect((gateway[0] as { Properties: { RouteTableIds: unknown[] } }).Properties.RouteTableIds).toHaveLength(2);
    for (const service of ['glue', 'logs', 'monitoring', 'kms']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface', ServiceName: `com.amazonaws.us-east-1.${service}`, PrivateDnsEnabled: true,
        SubnetIds: [{ Ref: stack.getLogicalId(pipeline.network.subnet.node.defaultChild as ec2.CfnSubnet) }],
      });
    }
    expect(pipeline.network.interfaceEndpoints).toHaveLength(4);
  });

  test('gives the connection security group the self-referencing all-TCP ingress rule, and the endpoints HTTPS from it only', () => {
    const sg = stack.getLogicalId(pipeline.network.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 0, ToPort: 65535,
      GroupId: { 'Fn::GetAtt': [sg, 'GroupId'] }, SourceSecurityGroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
    });
  });

  test('creates a NETWORK connection in the first isolated subnet, in that subnet\'s AZ', () => {
    template.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: {
        ConnectionType: 'NETWORK',
        PhysicalConnectionRequirements: {
          AvailabilityZone: 'us-east-1a',
          SubnetId: { Ref: stack.getLogicalId(pipeline.network.vpc.isolatedSubnets[0].node.defaultChild as ec2.CfnSubnet) },
          SecurityGroupIdList: [Match.anyValue()],
        },
      },
    });
  });

  test('encrypts S3 output with the lake key and logs and bookmarks with the pipeline key', () => {
    const key = stack.getLogicalId(pipeline.encryptionKey.node.defaultChild as kms.CfnKey);
    template.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
      EncryptionConfiguration: {
        S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: { 'Fn::GetAtt': [stack.getLogicalId(pipeline.bucket.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] } }],
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: { 'Fn::GetAtt': [key, 'Arn'] } },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: { 'Fn::GetAtt': [key, 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })]) },
    });
  });

  test('renders the documented Spark job defaults', () => {
    template.hasResourceProperties('AWS::Glue::Job', {
      Command: { Name: 'glueetl', PythonVersion: '3' },
      GlueVersion: '5.0',
      WorkerType: 'G.1X',
      NumberOfWorkers: 2,
      Timeout: 120,
      MaxRetries: 0,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
      ExecutionClass: Match.absent(),
      Connections: { Connections: [{ Ref: stack.getLogicalId(pipeline.network.connection.node.defaultChild as glue.CfnConnection) }] },
      SecurityConfiguration: { Ref: stack.getLogicalId(pipeline.securityConfiguration.node.defaultChild as glue.CfnSecurityConfiguration) },
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-enable',
        '--enable-metrics': '',
        '--enable-observability-metrics': 'true',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-continuous-log-filter': 'true',
        '--enable-spark-ui': 'true',
        '--enable-glue-datacatalog': 'true',
        '--spark-event-logs-path': Match.anyValue(),
        '--TempDir': Match.anyValue(),
        '--lake_bucket': { Ref: stack.getLogicalId(pipeline.bucket.node.defaultChild as s3.CfnBucket) },
      }),
    });
  });

  test('renders the documented Python shell defaults: 1/16 DPU, Glue 3.0 with Python 3.9, analytics libraries', () => {
    template.hasResourceProperties('AWS::Glue::Job', {
      Command: { Name: 'pythonshell', PythonVersion: '3.9' },
      GlueVersion: '3.0',
      MaxCapacity: 0.0625,
      WorkerType: Match.absent(),
      NumberOfWorkers: Match.absent(),
      Timeout: 120,
      Connections: { Connections: [Match.anyValue()] },
      DefaultArguments: Match.objectLike({ 'library-set': 'analytics', '--enable-continuous-cloudwatch-log': Match.absent() }),
    });
  });

  test('renders an incremental crawler (new folders only, LOG/LOG) with no schedule, through the connection', () => {
    template.hasResourceProperties('AWS::Glue::Crawler', {
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' },
      SchemaChangePolicy: { UpdateBehavior: 'LOG', DeleteBehavior: 'LOG' },
      Schedule: Match.absent(),
      TablePrefix: Match.absent(),
      CrawlerSecurityConfiguration: Match.anyValue(),
      Targets: { S3Targets: [Match.objectLike({ ConnectionName: Match.anyValue() })] },
    });
  });

  test('gives each job and crawler its own Glue role with one managed policy and no inline policy', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'glue.amazonaws.com' } })] } },
    });
    expect(Object.keys(roles)).toHaveLength(3);
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('grants a job read on its read prefixes and write on its write prefixes only', () => {
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(pipeline.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] };
    const statements = policyOf(template, pipeline.sparkEtlJobs.Transform.role);
    expect(statements).toContain(JSON.stringify({ 'Fn::Join': ['', [bucketArn, '/raw/*']] }));
    expect(statements).toContain(JSON.stringify({ 'Fn::Join': ['', [bucketArn, '/curated/*']] }));
    const shell = policyOf(template, pipeline.pythonShellJobs.Check.role);
    expect(shell).not.toContain('/raw/*');
    expect(shell).toContain('/glue/temporary/*');
  });

  test('expires Glue temporary files after 7 days and Spark UI logs after 30 days in the lake it creates', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([
        Match.objectLike({ Id: 'expire-glue-temporary', Prefix: 'glue/temporary/', ExpirationInDays: 7 }),
        Match.objectLike({ Id: 'expire-spark-ui-logs', Prefix: 'glue/spark-ui/', ExpirationInDays: 30 }),
      ]) },
    });
  });

  test('retains the database, the bucket and the keys on deletion and replacement, not after a rolled-back create', () => {
    template.hasResource('AWS::Glue::Database', { DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    for (const r of Object.values(template.findResources('AWS::KMS::Key'))) {
      expect(r).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('sends job failures, timeouts and errors and crawler failures to a KMS-encrypted, TLS-only topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.glue'], 'detail-type': ['Glue Job State Change'], 'detail': { state: ['FAILED', 'TIMEOUT', 'ERROR'], jobName: Match.anyValue() } },
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(pipeline.notificationTopic.node.defaultChild as sns.CfnTopic) } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.glue'], 'detail-type': ['Glue Crawler State Change'], 'detail': { state: ['Failed'], crawlerName: Match.anyValue() } },
    });
  });

  test('creates failure, timeout, failed-task and driver-heap alarms that notify the topic, and a dashboard', () => {
    expect(pipeline.monitoring.alarms.map(a => a.node.id)).toEqual([
      'TransformFailures', 'TransformTimeouts', 'CheckFailures', 'CheckTimeouts', 'TransformFailedTasks', 'TransformDriverHeap',
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'glue.driver.jvm.heap.usage', Threshold: 0.9,
      Dimensions: Match.arrayWith([{ Name: 'JobName', Value: { Ref: Match.anyValue() } }]),
      AlarmActions: [{ Ref: stack.getLogicalId(pipeline.notificationTopic.node.defaultChild as sns.CfnTopic) }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'glue.driver.aggregate.numFailedTasks', Threshold: 1 });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::Glue::Workflow', 0);
  });

  test('sums failed runs of every job in one metric', () => {
    const metric = pipeline.metricJobFailures() as cloudwatch.MathExpression;
    expect(metric.expression).toEqual('f0 + f1');
  });
});

describe('GlueEtlPipeline options', () => {
  let stack: Stack;
  let template: Template;
  let pipeline: GlueEtlPipeline;
  let topic: sns.Topic;
  beforeAll(() => {
    stack = pinnedStack();
    const scripts = scriptsBucket(stack);
    topic = new sns.Topic(stack, 'MyTopic', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) });
    pipeline = new GlueEtlPipeline(stack, 'Etl', {
      databaseName: 'sales_lake',
      network: AnalyticsNetwork.newVpc({ availabilityZones: AZS, cidr: '10.9.0.0/16' }),
      notificationTopic: topic,
      alarmThresholds: { driverHeapUsage: 0.8 },
      dashboardEnabled: false,
      crawlers: {
        Raw: {
          paths: ['raw/', 'landing/'], tablePrefix: 'raw_', exclusions: ['**.tmp'], schedule: glue.TriggerSchedule.daily(),
          recrawlBehavior: GlueCrawlerRecrawlBehavior.CRAWL_EVERYTHING,
          updateBehavior: GlueCrawlerUpdateBehavior.UPDATE_IN_DATABASE, deleteBehavior: GlueCrawlerDeleteBehavior.DELETE_FROM_DATABASE,
        },
      },
      sparkEtlJobs: {
        Flex: {
          script: glue.Code.fromBucket(scripts, 'flex.py'), executionClass: glue.ExecutionClass.FLEX, glueVersion: glue.GlueVersion.V4_0,
          capacity: GlueSparkCapacity.workers(GlueSparkWorkerType.G_2X, 5), bookmark: GlueJobBookmark.PAUSED,
          timeout: Duration.minutes(30), maxRetries: 2, maxConcurrentRuns: 3, arguments: { '--source': 'raw/' },
          metricsEnabled: false, sparkUiEnabled: false, continuousLogging: false,
        },
      },
      pythonShellJobs: { Check: { script: glue.Code.fromBucket(scripts, 'check.py'), capacity: GluePythonShellCapacity.ONE_DPU } },
      workflow: {
        start: GlueWorkflowStart.schedule(glue.TriggerSchedule.cron({ minute: '0', hour: '2' })),
        run: ['Raw'],
        then: [
          { after: ['Raw'], run: ['Flex'] },
          { after: ['Flex'], state: GlueWorkflowNodeState.FAILED, waitFor: GlueWorkflowWaitFor.ANY, run: ['Check'] },
        ],
        maxConcurrentRuns: 2,
      },
    });
    template = Template.fromStack(stack);
  });

  test('renders Flex execution, worker type and count, bookmark, timeout, retries, concurrency and arguments', () => {
    template.hasResourceProperties('AWS::Glue::Job', {
      ExecutionClass: 'FLEX', GlueVersion: '4.0', WorkerType: 'G.2X', NumberOfWorkers: 5, Timeout: 30, MaxRetries: 2,
      ExecutionProperty: { MaxConcurrentRuns: 3 },
      DefaultArguments: Match.objectLike({
        '--job-bookmark-option': 'job-bookmark-pause', '--source': 'raw/',
        '--enable-metrics': Match.absent(), '--enable-spark-ui': Match.absent(), '--enable-continuous-cloudwatch-log': Match.absent(),
      }),
    });
  });

  test('renders a 1-DPU Python shell job', () => {
    template.hasResourceProperties('AWS::Glue::Job', { Command: { Name: 'pythonshell', PythonVersion: '3.9' }, MaxCapacity: 1 });
  });

  test('gives both kinds of job the GlueJob base: their own role, the job name and the run metrics', () => {
    const jobs: GlueJob[] = [pipeline.sparkEtlJobs.Flex, pipeline.pythonShellJobs.Check];
    for (const job of jobs) {
      expect(job).toBeInstanceOf(GlueJob);
      expect(job.jobName).toBe(job.job.jobName);
      expect(job.role.node.scope).toBe(job);
      // Run outcomes come from the EventBridge rule aws-cdk-lib's job creates for each state.
      for (const metric of [job.metricSuccess(), job.metricFailure(), job.metricTimeout()]) {
        expect([metric.namespace, metric.metricName, Object.keys(metric.dimensions ?? {})]).toEqual(['AWS/Events', 'TriggeredRules', ['RuleName']]);
      }
    }
  });

  test('renders the crawler schedule, table prefix, exclusions and schema-change policy, and lets it delete tables', () => {
    template.hasResourceProperties('AWS::Glue::Crawler', {
      Schedule: { ScheduleExpression: 'cron(0 0 * * ? *)' },
      TablePrefix: 'raw_',
      RecrawlPolicy: { RecrawlBehavior: 'CRAWL_EVERYTHING' },
      SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DELETE_FROM_DATABASE' },
      Targets: { S3Targets: [Match.objectLike({ Exclusions: ['**.tmp'] }), Match.objectLike({ Exclusions: ['**.tmp'] })] },
    });
    const statements = policyOf(template, pipeline.crawlers.Raw.role);
    expect(statements).toContain('glue:DeleteTable');
  });

  test('names the database and uses the given topic for notifications and alarms, with no dashboard', () => {
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: 'sales_lake' }) });
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(pipeline.notificationTopic).toBe(topic);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    expect(pipeline.monitoring.alarms.map(a => a.node.id)).toEqual(['FlexFailures', 'FlexTimeouts', 'CheckFailures', 'CheckTimeouts']);
  });

  test('builds the workflow: a scheduled start, then conditional triggers on the described states', () => {
    template.hasResourceProperties('AWS::Glue::Workflow', { MaxConcurrentRuns: 2 });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', StartOnCreation: true,
      Actions: [{ CrawlerName: { Ref: stack.getLogicalId(pipeline.crawlers.Raw.crawler) } }],
    });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'CONDITIONAL', StartOnCreation: true, EventBatchingCondition: Match.absent(),
      // aws-cdk-lib leaves Logical out for a single condition (Glue's default is AND).
      Predicate: { Conditions: [{ CrawlerName: { Ref: stack.getLogicalId(pipeline.crawlers.Raw.crawler) }, CrawlState: 'SUCCEEDED', LogicalOperator: 'EQUALS' }] },
    });
    template.hasResourceProperties('AWS::Glue::Trigger', {
      Type: 'CONDITIONAL',
      Predicate: Match.objectLike({ Conditions: [Match.objectLike({ State: 'FAILED' })] }),
    });
  });
});

describe('GlueEtlPipeline in an existing VPC', () => {
  let stack: Stack;
  let template: Template;
  let pipeline: GlueEtlPipeline;
  beforeAll(() => {
    stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0123456789abcdef0'], privateSubnetRouteTableIds: ['rtb-0123456789abcdef0'],
    });
    const subnet = ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0123456789abcdef1');
    const sg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0');
    const bucket = new s3.Bucket(stack, 'MyLake', { encryptionKey: new kms.Key(stack, 'LakeKey', { enableKeyRotation: true }), encryption: s3.BucketEncryption.KMS });
    pipeline = new GlueEtlPipeline(stack, 'Etl', {
      bucket,
      network: AnalyticsNetwork.fromVpc(vpc, { subnets: { subnets: [subnet] }, securityGroup: sg }), connection: { availabilityZone: 'us-east-1b' },
      workflow: { start: GlueWorkflowStart.s3ObjectCreated({ prefix: 'raw/', batchSize: 5, batchWindow: Duration.minutes(2) }), run: ['Job'] },
      sparkEtlJobs: { Job: { script: glue.Code.fromBucket(bucket, 'job.py') } },
      failureNotificationsEnabled: false,
    });
    new GlueSparkEtlJob(stack, 'Extra', { environment: pipeline.jobEnvironment, script: glue.Code.fromBucket(bucket, 'extra.py') });
    template = Template.fromStack(stack);
  });

  test('creates no VPC and no endpoints, and puts the connection in the given subnet and AZ with the given security group', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: { PhysicalConnectionRequirements: { AvailabilityZone: 'us-east-1b', SubnetId: 'subnet-0123456789abcdef1', SecurityGroupIdList: ['sg-0123456789abcdef0'] } },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0123456789abcdef0', SourceSecurityGroupId: 'sg-0123456789abcdef0', IpProtocol: 'tcp', FromPort: 0, ToPort: 65535,
    });
  });

  test('starts the workflow from S3 Object Created events through a role allowed glue:notifyEvent', () => {
    template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'EVENT', EventBatchingCondition: { BatchSize: 5, BatchWindow: 120 } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'], 'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: Match.anyValue() }] }, object: { key: [{ prefix: 'raw/' }] } },
      },
      Targets: [Match.objectLike({ RoleArn: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'glue:notifyEvent' })]) },
    });
  });

  test('warns, naming the subnet, that it cannot see the endpoints of a subnet imported on its own', () => {
    Annotations.fromStack(stack).hasWarning('/Test/Etl/Network', Match.stringLikeRegexp(
      '^subnet subnet-0123456789abcdef1 is not one the VPC declares private with egress, so the construct cannot see its endpoints'));
  });

  test('sends no failure notifications when they are switched off', () => {
    template.resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.objectLike({ 'detail-type': ['Glue Job State Change'], 'detail': Match.objectLike({ state: ['FAILED', 'TIMEOUT', 'ERROR'] }) }) }, 0);
  });

  test('lets a job built outside the pipeline share its connection and security configuration', () => {
    template.resourcePropertiesCountIs('AWS::Glue::Job', {
      Connections: { Connections: [{ Ref: stack.getLogicalId(pipeline.network.connection.node.defaultChild as glue.CfnConnection) }] },
      SecurityConfiguration: Match.anyValue(),
    }, 2);
  });
});

describe('GlueEtlPipeline in an environment-agnostic stack', () => {
  test('passes the four cdk-nag packs: acknowledged ids follow the pseudo-parameter form of the ARNs', () => {
    const stack = new Stack(testApp({ builtinCloudFormationValidation: false }), 'Agnostic');
    const scripts = s3.Bucket.fromBucketName(stack, 'Scripts', 'my-scripts');
    new GlueEtlPipeline(stack, 'Etl', {
      crawlers: { Raw: { paths: ['raw/'] } },
      sparkEtlJobs: { Transform: { script: glue.Code.fromBucket(scripts, 'transform.py'), readPrefixes: ['raw/'], writePrefixes: ['curated/'] } },
      pythonShellJobs: { Check: { script: glue.Code.fromBucket(scripts, 'check.py') } },
      workflow: { start: GlueWorkflowStart.onDemand(), run: ['Raw'], then: [{ after: ['Raw'], run: ['Transform', 'Check'] }] },
    });
    Template.fromStack(stack);
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('GlueEtlPipeline removal policy', () => {
  test('deletes the database and keys only with DESTROY and the context flag', () => {
    const stack = new Stack(testApp({ builtinCloudFormationValidation: false, context: { [REMOVE_DATA_ON_DESTROY_CONTEXT]: true } }), 'Destroy');
    new GlueEtlPipeline(stack, 'Etl', { removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Glue::Database', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });
});
