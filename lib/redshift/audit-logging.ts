import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The audit logs Redshift can write.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html
 */
export enum RedshiftAuditLog {
  /** Authentication attempts, connections and disconnections. */
  CONNECTION = 'connectionlog',
  /** Changes to database user definitions. */
  USER = 'userlog',
  /** Every query before it runs (needs `enable_user_activity_logging`, which the warehouse turns on). */
  USER_ACTIVITY = 'useractivitylog',
}

/**
 * Options of audit logging to CloudWatch Logs.
 */
export interface RedshiftCloudWatchAuditLoggingOptions {
  /**
   * The logs to export.
   * @default - all three: connection, user and user activity logs
   */
  readonly logs?: RedshiftAuditLog[];
  /**
   * How long the log groups keep events. The warehouse creates the log groups
   * (`/aws/redshift/cluster/<cluster identifier>/<log>`), encrypted with its key.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * Options of audit logging to Amazon S3.
 */
export interface RedshiftS3AuditLoggingOptions {
  /**
   * The bucket that receives the logs. Redshift audit logging supports only SSE-S3 (AES256)
   * encrypted buckets; the warehouse adds the bucket policy statements the Redshift service needs.
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing-manage-log-files.html
   */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of the log objects.
   * @default 'redshift-audit/'
   */
  readonly keyPrefix?: string;
  /**
   * The logs to export.
   * @default - all three: connection, user and user activity logs
   */
  readonly logs?: RedshiftAuditLog[];
}

/**
 * Where the warehouse writes its audit logs: CloudWatch Logs or an S3 bucket, never both.
 * @see https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html
 */
export class RedshiftAuditLogging {
  /** Audit logs to CloudWatch Logs, in log groups the warehouse creates with a retention and its KMS key. */
  public static cloudWatch(options: RedshiftCloudWatchAuditLoggingOptions = {}): RedshiftAuditLogging {
    return new RedshiftAuditLogging('cloudwatch', options.logs ?? ALL_LOGS, options.retention ?? logs.RetentionDays.ONE_YEAR);
  }

  /** Audit logs to an SSE-S3 encrypted bucket. */
  public static s3(options: RedshiftS3AuditLoggingOptions): RedshiftAuditLogging {
    return new RedshiftAuditLogging('s3', options.logs ?? ALL_LOGS, undefined, options.bucket, options.keyPrefix ?? 'redshift-audit/');
  }

  private constructor(
    /** `cloudwatch` or `s3`, as `LogDestinationType` spells it. */
    public readonly destinationType: string,
    /** The exported logs. */
    public readonly logs: RedshiftAuditLog[],
    /** Retention of the CloudWatch log groups. */
    public readonly retention?: logs.RetentionDays,
    /** The S3 bucket. */
    public readonly bucket?: s3.IBucket,
    /** The S3 key prefix. */
    public readonly keyPrefix?: string,
  ) {}
}

const ALL_LOGS = [RedshiftAuditLog.CONNECTION, RedshiftAuditLog.USER, RedshiftAuditLog.USER_ACTIVITY];
