import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';

import { validateAtSynth } from '../../core/validation';
import { warnUnknownValue } from '../private/glue-rules';
import { GlueJob } from './glue-job';
import { GluePythonShellCapacity } from './job-capacity';
import { GlueJobEnvironment, GlueJobOptions } from './job-options';

/**
 * Options of a Python shell job (`pythonshell`), without the shared environment.
 */
export interface GluePythonShellJobOptions extends GlueJobOptions {
  /**
   * DPUs of the job: Glue accepts exactly 1/16 DPU or 1 DPU, and no worker type or count.
   * @see https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
   * @default GluePythonShellCapacity.SIXTEENTH_DPU
   */
  readonly capacity?: GluePythonShellCapacity;
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
export class GluePythonShellJob extends GlueJob {
  /** The Glue job. */
  public readonly job: glue.IJob;

  constructor(scope: Construct, id: string, props: GluePythonShellJobProps) {
    super(scope, id, props, glue.JobType.PYTHON_SHELL);
    const capacity = props.capacity ?? GluePythonShellCapacity.SIXTEENTH_DPU;
    const glueVersion = props.glueVersion ?? glue.GlueVersion.V3_0;

    validateAtSynth(this, v => {
      // Python 3.9, the only Python shell runtime Glue still runs, comes with Glue version 3.0.
      // https://docs.aws.amazon.com/glue/latest/dg/add-job-python.html
      v.oneOf('glueVersion', glueVersion, [glue.GlueVersion.V3_0]);
    });
    warnUnknownValue(this, 'glueVersion', glueVersion, Object.values(glue.GlueVersion), 'Glue version');

    this.job = this._createJob(() => new glue.PythonShellJob(this, 'Job', {
      ...this._commonJobProps(props, glueVersion, {}),
      pythonVersion: glue.PythonVersion.THREE_NINE,
      maxCapacity: capacity.dpu === 1 ? glue.MaxCapacity.DPU_1 : glue.MaxCapacity.DPU_1_16TH,
      librarySet: props.librarySet ?? glue.LibrarySet.ANALYTICS,
      extraPythonFiles: props.libraries,
      // Continuous logging is a Spark feature; Python shell jobs log to /aws-glue/python-jobs/*.
      continuousLogging: { enabled: false },
    }));
  }
}
