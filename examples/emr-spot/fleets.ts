import { Duration, RemovalPolicy, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as glue from 'aws-cdk-lib/aws-glue';
import {
  DataBucket, EmrApplication, EmrCapacity, EmrCapacityReservation, EmrCluster, EmrDataLocation, EmrInstanceFleetSpotPrice,
  EmrSpotAllocationStrategy, EmrSpotTimeoutAction,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

import { FixedAzStack } from './fixed-az-stack';

/**
 * The same architecture with instance fleets: primary and core On-Demand, drawing on open capacity
 * reservations first; a task fleet of several weighted instance types on Spot with the
 * price-capacity-optimized strategy, falling back to On-Demand when Spot is short at launch; managed
 * scaling keeps On-Demand capacity to the core nodes.
 */
export class EmrFleetsStack extends FixedAzStack {
  public readonly lake: DataBucket;
  /** The catalog database whose tables the cluster writes (kept on stack deletion, like the lake). */
  public readonly database: glue.Database;
  public readonly cluster: EmrCluster;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.lake = new DataBucket(this, 'Lake');
    this.database = new glue.Database(this, 'Database', { databaseName: 'analytics', removalPolicy: RemovalPolicy.RETAIN });
    const t = (name: string) => new ec2.InstanceType(name);
    this.cluster = new EmrCluster(this, 'Cluster', {
      applications: [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.TRINO],
      // Trino and Spark query the analytics tables and write new ones; the logs go to the same bucket.
      dataLocations: [EmrDataLocation.read(this.lake.bucket, 'raw/'), EmrDataLocation.readWrite(this.lake.bucket, 'analytics/')],
      glueDatabases: [this.database],
      capacity: EmrCapacity.instanceFleets({
        primary: { instanceTypes: [{ instanceType: t('m7g.xlarge') }, { instanceType: t('m6g.xlarge') }] },
        core: {
          instanceTypes: [{ instanceType: t('r7g.2xlarge'), weightedCapacity: 2 }, { instanceType: t('r6g.2xlarge'), weightedCapacity: 2 }],
          targetOnDemandCapacity: 4,
        },
        task: {
          instanceTypes: [
            { instanceType: t('c7g.4xlarge'), weightedCapacity: 4 },
            { instanceType: t('c6g.4xlarge'), weightedCapacity: 4 },
            { instanceType: t('m7g.4xlarge'), weightedCapacity: 4, spotPrice: EmrInstanceFleetSpotPrice.percentageOfOnDemand(80) },
            { instanceType: t('c7g.8xlarge'), weightedCapacity: 8 },
          ],
          targetSpotCapacity: 16,
        },
        capacityReservation: EmrCapacityReservation.open(),
        spotAllocationStrategy: EmrSpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
        spotTimeout: Duration.minutes(15),
        spotTimeoutAction: EmrSpotTimeoutAction.SWITCH_TO_ON_DEMAND,
      }),
      managedScaling: {
        minimumCapacityUnits: 4,
        maximumCapacityUnits: 64,
        maximumCoreCapacityUnits: 8,
        maximumOnDemandCapacityUnits: 8,
      },
    });
  }
}
