/**
 * Integration test of `GlueEtlPipeline`: a Data Catalog database, a crawler and a Python shell job that run
 * in a new VPC without NAT through the pipeline's Glue NETWORK connection and VPC endpoints, a security
 * configuration, failure notifications and alarms, all deleted by `cdk destroy`.
 *
 * On a real deployment the assertion stack checks the connection (NETWORK, the connection subnet, its AZ
 * and security group), the security configuration (SSE-KMS for S3 and CloudWatch Logs, CSE-KMS for job
 * bookmarks), and the job (Python shell, in the connection, with the security configuration); then it puts
 * one JSON object under `raw/events/`, starts the crawler and waits for a SUCCEEDED crawl that cataloged
 * the table `integ_events`, and starts the job and waits for a SUCCEEDED run (the job can only start and
 * log through the endpoints of the VPC).
 *
 * Cost while deployed: four interface endpoints (about $0.04 an hour) plus one crawl and one
 * 0.0625-DPU job run.
 * Run: see test/integ/integ-app.ts.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { AnalyticsNetwork, GlueEtlPipeline, GluePythonShellCapacity } from 'cdk-analytics-blueprints';
import * as path from 'path';

import { integApp, IntegAppOptions, integEnv, IntegStack, verify } from './integ/integ-app';

/** Builds the integration test app (also used by the snapshot check, with a fixed env and outdir). */
export function glueEtlIntegApp(options: IntegAppOptions = {}): App {
  const app = integApp(options);
  const env = options.env ?? integEnv();

  const stack = new IntegStack(app, 'IntegGlueEtl', { env });
  const pipeline = new GlueEtlPipeline(stack, 'Etl', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: stack.availabilityZones.slice(0, 2) }),
    crawlers: { RawEvents: { paths: ['raw/events/'], tablePrefix: 'integ_' } },
    pythonShellJobs: {
      IntegCheck: {
        description: 'Integration test: starts in the VPC and succeeds',
        script: glue.Code.fromAsset(path.join(__dirname, 'integ', 'scripts', 'integ_check.py')),
        capacity: GluePythonShellCapacity.SIXTEENTH_DPU,
        timeout: Duration.minutes(10),
      },
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const network = pipeline.network;
  const crawler = pipeline.crawlers.RawEvents;
  const job = pipeline.pythonShellJobs.IntegCheck;

  const assertionStack = new Stack(app, 'IntegGlueEtlAssertions', { env });
  const integ = new IntegTest(app, 'GlueEtlInteg', {
    testCases: [stack],
    assertionStack,
    cdkCommandOptions: { destroy: { args: { force: true } } },
  });

  // The NETWORK connection: the pipeline's subnet, its AZ and the self-referencing security group.
  const connection = verify(integ.assertions.awsApiCall('Glue', 'getConnection', { Name: network.connection.connectionName }),
    ExpectedResult.objectLike({
      Connection: {
        ConnectionType: 'NETWORK',
        PhysicalConnectionRequirements: {
          SubnetId: network.subnet.subnetId,
          AvailabilityZone: network.subnet.availabilityZone,
          SecurityGroupIdList: [network.securityGroup.securityGroupId],
        },
      },
    }));

  // The security configuration: S3 with the lake's key, logs with the pipeline's key, bookmarks client-side.
  const securityConfiguration = verify(integ.assertions.awsApiCall('Glue', 'getSecurityConfiguration', {
    Name: pipeline.securityConfiguration.securityConfigurationName,
  }), ExpectedResult.objectLike({
    SecurityConfiguration: {
      EncryptionConfiguration: {
        S3Encryption: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: pipeline.bucket.encryptionKey!.keyArn }],
        CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: pipeline.encryptionKey.keyArn },
        JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: pipeline.encryptionKey.keyArn },
      },
    },
  }));

  // The job: Python shell, in the connection, with the security configuration.
  const jobDefinition = verify(integ.assertions.awsApiCall('Glue', 'getJob', { JobName: job.jobName }),
    ExpectedResult.objectLike({
      Job: {
        Command: { Name: 'pythonshell' },
        Connections: { Connections: [network.connection.connectionName] },
        SecurityConfiguration: pipeline.securityConfiguration.securityConfigurationName,
        MaxCapacity: 0.0625,
      },
    }));

  // One JSON object for the crawler; the lake is SSE-KMS, so writing needs its key.
  const sample = integ.assertions.awsApiCall('S3', 'putObject', {
    Bucket: pipeline.bucket.bucketName,
    Key: 'raw/events/integ.json',
    Body: JSON.stringify({ event_id: 'integ-1', event_type: 'click', event_time: '2025-01-01T00:00:00Z' }),
    ContentType: 'application/json',
  });
  sample.provider.addToRolePolicy({ Effect: 'Allow', Action: ['kms:GenerateDataKey'], Resource: [pipeline.bucket.encryptionKey!.keyArn] });

  // The crawler runs in the VPC (through the connection) and catalogs raw/events/ as integ_events.
  const startCrawler = integ.assertions.awsApiCall('Glue', 'startCrawler', { Name: crawler.crawlerName });
  const crawled = verify(integ.assertions.awsApiCall('Glue', 'getCrawler', { Name: crawler.crawlerName }),
    ExpectedResult.objectLike({ Crawler: { State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } } }),
    { totalTimeout: Duration.minutes(20), interval: Duration.seconds(30) });
  const cataloged = verify(integ.assertions.awsApiCall('Glue', 'getTable', { DatabaseName: pipeline.database.databaseName, Name: 'integ_events' }),
    ExpectedResult.objectLike({
      Table: {
        Name: 'integ_events',
        Parameters: { classification: 'json' },
        StorageDescriptor: { Location: Match.stringLikeRegexp('/raw/events/?$') },
      },
    }));

  // The job starts in the VPC, runs and succeeds.
  const startJob = integ.assertions.awsApiCall('Glue', 'startJobRun', { JobName: job.jobName });
  const ran = verify(integ.assertions.awsApiCall('Glue', 'getJobRun', { JobName: job.jobName, RunId: startJob.getAttString('JobRunId') }),
    ExpectedResult.objectLike({ JobRun: { JobRunState: 'SUCCEEDED' } }),
    { totalTimeout: Duration.minutes(20), interval: Duration.seconds(30) });

  connection.next(securityConfiguration).next(jobDefinition).next(sample).next(startCrawler).next(crawled).next(cataloged)
    .next(startJob).next(ran);
  return app;
}

if (require.main === module) {
  glueEtlIntegApp().synth();
}
