import { Duration, RemovalPolicy, Size, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  DataBucket, EmrApplication, EmrCapacity, EmrCluster, EmrDataLocation, EmrEbsVolumeType, EmrInstanceGroupSpotPrice, EmrReleaseLabel,
  EmrStep, EmrStepActionOnFailure,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

import { FixedAzStack } from './fixed-az-stack';

/**
 * A long-running EMR cluster with uniform instance groups: one On-Demand primary node and three On-Demand
 * core nodes (the capacity reserved instances or savings plans cover), and a Spot task group that scales
 * automatically on YARN memory and holds no HDFS data.
 */
export class EmrSpotStack extends FixedAzStack {
  public readonly lake: DataBucket;
  /** The catalog database whose tables the cluster writes (kept on stack deletion, like the lake). */
  public readonly database: glue.Database;
  public readonly cluster: EmrCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.lake = new DataBucket(this, 'Lake');
    this.database = new glue.Database(this, 'Database', { databaseName: 'analytics', removalPolicy: RemovalPolicy.RETAIN });
    this.cluster = new EmrCluster(this, 'Cluster', {
      releaseLabel: EmrReleaseLabel.EMR_7_13_0,
      applications: [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE, EmrApplication.LIVY],
      glueDatabases: [this.database],
      // The step's code under jobs/, the raw data it reads, the tables it rewrites; the logs go to the same
      // bucket, under emr-logs/.
      dataLocations: [
        EmrDataLocation.read(this.lake.bucket, 'jobs/'),
        EmrDataLocation.read(this.lake.bucket, 'raw/'),
        EmrDataLocation.readWriteDelete(this.lake.bucket, 'analytics/'),
      ],
      capacity: EmrCapacity.instanceGroups({
        primary: { instanceType: new ec2.InstanceType('m7g.xlarge') },
        core: {
          instanceType: new ec2.InstanceType('r7g.2xlarge'),
          instanceCount: 3,
          ebsVolumes: [{ size: Size.gibibytes(256), volumeType: EmrEbsVolumeType.GP3 }],
        },
        tasks: [{
          name: 'SpotTasks',
          instanceType: new ec2.InstanceType('c7g.4xlarge'),
          instanceCount: 2,
          spotPrice: EmrInstanceGroupSpotPrice.onDemandPrice(),
          automaticScaling: { minCapacity: 0, maxCapacity: 10 },
        }],
      }),
      idleTimeout: Duration.hours(2),
      steps: [EmrStep.sparkSubmit({
        name: 'Daily aggregation',
        entryPoint: this.lake.bucket.s3UrlForObject('jobs/daily_aggregation.py'),
        arguments: ['--date', 'yesterday'],
        actionOnFailure: EmrStepActionOnFailure.CONTINUE,
      })],
    });
  }
}
