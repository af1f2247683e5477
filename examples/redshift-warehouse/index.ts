import { Duration, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AlarmTopic, AnalyticsNetwork, DataBucket, QmrAction, QmrMetric, RedshiftDatabaseGroups, RedshiftNodeType, RedshiftSnapshotCopyGrant,
  RedshiftWarehouse, WlmQueuePriority, WorkloadManagement,
} from 'cdk-analytics-blueprints';
import { Construct } from 'constructs';

/**
 * The disaster-recovery side of the Redshift example: a stack in the destination region that holds the
 * KMS key and the snapshot copy grant for snapshots copied from the source region.
 */
export class RedshiftWarehouseDrStack extends Stack {
  public readonly copyGrant: RedshiftSnapshotCopyGrant;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.copyGrant = new RedshiftSnapshotCopyGrant(this, 'SnapshotCopyGrant', {
      grantName: 'analytics-warehouse-dr',
    });
  }
}

/** Props of `RedshiftWarehouseStack`. */
export interface RedshiftWarehouseStackProps extends StackProps {
  /**
   * The snapshot copy grant of the DR stack: snapshots are copied to its region, and this stack deploys after
   * the DR stack so that the grant exists when the cluster enables the copy.
   */
  readonly copyGrant: RedshiftSnapshotCopyGrant;
  /**
   * AZs of the stack's region, so that the warehouse VPC needs no AZ lookup at synth.
   * @default - `<region>a` and `<region>b`; edit them to your account's AZ names
   */
  readonly availabilityZones?: string[];
}

/**
 * A provisioned RA3 warehouse in the source region: automatic WLM with an ETL and a BI queue and query
 * monitoring rules, Spectrum over a lake bucket, audit logs in CloudWatch Logs, snapshots copied to the DR region.
 */
export class RedshiftWarehouseStack extends Stack {
  public readonly lake: DataBucket;
  /** The catalog database of the lake's external tables (kept on stack deletion, like the lake). */
  public readonly lakeDatabase: glue.Database;
  public readonly warehouse: RedshiftWarehouse;
  /** The database groups the WLM queues route by (`etl`). */
  public readonly wlmGroups: RedshiftDatabaseGroups;
  /** The stack's alarm topic (`AlarmTopic.ofStack`): subscribe operators here. */
  public readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: RedshiftWarehouseStackProps) {
    super(scope, id, props);
    // The warehouse VPC's zones, given so that synth needs no lookup (an environment-agnostic stack takes its own).
    const availabilityZones = props.availabilityZones
      ?? (Token.isUnresolved(this.region) ? undefined : [`${this.region}a`, `${this.region}b`]);
    this.lake = new DataBucket(this, 'Lake');
    this.lakeDatabase = new glue.Database(this, 'LakeDatabase', { databaseName: 'lake', removalPolicy: RemovalPolicy.RETAIN });

    // Alarms notify the stack's encrypted alarm topic, which admits CloudWatch alarms of this account.
    this.alarmTopic = AlarmTopic.ofStack(this).topic;
    this.warehouse = new RedshiftWarehouse(this, 'Warehouse', {
      network: availabilityZones ? AnalyticsNetwork.newVpc({ availabilityZones }) : undefined,
      nodeType: RedshiftNodeType.RA3_XLPLUS,
      numberOfNodes: 2,
      databaseName: 'analytics',
      workloadManagement: WorkloadManagement.automatic({
        queues: [
          {
            name: 'etl', userGroups: ['etl'], priority: WlmQueuePriority.HIGH,
            rules: [{ name: 'log_disk_spill', predicates: [{ metric: QmrMetric.QUERY_TEMP_BLOCKS_TO_DISK, value: 100_000 }], action: QmrAction.LOG }],
          },
          {
            name: 'bi', userGroups: ['bi_*'], userGroupsWildcard: true, queryGroups: ['dashboard'], concurrencyScaling: true,
            rules: [
              { name: 'abort_nested_loops', predicates: [{ metric: QmrMetric.NESTED_LOOP_JOIN_ROW_COUNT, value: 1_000_000 }], action: QmrAction.ABORT },
              { name: 'demote_long_queries', predicates: [{ metric: QmrMetric.QUERY_EXECUTION_TIME, value: 300 }],
                action: QmrAction.changePriority(WlmQueuePriority.LOW) },
            ],
          },
        ],
        defaultQueue: { priority: WlmQueuePriority.LOW },
      }),
      maxConcurrencyScalingClusters: 2,
      snapshotCopy: {
        destinationRegion: Stack.of(props.copyGrant).region, grant: props.copyGrant, retention: Duration.days(7),
      },
      spectrum: { lakeBuckets: [this.lake.bucket], glueDatabases: [this.lakeDatabase] },
      alarmTopic: this.alarmTopic,
    });
    // The group the etl queue routes by, created through the Data API (bi_* is a wildcard pattern: create your
    // bi_ groups yourself, or pass them here).
    this.wlmGroups = this.warehouse.addDatabaseGroups('WlmGroups');
  }
}
