import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { MonitoringOptions } from '../core/monitoring';
import { AnalyticsNetwork } from '../core/network';
import { RedshiftAuditLogging } from './audit-logging';
import { RedshiftEventNotifications } from './event-notifications';
import { RedshiftNodeType } from './node-type';
import { RedshiftSnapshotCopyGrant } from './snapshot-copy-grant';
import { WorkloadManagement } from './wlm/workload-management';

/**
 * Cross-region copy of the warehouse's snapshots.
 *
 * The cluster is KMS-encrypted, so the copies need a snapshot copy grant in the destination region: pass the
 * `RedshiftSnapshotCopyGrant` when it is in the same app (the warehouse's stack then deploys after the grant's
 * stack, and the grant's region is checked against `destinationRegion`), or `grantName` for a grant made
 * outside the app (deploy it first yourself).
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html#configure-snapshot-copy-grant
 */
export interface RedshiftSnapshotCopy {
  /** Region the snapshots are copied to; it must differ from the warehouse's region. */
  readonly destinationRegion: string;
  /**
   * The snapshot copy grant of this app, in a stack of `destinationRegion` and of the warehouse's account.
   * The warehouse's stack gets a dependency on the grant's stack, so `cdk deploy --all` creates the grant first.
   * @default - none: give `grantName`
   */
  readonly grant?: RedshiftSnapshotCopyGrant;
  /**
   * Name of a snapshot copy grant made outside this app, in `destinationRegion`. It must exist before the
   * warehouse is deployed: nothing here orders the two deployments.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateSnapshotCopyGrant.html
   * @default - the name of `grant`
   */
  readonly grantName?: string;
  /**
   * How long copied automated snapshots are kept in the destination region: 1 to 35 days.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_EnableSnapshotCopy.html
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
}

/**
 * Redshift Spectrum access: what the Spectrum role attached to the cluster may read.
 */
export interface RedshiftSpectrumOptions {
  /** Buckets of the data lake the external tables point to, at least one; the role gets read access (and decrypt on their keys). */
  readonly lakeBuckets: s3.IBucket[];
  /**
   * Glue Data Catalog databases of the external schemas, for example the lake's `database` or
   * `glue.Database.fromDatabaseArn(...)`; the role may read their definitions, tables and partitions.
   */
  readonly glueDatabases: glue.IDatabase[];
}

/**
 * Alarm thresholds of a `RedshiftWarehouse`.
 */
export interface RedshiftWarehouseAlarmThresholds {
  /**
   * Average CPU utilization over 15 minutes that raises the alarm, in percent: 0 to 100.
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/metrics-listing.html
   * @default 90
   */
  readonly cpuUtilizationPercent?: number;
  /**
   * Disk space used that raises the alarm. Redshift needs free space for sorts and intermediate results;
   * queries start failing with "disk full" well before 100 percent. In percent: 0 to 100.
   * @default 80
   */
  readonly diskSpaceUsedPercent?: number;
  /**
   * Queries waiting in WLM queues (cluster total, average over 15 minutes) that raises the alarm: at least 0.
   * @default 10
   */
  readonly queuedQueries?: number;
}

/**
 * Props of `RedshiftWarehouse`.
 */
export interface RedshiftWarehouseProps extends MonitoringOptions {
  /**
   * Where the cluster runs: `AnalyticsNetwork.newVpc({ availabilityZones })` (isolated subnets by default, flow
   * logs, the default security group closed, S3 and Glue endpoints), or `AnalyticsNetwork.fromVpc(vpc, { subnets,
   * securityGroup })` (the cluster subnet group takes `subnets`, by default the VPC's isolated subnets if it has
   * any, else its private subnets with egress; `securityGroup` replaces the one the warehouse creates).
   * `publicEndpoint` does not apply: the cluster is never publicly accessible.
   * @default - a new VPC in the first two Availability Zones of the stack (in a stack with an explicit account and
   * region, the stack must override `availabilityZones` or the context must hold them: the library never looks
   * anything up at synth)
   */
  readonly network?: AnalyticsNetwork;
  /**
   * Node type.
   * @default RedshiftNodeType.RA3_XLPLUS
   */
  readonly nodeType?: RedshiftNodeType;
  /**
   * Number of compute nodes; 1 creates a single-node cluster (only for node types that support it).
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-node-type-info
   * @default 2
   */
  readonly numberOfNodes?: number;
  /**
   * Cluster identifier.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
   * @default - derived from the construct path, so it is stable across deployments
   */
  readonly clusterIdentifier?: string;
  /**
   * Name of the first database: 1–64 lowercase letters, digits, underscores or dollar signs, starting
   * with a letter or underscore.
   * @default 'analytics'
   */
  readonly databaseName?: string;
  /**
   * Admin user name. Its password is generated and kept by Redshift in AWS Secrets Manager
   * (`manageMasterPassword`), encrypted with `encryptionKey`; it never appears in the template.
   * @default 'warehouse_admin'
   */
  readonly masterUsername?: string;
  /**
   * Port the cluster listens on. RA3 clusters accept 5431–5455 and 8191–8215, DC2 clusters 1150–65535.
   * Not 5439, so that scans for the well-known port miss it.
   * @default 5440
   */
  readonly port?: number;
  /**
   * Key that encrypts the cluster, its snapshots, its admin secret and its log groups. The warehouse adds a
   * key policy statement that lets CloudWatch Logs use the key for this cluster's log groups; CDK cannot
   * change the policy of an imported key, so add that statement yourself (or use S3 audit logging).
   * @default - a new customer-managed key with automatic rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Workload management.
   * @default WorkloadManagement.automatic() - one default queue, short query acceleration on
   */
  readonly workloadManagement?: WorkloadManagement;
  /**
   * Most concurrency scaling clusters Redshift may add (`max_concurrency_scaling_clusters`), 0–10.
   * @see https://docs.aws.amazon.com/redshift/latest/dg/concurrency-scaling-queues.html
   * @default 1
   */
  readonly maxConcurrencyScalingClusters?: number;
  /**
   * Where audit logs go.
   * @default RedshiftAuditLogging.cloudWatch() - all three logs, kept one year
   */
  readonly auditLogging?: RedshiftAuditLogging;
  /**
   * How long automated snapshots are kept, in whole days: 1–35 for RA3, 0–35 for DC2 (0 turns them off).
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-snapshots.html
   * @default Duration.days(7)
   */
  readonly automatedSnapshotRetention?: Duration;
  /**
   * Weekly maintenance window in UTC, `ddd:hh24:mi-ddd:hh24:mi`, at least 30 minutes.
   * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
   * @default 'sun:03:00-sun:03:30'
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Let Redshift move the cluster to another AZ when its AZ has trouble. RA3 only.
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-recovery.html
   * @default - true for RA3 node types, false otherwise
   */
  readonly availabilityZoneRelocation?: boolean;
  /**
   * Copy snapshots to another region.
   * @default - no cross-region copy
   */
  readonly snapshotCopy?: RedshiftSnapshotCopy;
  /**
   * Redshift Spectrum access to a data lake.
   * @default - no Spectrum role
   */
  readonly spectrum?: RedshiftSpectrumOptions;
  /**
   * Redshift event notifications: failed snapshots, a cross-region copy that stopped, and every other ERROR
   * event of the cluster, published to the alarm topic.
   * @default - both subscriptions, to `alarmTopic` (the stack's `AlarmTopic` by default); none when
   * `alarmActionsEnabled` is false and no `eventNotifications.topic` is given
   */
  readonly eventNotifications?: RedshiftEventNotifications;
  /**
   * Alarm thresholds.
   * @default - see each threshold
   */
  readonly alarmThresholds?: RedshiftWarehouseAlarmThresholds;
  /**
   * What happens to the cluster when the stack is deleted, and so to what it uses and what holds its data:
   * - `RETAIN_ON_UPDATE_OR_DELETE` (CloudFormation `RetainExceptOnCreate`) and `RETAIN` keep the cluster, its key
   *   and log groups, and also its subnet, parameter and security groups, the Spectrum role, and the VPC and
   *   subnets the warehouse created (CloudFormation cannot delete them while the kept cluster uses them). With
   *   `RETAIN_ON_UPDATE_OR_DELETE` a create that rolls back deletes all of them, so a retry does not collide with
   *   the fixed names (cluster identifier, log groups).
   * - `SNAPSHOT` takes a final snapshot and deletes the cluster and what it used; the key (the snapshot needs it)
   *   and the audit and flow log groups are kept as with `RETAIN_ON_UPDATE_OR_DELETE`.
   * - `DESTROY` deletes everything, and takes effect only with the context flag
   *   `cdk-analytics-blueprints:removeDataOnDestroy`.
   * The admin secret belongs to Redshift: it is deleted with the cluster and kept with it.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}
