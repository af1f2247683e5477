import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { MonitoringOptions } from '../core/monitoring';
import { AnalyticsNetwork } from '../core/network';
import { EmrCapacity } from './capacity';
import { EmrDataLocation } from './data-location';
import { EmrApplication, EmrConfiguration, EmrReleaseLabel } from './release';
import { EmrManagedScaling } from './scaling';
import { EmrKerberos, EmrTlsCertificates } from './security-configuration';
import { EmrBootstrapAction, EmrStep } from './step';

/**
 * Thresholds of the alarms an `EmrCluster` raises.
 */
export interface EmrAlarmThresholds {
  /**
   * Alarm when the cluster has been idle (no running steps or YARN applications) this long; a cue to
   * terminate a cluster that costs money doing nothing. Rounded up to 5-minute periods; 5 minutes to 1 day
   * (CloudWatch evaluates at most one day).
   * @default Duration.minutes(30)
   */
  readonly idleFor?: Duration;
  /**
   * Alarm at this many unhealthy nodes (`MRUnhealthyNodes`), a whole number of at least 1.
   * @default 1
   */
  readonly unhealthyNodes?: number;
  /**
   * Alarm at this HDFS utilization, in percent (0 to 100).
   * @default 80
   */
  readonly hdfsUtilizationPercent?: number;
  /**
   * Alarm when available YARN memory falls to this percentage (0 to 100).
   * @default 15
   */
  readonly yarnMemoryAvailablePercent?: number;
  /**
   * Alarm at this many YARN applications waiting for resources (`AppsPending`) for 15 minutes, a whole number
   * of at least 1.
   * @default 5
   */
  readonly appsPending?: number;
}

/**
 * Props of `EmrCluster`.
 *
 * Most cluster properties can only be set when the cluster is created: changing one makes CloudFormation
 * launch a new cluster and terminate the running one (README, "Steps, and what replaces the cluster").
 */
export interface EmrClusterProps extends MonitoringOptions {
  /**
   * Name of the cluster (1 to 256 characters). Changing it replaces the cluster.
   * @default - a name unique in the account, derived from the construct path
   */
  readonly clusterName?: string;
  /**
   * EMR release: emr-5.32.0 / emr-6.2.0 or later (the cluster encrypts its S3 logs with KMS and makes its nodes
   * IMDSv2-only; with `requireImdsV2: false`, emr-5.30.0 / emr-6.1.0 or later). Changing it replaces the cluster.
   * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html
   * @default EmrReleaseLabel.EMR_7_13_0
   */
  readonly releaseLabel?: EmrReleaseLabel;
  /**
   * Applications to install. Changing them replaces the cluster.
   * @default [EmrApplication.HADOOP, EmrApplication.SPARK, EmrApplication.HIVE]
   */
  readonly applications?: EmrApplication[];
  /**
   * Use the AWS Glue Data Catalog as the metastore of Hive, Spark and Trino/Presto (whichever are installed).
   * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-hive-metastore-glue.html
   * @default true
   */
  readonly glueDataCatalog?: boolean;
  /**
   * Glue databases whose tables and partitions the nodes may create and update (lower-case names), for
   * example another architecture's `database` or `glue.Database.fromDatabaseArn(...)`. The nodes may always
   * read the `default` database, which Hive and Spark look up at start, and create it when the catalog has none.
   * @default - none: the nodes read `default` and change nothing in the catalog
   */
  readonly glueDatabases?: glue.IDatabase[];
  /**
   * Let the nodes create and update tables and partitions of every Glue database of the account and region,
   * instead of the `glueDatabases` listed (synth warns: list the databases where you can).
   * @default false
   */
  readonly glueAllDatabases?: boolean;
  /**
   * Let the nodes also delete tables and partitions of `glueDatabases` (`DROP TABLE`, `ALTER TABLE ... DROP
   * PARTITION`, `INSERT OVERWRITE` of partitions).
   * @default false
   */
  readonly glueDeletes?: boolean;
  /**
   * Application configurations. Properties the Glue switch sets may be repeated only with the same value.
   * Changing them replaces the cluster.
   * @default - none
   */
  readonly configurations?: EmrConfiguration[];
  /**
   * The nodes: uniform instance groups or instance fleets. Resizing a core or task group changes the cluster in
   * place; plan other changes (instance types, markets, EBS volumes, fleets) as a replacement of the cluster.
   * @default - instance groups: 1 primary and 2 core m7g.xlarge On-Demand nodes, and one task group of
   * 2 m7g.xlarge Spot nodes
   */
  readonly capacity?: EmrCapacity;
  /**
   * Managed scaling limits. Cannot be combined with automatic scaling of task groups. Can change without
   * replacing the cluster.
   * @default - no managed scaling
   */
  readonly managedScaling?: EmrManagedScaling;
  /**
   * Terminate the cluster after it has been idle this long (60 seconds to 7 days). `Duration.seconds(0)`
   * turns auto-termination off.
   * @see https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html
   * @default - Duration.hours(1); no auto-termination when `terminationProtection` is true
   */
  readonly idleTimeout?: Duration;
  /**
   * Protect the cluster from termination by API calls and errors. Can change without replacing the cluster.
   * @default false
   */
  readonly terminationProtection?: boolean;
  /**
   * Keep the cluster running after its last step (long-running); false makes a transient cluster that
   * terminates when its steps finish. Plan a change as a replacement of the cluster.
   * @default true
   */
  readonly keepAliveWhenNoSteps?: boolean;
  /**
   * Bootstrap actions run on every node at launch (at most 16). Changing them replaces the cluster.
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-bootstrap.html
   * @default - none
   */
  readonly bootstrapActions?: EmrBootstrapAction[];
  /**
   * Steps the cluster runs. On a long-running cluster each step is its own `AWS::EMR::Step`, submitted in the
   * order given: adding a step submits it to the running cluster, and a changed or renamed step is submitted
   * again as a new step; the cluster is not replaced. A transient cluster (`keepAliveWhenNoSteps: false`) runs
   * its steps as part of the cluster, so changing them launches a new transient cluster.
   * @default - none
   */
  readonly steps?: EmrStep[];
  /**
   * Where the cluster runs: `AnalyticsNetwork.newVpc({ availabilityZones })` (2 to 6 zones; one NAT gateway
   * by default, or isolated subnets with S3, KMS and Glue endpoints with `natGateways: 0`), or
   * `AnalyticsNetwork.fromVpc(vpc, { subnets, securityGroup })`: the nodes launch into the private subnets
   * with egress (the first one for instance groups, all of them for instance fleets); isolated subnets work
   * only with VPC endpoints for S3 (gateway), KMS and, with the Glue Data Catalog, Glue. The subnets must carry
   * the tag `for-use-with-amazon-emr-managed-policies=true` (`AmazonEMRServicePolicy_v2` launches instances
   * only there): the construct tags subnets defined in the app, and warns about imported ones. A given
   * security group is attached to every node next to the EMR-managed groups. `publicEndpoint` does not apply.
   * @default - a new VPC in the first two of the stack's Availability Zones, with private subnets, one NAT
   * gateway, an S3 gateway endpoint and flow logs
   */
  readonly network?: AnalyticsNetwork;
  /**
   * Bucket that receives the cluster logs (`LogUri`), under `logPrefix`. Share a bucket you already have (a
   * data lake bucket, for example) rather than have the construct create one.
   * @default - the bucket of the first writable `dataLocations` entry, or else a new `DataBucket`
   */
  readonly logBucket?: s3.IBucket;
  /**
   * Prefix of the cluster logs in the log bucket.
   * @default 'emr-logs/'
   */
  readonly logPrefix?: string;
  /**
   * The S3 locations the nodes use, each a bucket, a prefix and what the nodes may do there (read; read and
   * write; read, write and delete). What EMRFS writes to a bucket with its own KMS key is encrypted with that
   * key, so the bucket's other readers can read it.
   * @default - none besides the log prefix
   */
  readonly dataLocations?: EmrDataLocation[];
  /**
   * Customer-managed key for S3 SSE-KMS, local disks, EBS volumes and log encryption. When the construct
   * also creates the VPC, the key encrypts the flow-log group too, so its key policy must let CloudWatch Logs use it.
   * @default - a new key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * TLS certificates for in-transit encryption (a zip of PEM files in S3, see `EmrTlsCertificates`).
   * @default - no in-transit encryption
   */
  readonly inTransitEncryption?: EmrTlsCertificates;
  /**
   * Kerberos authentication with a cluster-dedicated KDC (emr-5.10.0 or later).
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html
   * @default - no Kerberos; jobs run as EMR steps by IAM principals
   */
  readonly kerberos?: EmrKerberos;
  /**
   * Make the nodes answer only IMDSv2 requests to the instance metadata service (hop limit 1), through the
   * security configuration. Needs emr-5.32.0 / emr-6.2.0 or later.
   * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html
   * @default true
   */
  readonly requireImdsV2?: boolean;
  /**
   * EC2 key pair for SSH to the nodes.
   * @default - no key pair; use AWS Systems Manager Session Manager or EMR steps instead of SSH
   */
  readonly ec2KeyName?: string;
  /**
   * Alarm thresholds.
   * @default - see each threshold
   */
  readonly alarmThresholds?: EmrAlarmThresholds;
  /**
   * What happens to the key and the log bucket the construct creates when the stack is deleted.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept on delete and replacement, deleted when the create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}
