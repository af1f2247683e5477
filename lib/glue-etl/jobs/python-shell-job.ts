import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GlueJobCapacity, GlueJobEnvironment, GlueJobOptions } from './job-options';
import { validateAtSynthAndNow } from '../../core/validation';
import { DEFAULT_JOB_TIMEOUT, createJobRole, lakeArguments, userArguments, validateJobOptions } from '../private/job-support';
import { acknowledgeGlueRoleWildcards } from '../private/nag-acknowledgments';
import { warnUnknownValue } from '../private/glue-rules';

/**
 * Options of a Python shell job (`pythonshell`), without the shared environment.
 */
export interface GluePythonShellJobOptions extends GlueJobOptions {
  /**
   * DPUs of the job: Glue accepts exactly 0.0625 (1/16 DPU) or 1. Python shell jobs take no worker
   * type or count.
   * @see https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
   * @default GlueJobCapacity.dpu(0.0625)
   */
  readonly capacity?: GlueJobCapacity;
  /**
   * The set of preinstalled libraries (Python 3.9 only). `ANALYTICS` brings pandas, pyarrow,
   * awswrangler and others.
   * @see https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html#python-shell-supported-library
   * @default glue.LibrarySet.ANALYTICS
   */
  readonly librarySet?: glue.LibrarySet;
  /**
   * Extra Python libraries as `.py`, `.egg` or `.whl` files (`--extra-py-files`). The subnets of the
   * default network have no internet route, so libraries come from S3 or assets, not from PyPI.
   * @default - none
   */
  readonly libraries?: glue.Code[];
}

/**
 * Props of `GluePythonShellJob`.
 */
export interface GluePythonShellJobProps extends GluePythonShellJobOptions {
  /** The bucket, connection, security configuration and database the job works with. */
  readonly environment: GlueJobEnvironment;
}

/**
 * A Python shell job (Python 3.9) that runs in the VPC through the environment's NETWORK
 * connection, encrypted by its security configuration, with its own least-privilege role.
 *
 * @example
 * new GluePythonShellJob(this, 'CheckPartition', {
 *   environment: pipeline.jobEnvironment,
 *   script: glue.Code.fromAsset('scripts/check_partition.py'),
 *   readPrefixes: ['curated/'],
 * });
 */
export class GluePythonShellJob extends Construct {
  /** The Glue job. */
  public readonly job: glue.IJob;
  /** The job's own role. */
  public readonly role: iam.IRole;
  /** The job's name. */
  public readonly jobName: string;

  constructor(scope: Construct, id: string, props: GluePythonShellJobProps) {
    super(scope, id);
    const env = props.environment;
    const capacity = props.capacity ?? GlueJobCapacity.dpu(0.0625);
    const glueVersion = props.glueVersion ?? glue.GlueVersion.V3_0;
    const timeout = props.timeout ?? DEFAULT_JOB_TIMEOUT;

    const reported = validateAtSynthAndNow(this, v => {
      validateJobOptions(v, props, timeout);
      // Python shell jobs take MaxCapacity 0.0625 or 1 and no WorkerType/NumberOfWorkers.
      // https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
      if (capacity.maxCapacity === undefined) {
        v.fail('capacity', `GlueJobCapacity.workers(${capacity.workerType}, ${capacity.workerCount})`,
          'must be GlueJobCapacity.dpu(0.0625) or GlueJobCapacity.dpu(1): Python shell jobs take no worker type or count');
      } else {
        v.oneOf('capacity.dpu', capacity.maxCapacity, [0.0625, 1]);
      }
      // Python 3.9, the only Python shell runtime Glue still runs, comes with Glue version 3.0.
      // https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
      v.oneOf('glueVersion', glueVersion, [glue.GlueVersion.V3_0]);
    });
    warnUnknownValue(this, 'glueVersion', glueVersion, Object.values(glue.GlueVersion), 'Glue version');

    const role = createJobRole(this, env, props, 'python-jobs');
    this.role = role;

    this.job = new glue.PythonShellJob(this, 'Job', {
      script: props.script,
      role,
      jobName: props.jobName,
      description: props.description,
      glueVersion,
      pythonVersion: glue.PythonVersion.THREE_NINE,
      // Invalid values are reported by the validation above; render the default until then.
      maxCapacity: capacity.maxCapacity === 1 ? glue.MaxCapacity.DPU_1 : glue.MaxCapacity.DPU_1_16TH,
      // A timeout validation reported (a fraction of a minute makes the L2 throw) is left to Glue's default until fixed.
      timeout: reported.has('timeout') ? undefined : timeout,
      maxRetries: props.maxRetries ?? 0,
      maxConcurrentRuns: props.maxConcurrentRuns ?? 1,
      connections: [env.connection],
      securityConfiguration: env.securityConfiguration,
      librarySet: props.librarySet ?? glue.LibrarySet.ANALYTICS,
      extraPythonFiles: props.libraries,
      // Continuous logging is a Spark feature; Python shell jobs log to /aws-glue/python-jobs/*.
      continuousLogging: { enabled: false },
      defaultArguments: {
        ...userArguments(props.arguments),
        ...lakeArguments(env),
      },
    });
    this.jobName = this.job.jobName;

    acknowledgeGlueRoleWildcards(role);
  }

  /** Runs of this job that failed. */
  public metricFailure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metricFailure(props);
  }

  /** Runs of this job that timed out. */
  public metricTimeout(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metricTimeout(props);
  }

  /** Runs of this job that succeeded. */
  public metricSuccess(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.job.metricSuccess(props);
  }
}
