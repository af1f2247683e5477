import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

import { PropsValidator, validateAtSynthAndNow } from '../../core/validation';
import { warnUnknownValue, wholeDuration } from '../private/glue-rules';
import { DEFAULT_SPARK_UI_PREFIX } from '../private/job-support';
import { GlueJob } from './glue-job';
import { GlueSparkCapacity, GlueSparkWorkerType } from './job-capacity';
import { GlueJobBookmark, GlueJobEnvironment, GlueJobOptions } from './job-options';

/**
 * Options of a PySpark ETL job (`glueetl`), without the shared environment.
 */
export interface GlueSparkEtlJobOptions extends GlueJobOptions {
  /**
   * Worker type and count. Spark jobs on Glue 2.0 and later take workers, never a DPU count.
   * @see https://docs.aws.amazon.com/glue/latest/dg/worker-types.html
   * @default GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2)
   */
  readonly capacity?: GlueSparkCapacity;
  /**
   * What the job does with its bookmark between runs.
   * @default GlueJobBookmark.ENABLED
   */
  readonly bookmark?: GlueJobBookmark;
  /**
   * Publish job metrics and observability metrics to CloudWatch (needed for the alarms on failed
   * tasks and driver memory).
   * @default true
   */
  readonly metricsEnabled?: boolean;
  /**
   * Write Spark UI event logs to the lake bucket under the environment's Spark UI prefix.
   * @default true
   */
  readonly sparkUiEnabled?: boolean;
  /**
   * Stream driver and executor logs to CloudWatch Logs while the job runs.
   * @default true
   */
  readonly continuousLogging?: boolean;
  /**
   * Standard or Flex execution. Flex runs on spare capacity at a lower price, may start later, and
   * needs Glue 3.0 or later with G.1X or G.2X workers.
   * @see https://docs.aws.amazon.com/glue/latest/dg/add-job.html
   * @default glue.ExecutionClass.STANDARD
   */
  readonly executionClass?: glue.ExecutionClass;
  /**
   * Python files or packages (`.py`, `.zip`, `.whl`) added to the job's Python path (`--extra-py-files`).
   * @default - none
   */
  readonly extraPythonFiles?: glue.Code[];
  /**
   * Send a delay notification when a run takes longer than this: a whole number of minutes, at least 1.
   * @see https://docs.aws.amazon.com/glue/latest/webapi/API_NotificationProperty.html
   * @default - no delay notification
   */
  readonly notifyDelayAfter?: Duration;
}

/**
 * Props of `GlueSparkEtlJob`.
 */
export interface GlueSparkEtlJobProps extends GlueSparkEtlJobOptions {
  /** The bucket, connection, security configuration and database the job works with. */
  readonly environment: GlueJobEnvironment;
}

/**
 * A PySpark ETL job that runs in the VPC through the environment's NETWORK connection, encrypted
 * by its security configuration, with its own least-privilege role, job bookmarks, job metrics,
 * continuous logging and Spark UI event logs.
 *
 * @example
 * new GlueSparkEtlJob(this, 'RawToParquet', {
 *   environment: pipeline.jobEnvironment,
 *   script: glue.Code.fromAsset('scripts/raw_to_parquet.py'),
 *   readPrefixes: ['raw/'],
 *   writePrefixes: ['curated/'],
 * });
 */
export class GlueSparkEtlJob extends GlueJob {
  /** The Glue job. */
  public readonly job: glue.IJob;
  /** Whether job metrics are published (the job-metric alarms need them). */
  public readonly metricsEnabled: boolean;

  constructor(scope: Construct, id: string, props: GlueSparkEtlJobProps) {
    super(scope, id, props, glue.JobType.ETL);
    const env = props.environment;
    const capacity = props.capacity ?? GlueSparkCapacity.workers(GlueSparkWorkerType.G_1X, 2);
    const glueVersion = props.glueVersion ?? glue.GlueVersion.V5_0;
    const executionClass = props.executionClass ?? glue.ExecutionClass.STANDARD;
    const bookmark = props.bookmark ?? GlueJobBookmark.ENABLED;
    this.metricsEnabled = props.metricsEnabled ?? true;
    const sparkUiEnabled = props.sparkUiEnabled ?? true;

    const reported = validateAtSynthAndNow(this, v => {
      validateSparkCapacity(v, capacity, glueVersion, executionClass);
      // NotificationProperty.NotifyDelayAfter: whole minutes, at least 1; the L2 throws on a fraction.
      // https://docs.aws.amazon.com/glue/latest/webapi/API_NotificationProperty.html
      wholeDuration(v, 'notifyDelayAfter', props.notifyDelayAfter, 'minutes', 1, 'NotifyDelayAfter');
    });
    warnUnknownValue(this, 'glueVersion', glueVersion, Object.values(glue.GlueVersion), 'Glue version');
    warnUnknownValue(this, 'capacity.workerType', capacity.workerType.name, KNOWN_WORKER_TYPES, 'Spark worker type', 'this library');

    const common: glue.PySparkEtlJobProps = {
      ...this._commonJobProps(props, glueVersion, {
        '--job-bookmark-option': bookmark,
        // Use the Data Catalog as the Spark SQL metastore, so `spark.sql` sees the crawled tables.
        '--enable-glue-datacatalog': 'true',
      }),
      workerConfiguration: { workerType: capacity.workerType.name as glue.WorkerType, numberOfWorkers: capacity.workerCount },
      enableMetrics: this.metricsEnabled,
      enableObservabilityMetrics: this.metricsEnabled,
      continuousLogging: { enabled: props.continuousLogging ?? true, quiet: true },
      sparkUI: sparkUiEnabled
        ? { bucket: env.bucket, prefix: `/${(env.sparkUiPrefix ?? DEFAULT_SPARK_UI_PREFIX).replace(/^\/+|\/+$/g, '')}` }
        : undefined,
      extraPythonFiles: props.extraPythonFiles,
      notifyDelayAfter: reported.has('notifyDelayAfter') ? undefined : props.notifyDelayAfter,
    };
    this.job = this._createJob(() => executionClass === glue.ExecutionClass.FLEX
      ? new glue.PySparkFlexEtlJob(this, 'Job', common)
      : new glue.PySparkEtlJob(this, 'Job', common));
  }

  /** Spark tasks that failed, across all runs (job metrics). */
  public metricFailedTasks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.driver.aggregate.numFailedTasks', glue.MetricType.COUNT, { statistic: 'Sum', ...props });
  }

  /** Spark tasks that completed, across all runs (job metrics). */
  public metricCompletedTasks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.driver.aggregate.numCompletedTasks', glue.MetricType.COUNT, { statistic: 'Sum', ...props });
  }

  /** Elapsed time of the runs, in milliseconds (job metrics). */
  public metricElapsedTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.driver.aggregate.elapsedTime', glue.MetricType.COUNT, { statistic: 'Maximum', ...props });
  }

  /** Fraction (0-1) of the driver's JVM heap in use (job metrics). */
  public metricDriverHeapUsage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.driver.jvm.heap.usage', glue.MetricType.GAUGE, { statistic: 'Maximum', ...props });
  }

  /** Bytes the job read from S3 (job metrics). */
  public metricS3BytesRead(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.ALL.s3.filesystem.read_bytes', glue.MetricType.COUNT, { statistic: 'Sum', ...props });
  }

  /** Bytes the job wrote to S3 (job metrics). */
  public metricS3BytesWritten(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metric('glue.ALL.s3.filesystem.write_bytes', glue.MetricType.COUNT, { statistic: 'Sum', ...props });
  }
}

/** The worker types of `GlueSparkWorkerType`; another name (from `GlueSparkWorkerType.of`) gets a warning. */
const KNOWN_WORKER_TYPES: string[] = [
  GlueSparkWorkerType.G_1X, GlueSparkWorkerType.G_2X, GlueSparkWorkerType.G_4X, GlueSparkWorkerType.G_8X, GlueSparkWorkerType.G_12X,
  GlueSparkWorkerType.G_16X, GlueSparkWorkerType.R_1X, GlueSparkWorkerType.R_2X, GlueSparkWorkerType.R_4X, GlueSparkWorkerType.R_8X,
].map(t => t.name);

/** Worker types Glue offers only from Glue 3.0 on (G.4X and larger, and the memory-optimized R types). */
const GLUE_3_WORKER_TYPES: string[] = KNOWN_WORKER_TYPES.filter(t => !['G.1X', 'G.2X'].includes(t));

function versionNumber(version: glue.GlueVersion): number {
  return parseFloat(version);
}

function validateSparkCapacity(v: PropsValidator, capacity: GlueSparkCapacity,
  glueVersion: glue.GlueVersion, executionClass: glue.ExecutionClass): void {
  // Glue 0.9 runs Python 2 only; a PySpark job of this library is a Python 3 job.
  // https://docs.aws.amazon.com/glue/latest/dg/release-notes.html
  v.check(glueVersion !== glue.GlueVersion.V0_9, 'glueVersion', glueVersion, 'must be 1.0 or later: Glue 0.9 runs Python 2 only');
  const workerType = capacity.workerType.name;
  // A Spark job needs a driver and at least one executor: Glue's minimum is 2 workers, for every worker type.
  // https://docs.aws.amazon.com/glue/latest/dg/add-job.html (Requested number of workers)
  v.wholeNumber('capacity.workerCount', capacity.workerCount, 2);
  // G.025X exists for Glue 3.0+ streaming jobs only, never for glueetl (GlueSparkWorkerType lists no such
  // member; only GlueSparkWorkerType.of can name it).
  // https://docs.aws.amazon.com/glue/latest/dg/worker-types.html
  v.check(workerType !== glue.WorkerType.G_025X, 'capacity.workerType', workerType,
    'is for streaming jobs only: use G.1X or larger for a Spark ETL job');
  // G.4X and larger, and the R types, need Glue 3.0 or later.
  // https://docs.aws.amazon.com/glue/latest/dg/worker-types.html
  if (GLUE_3_WORKER_TYPES.includes(workerType)) {
    v.check(versionNumber(glueVersion) >= 3, 'capacity.workerType', workerType,
      `requires glueVersion 3.0 or later (got ${glueVersion})`);
  }
  if (executionClass === glue.ExecutionClass.FLEX) {
    // "Flexible job runs are supported for jobs using AWS Glue version 3.0 or later and G.1X or G.2X worker types."
    // https://docs.aws.amazon.com/glue/latest/dg/add-job.html (Job execution class)
    v.check(versionNumber(glueVersion) >= 3, 'executionClass', executionClass, `requires glueVersion 3.0 or later (got ${glueVersion})`);
    v.check(workerType === 'G.1X' || workerType === 'G.2X', 'executionClass', executionClass,
      `requires capacity.workerType G.1X or G.2X (got ${workerType})`);
  }
}
