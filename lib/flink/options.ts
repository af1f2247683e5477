import { Duration } from 'aws-cdk-lib';

/**
 * The Apache Flink runtime a Managed Service for Apache Flink application runs on (`RuntimeEnvironment`).
 *
 * Managed Service for Apache Flink keeps adding Flink versions; pick one of the statics or write any value of the
 * API's `RuntimeEnvironment` with `of()`. Only Flink runtimes (`FLINK-<major>_<minor>`) are accepted: SQL and Studio
 * (Zeppelin) applications are other kinds of application.
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html#APIReference-CreateApplication-request-RuntimeEnvironment
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-in-place-version-upgrades.html
 */
export class FlinkRuntime {
  /** Apache Flink 1.20, the newest 1.x runtime: the default. */
  public static readonly FLINK_1_20 = new FlinkRuntime('FLINK-1_20');
  /** Apache Flink 1.19. */
  public static readonly FLINK_1_19 = new FlinkRuntime('FLINK-1_19');
  /** Apache Flink 1.18. */
  public static readonly FLINK_1_18 = new FlinkRuntime('FLINK-1_18');

  /**
   * Any Flink runtime by its `RuntimeEnvironment` value, for example `FLINK-1_15` (checked at synth to be of the form
   * `FLINK-<major>_<minor>`). Flink 2.x runtimes are major upgrades with breaking changes: the restart alarm then
   * watches `numRestarts`, which replaces `fullRestarts` there.
   * @see https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html
   */
  public static of(value: string): FlinkRuntime {
    return new FlinkRuntime(value);
  }

  private constructor(
    /** The `RuntimeEnvironment` value. */
    public readonly value: string,
  ) {}

  /** The Flink major version (1, 2, …), or undefined when `value` is not of the form `FLINK-<major>_<minor>`. */
  public get majorVersion(): number | undefined {
    const m = /^FLINK-(\d+)_\d+$/.exec(this.value);
    return m ? Number(m[1]) : undefined;
  }
}

/**
 * How much the application logs to its CloudWatch log stream (`MonitoringConfiguration.LogLevel`).
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_MonitoringConfiguration.html
 */
export enum FlinkLogLevel {
  /** Errors only. */
  ERROR = 'ERROR',
  /** Warnings and errors. */
  WARN = 'WARN',
  /** Informational messages, warnings and errors: the default. */
  INFO = 'INFO',
  /** Everything, for troubleshooting only: it costs log ingestion and can slow the application. */
  DEBUG = 'DEBUG',
}

/**
 * Which metrics the application publishes to CloudWatch (`MonitoringConfiguration.MetricsLevel`). Finer levels cost
 * more: `PARALLELISM` publishes per parallel subtask and is not recommended above a parallelism of 64.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/monitoring-metrics.html
 */
export enum FlinkMetricsLevel {
  /** Application-level metrics only: the default, and all the alarms of this construct need. */
  APPLICATION = 'APPLICATION',
  /** Plus task-level metrics. */
  TASK = 'TASK',
  /** Plus operator-level metrics. */
  OPERATOR = 'OPERATOR',
  /** Plus metrics per parallel subtask. */
  PARALLELISM = 'PARALLELISM',
}

/**
 * One group of runtime properties the application reads (`EnvironmentProperties.PropertyGroups`), for example the
 * name of its input stream: `KinesisAnalyticsRuntime.getApplicationProperties().get(id)` in the Java API.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/how-properties.html
 */
export interface FlinkPropertyGroup {
  /** The group's id: 1 to 50 letters, digits, `_`, `.` or `-`. */
  readonly id: string;
  /** Its properties: 1 to 50 entries, each key and value 1 to 2048 characters. */
  readonly properties: { [key: string]: string };
}

/**
 * Thresholds of the alarms of a `FlinkApplication`.
 */
export interface FlinkAlarmThresholds {
  /**
   * How far behind the head of the input stream the application's Kinesis source may fall (`millisBehindLatest`,
   * maximum over one minute) for five consecutive minutes before the alarm fires. Keep it well under the stream's
   * retention: records older than the retention expire unread.
   * @default Duration.minutes(1)
   */
  readonly millisBehindLatest?: Duration;
}
