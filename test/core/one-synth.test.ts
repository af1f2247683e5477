/**
 * The promise of the README, across architectures: an app with mistakes in each of the five architectures, several
 * of which aws-cdk-lib would throw on while the constructs build their resources, fails one synth that reports every
 * one of them, each after its construct path, with the property, the value given and what is allowed.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';

import {
  AnalyticsNetwork, EmrCapacity, EmrCluster, EmrReleaseLabel, GlueEtlPipeline, OpenSearchCluster, RedshiftWarehouse, StreamingDataLake,
  StreamingDataLakeSchema,
} from '../../lib';
import { TEST_ENV, testApp } from '../util/app';

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

describe('an app with mistakes in all five architectures', () => {
  const app = testApp({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'App', { env: TEST_ENV });
  // aws-cdk-lib throws on a retention that is not a whole number of hours, and on a buffering interval under a second.
  new StreamingDataLake(stack, 'Lake', {
    schema: StreamingDataLakeSchema.fromColumns([{ name: 'a', type: glue.Schema.STRING }]),
    retentionPeriod: Duration.minutes(1470),
    bufferingInterval: Duration.millis(500),
  });
  // Glue takes no rate() schedules; a VPC CIDR too small for the construct's subnets would throw in aws-cdk-lib.
  const scripts = s3.Bucket.fromBucketName(stack, 'Scripts', 'scripts');
  new GlueEtlPipeline(stack, 'Etl', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2), cidr: '10.0.0.0/24' }),
    sparkEtlJobs: { Job: { script: glue.Code.fromBucket(scripts, 'job.py') } },
    crawlers: { Crawl: { paths: ['raw/'], schedule: glue.TriggerSchedule.expression('rate(1 hour)') } },
  });
  new EmrCluster(stack, 'Emr', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }),
    releaseLabel: EmrReleaseLabel.of('emr-7'),
    capacity: EmrCapacity.instanceGroups({
      primary: { instanceType: new ec2.InstanceType('m7g.xlarge'), instanceCount: 2 },
      core: { instanceType: new ec2.InstanceType('r7g.xlarge'), instanceCount: 2 },
    }),
  });
  // aws-cdk-lib would throw converting a port or a node count that is not a whole number.
  new RedshiftWarehouse(stack, 'Warehouse', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: AZS.slice(0, 2) }),
    numberOfNodes: 2.5,
    port: 5440.5,
  });
  new OpenSearchCluster(stack, 'Search', {
    network: AnalyticsNetwork.newVpc({ availabilityZones: AZS }),
    engineVersion: opensearch.EngineVersion.openSearch('x'),
    masterNodes: 4,
  });

  let message = '';
  try {
    app.synth();
  } catch (e) {
    message = (e as Error).message;
  }

  test.each([
    ['App/Lake', 'retentionPeriod (24.5 hours) must be a whole number of hours'],
    ['App/Lake', 'bufferingInterval (0.5 seconds) must be a whole number of seconds'],
    ['App/Etl/Network', "network.cidr ('10.0.0.0/24') must be an IPv4 CIDR block with a prefix length between /16 and /19"],
    ['App/Etl/Crawl', "schedule ('rate(1 hour)') must be a cron(...) expression"],
    ['App/Emr', "releaseLabel ('emr-7') must be a release label such as"],
    ['App/Emr', 'capacity.primary.instanceCount (2) must be 1, or 3'],
    ['App/Warehouse', 'numberOfNodes (2.5)'],
    ['App/Warehouse', 'port (5440.5)'],
    ['App/Search', "engineVersion ('OpenSearch_x') must be OpenSearch_<major>.<minor>"],
    ['App/Search', 'masterNodes (4) must be one of 3, 5'],
  ])('reports [%s] %s', (path, problem) => {
    expect(message).toContain(`[${path}] ${problem}`);
  });

  test('in one synth, with no exception of aws-cdk-lib in between', () => {
    expect(message).toMatch(/^Validation failed with the following errors:/);
    expect(message).not.toMatch(/9007199254740991/);
  });
});
