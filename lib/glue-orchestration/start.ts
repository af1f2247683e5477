import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Options of a state machine started by objects created in a bucket.
 */
export interface GlueEtlS3StartOptions {
  /**
   * Only objects under this key prefix start a run.
   * @default - any object of the bucket
   */
  readonly prefix?: string;
}

/**
 * How a `GlueEtlStateMachine` starts: on demand, on a schedule, or when objects are created in a bucket. Scheduled
 * and S3 starts are EventBridge rules whose role may start this state machine only.
 */
export class GlueEtlStart {
  /** Runs start when someone starts them (console, `aws stepfunctions start-execution`, another workflow). */
  public static onDemand(): GlueEtlStart {
    return new GlueEtlStart('ON_DEMAND');
  }

  /**
   * Runs start on a schedule, for example `events.Schedule.cron({ minute: '30', hour: '1' })` (UTC).
   */
  public static schedule(schedule: events.Schedule): GlueEtlStart {
    return new GlueEtlStart('SCHEDULE', schedule);
  }

  /**
   * A run starts for each object created in `bucket` (EventBridge `Object Created`, one execution per object; the
   * object's bucket and key are the execution input). The bucket must send its events to EventBridge: the state
   * machine turns that on for a bucket of this app, and warns for an imported one.
   */
  public static s3ObjectCreated(bucket: s3.IBucket, options: GlueEtlS3StartOptions = {}): GlueEtlStart {
    return new GlueEtlStart('S3', undefined, bucket, options.prefix);
  }

  /** `ON_DEMAND`, `SCHEDULE` or `S3`. */
  public readonly kind: string;
  /** The schedule of a scheduled start. */
  public readonly eventSchedule?: events.Schedule;
  /** The bucket of an S3 start. */
  public readonly bucket?: s3.IBucket;
  /** The key prefix of an S3 start. */
  public readonly prefix?: string;

  private constructor(kind: string, schedule?: events.Schedule, bucket?: s3.IBucket, prefix?: string) {
    this.kind = kind;
    this.eventSchedule = schedule;
    this.bucket = bucket;
    this.prefix = prefix;
  }
}
