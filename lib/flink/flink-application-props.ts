import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

import { MonitoringOptions } from '../core/monitoring';
import { AnalyticsNetwork } from '../core/network';
import { FlinkApplicationCode } from './code';
import { FlinkInput } from './input';
import { FlinkAlarmThresholds, FlinkLogLevel, FlinkMetricsLevel, FlinkPropertyGroup, FlinkRuntime } from './options';

/**
 * Props of `FlinkApplication`.
 */
export interface FlinkApplicationProps extends MonitoringOptions {
  /** The application code: a JAR or zip, from a local file (asset) or a bucket. */
  readonly code: FlinkApplicationCode;
  /** The Kinesis data stream the application reads. */
  readonly input: FlinkInput;
  /**
   * The Flink runtime.
   * @default FlinkRuntime.FLINK_1_20
   */
  readonly runtime?: FlinkRuntime;
  /**
   * Name of the application, unique in the account and region: 1 to 128 letters, digits, `_`, `.` or `-`.
   * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html#APIReference-CreateApplication-request-ApplicationName
   * @default - a name made from the construct path, so that the role's trust policy can name the one application
   */
  readonly applicationName?: string;
  /**
   * Description of the application, at most 1024 characters.
   * @default - names the construct path
   */
  readonly description?: string;
  /**
   * Initial parallelism: how many parallel tasks every operator runs, unless the code sets its own.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html
   * @default 1
   */
  readonly parallelism?: number;
  /**
   * Parallel tasks per Kinesis Processing Unit (1 vCPU, 4 GB memory, 50 GB running storage), 1 to 8. The service
   * allocates `ceil(parallelism / parallelismPerKpu)` KPUs (plus one for orchestration). More than 1 suits code
   * that waits on I/O.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html
   * @default 1
   */
  readonly parallelismPerKpu?: number;
  /**
   * Whether the service raises the parallelism under load (up to `parallelismPerKpu` times the KPU quota) and lowers
   * it back to `parallelism` afterwards. Each rescale restarts the job from a snapshot.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling-auto.html
   * @default true
   */
  readonly autoScalingEnabled?: boolean;
  /**
   * The account's KPU quota per application ("Kinesis Processing Units per application", 64 by default, adjustable):
   * synth rejects a `parallelism` that needs more KPUs than this. Raise it here after the quota increase is granted.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html
   * @see https://docs.aws.amazon.com/general/latest/gr/ka.html
   * @default 64
   */
  readonly maxKpus?: number;
  /**
   * Time between checkpoints, a whole number of milliseconds of at least 1. Checkpoints are always enabled: they are
   * how the application recovers its state and its position in the stream after a failure.
   * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
   * @default Duration.minutes(1)
   */
  readonly checkpointInterval?: Duration;
  /**
   * Minimum time after a checkpoint completes before the next one starts, a whole number of milliseconds (0 or more).
   * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
   * @default Duration.seconds(5)
   */
  readonly minPauseBetweenCheckpoints?: Duration;
  /**
   * Whether the service takes a snapshot (a savepoint) when the application stops or is updated, and restores from
   * the latest one when it starts. Without snapshots an update or restart loses the application's state.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-fault-snapshot.html
   * @default true
   */
  readonly snapshotsEnabled?: boolean;
  /**
   * Verbosity of the application's log stream.
   * @default FlinkLogLevel.INFO
   */
  readonly logLevel?: FlinkLogLevel;
  /**
   * Granularity of the metrics published to CloudWatch.
   * @default FlinkMetricsLevel.APPLICATION
   */
  readonly metricsLevel?: FlinkMetricsLevel;
  /**
   * Runtime properties the code reads, at most 50 groups.
   * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_EnvironmentProperties.html
   * @default - none
   */
  readonly propertyGroups?: FlinkPropertyGroup[];
  /**
   * Run the application in a VPC, to reach resources that only the VPC reaches (a database, an MSK cluster). The
   * application then reaches Kinesis, S3, CloudWatch and CloudWatch Logs only through the VPC, and the role gets the
   * EC2 network-interface permissions the service documents for VPC applications.
   * - `AnalyticsNetwork.newVpc({ availabilityZones })`: a new VPC; without NAT (the default) its isolated subnets get
   *   an S3 gateway endpoint and Kinesis Data Streams, CloudWatch Logs and CloudWatch interface endpoints;
   * - `AnalyticsNetwork.fromVpc(vpc, { subnets, securityGroup })`: 1 to 16 subnets (default: the private subnets with
   *   egress, or the isolated ones when the VPC has none; give those a NAT gateway or the endpoints above), and the
   *   application's security group (default: a new one that allows all outbound traffic and no inbound traffic).
   * `publicEndpoint` does not apply.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/vpc.html
   * @default - no VPC: the application runs in the service's network and reaches AWS services on their public endpoints
   */
  readonly network?: AnalyticsNetwork;
  /**
   * Key that encrypts the application's log group.
   * @default - a new customer-managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long the application's log events are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the application (with its snapshots), its log group and the key this construct creates when
   * the stack is deleted or they are replaced. `DESTROY` takes effect only with the context flag
   * `cdk-analytics-blueprints:removeDataOnDestroy`. A retained application that is running keeps being billed:
   * stop it (`aws kinesisanalyticsv2 stop-application`) before `cdk destroy`.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Thresholds of the alarms.
   * @default - see each threshold
   */
  readonly alarmThresholds?: FlinkAlarmThresholds;
}
