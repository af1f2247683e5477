import { EmrApplication } from './release';

/** What EMR does when a step fails. */
export enum EmrStepActionOnFailure {
  /** Run the next step. */
  CONTINUE = 'CONTINUE',
  /** Cancel the remaining steps and keep the cluster waiting. */
  CANCEL_AND_WAIT = 'CANCEL_AND_WAIT',
  /** Terminate the cluster (for transient clusters). */
  TERMINATE_CLUSTER = 'TERMINATE_CLUSTER',
}

/** Options every step has. */
export interface EmrStepOptions {
  /** Name of the step (at most 256 characters). */
  readonly name: string;
  /**
   * What EMR does when the step fails.
   * @default EmrStepActionOnFailure.CONTINUE
   */
  readonly actionOnFailure?: EmrStepActionOnFailure;
}

/** A Spark application submitted with `spark-submit`. */
export interface EmrSparkSubmitStepProps extends EmrStepOptions {
  /** S3 URI of the application (`s3://bucket/app.py` or a jar). */
  readonly entryPoint: string;
  /**
   * Arguments of the application.
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * Options for `spark-submit` itself, before the entry point (for example `['--conf', 'spark.x=y']`).
   * @default ['--deploy-mode', 'cluster']
   */
  readonly sparkSubmitOptions?: string[];
}

/** A Hive script run with `hive-script`. */
export interface EmrHiveScriptStepProps extends EmrStepOptions {
  /** S3 URI of the HiveQL script. */
  readonly script: string;
  /**
   * Variables passed as `-d NAME=value`.
   * @default - none
   */
  readonly variables?: { [name: string]: string };
}

/** Any command run by EMR's `command-runner.jar`. */
export interface EmrCommandStepProps extends EmrStepOptions {
  /** The command and its arguments. */
  readonly command: string[];
}

/**
 * A typed EMR step that the cluster runs after it starts.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-commandrunner.html
 */
export class EmrStep {
  /** Submits a Spark application. Needs the Spark application on the cluster. */
  public static sparkSubmit(props: EmrSparkSubmitStepProps): EmrStep {
    return new EmrStep(props.name, props.actionOnFailure ?? EmrStepActionOnFailure.CONTINUE,
      ['spark-submit', ...(props.sparkSubmitOptions ?? ['--deploy-mode', 'cluster']), props.entryPoint, ...(props.arguments ?? [])],
      EmrApplication.SPARK, props.entryPoint);
  }

  /** Runs a Hive script. Needs the Hive application on the cluster. */
  public static hiveScript(props: EmrHiveScriptStepProps): EmrStep {
    const vars = Object.entries(props.variables ?? {}).flatMap(([k, v]) => ['-d', `${k}=${v}`]);
    return new EmrStep(props.name, props.actionOnFailure ?? EmrStepActionOnFailure.CONTINUE,
      ['hive-script', '--run-hive-script', '--args', '-f', props.script, ...vars], EmrApplication.HIVE, props.script);
  }

  /** Runs any command through `command-runner.jar`. */
  public static command(props: EmrCommandStepProps): EmrStep {
    return new EmrStep(props.name, props.actionOnFailure ?? EmrStepActionOnFailure.CONTINUE, props.command);
  }

  private constructor(
    /** Name of the step. */
    public readonly name: string,
    /** What EMR does when the step fails. */
    public readonly actionOnFailure: EmrStepActionOnFailure,
    /** The `command-runner.jar` arguments. */
    public readonly args: string[],
    /** The application the step needs, if any. */
    public readonly requiredApplication?: EmrApplication,
    /** The S3 URI the step reads its code from, if any. */
    public readonly scriptUri?: string,
  ) {}
}

/**
 * A script EMR runs on every node before the applications start (installing libraries, agents...).
 * The nodes read it with their instance profile, so keep it in one of the cluster's `dataBuckets`.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-bootstrap.html
 */
export interface EmrBootstrapAction {
  /** Name of the action. */
  readonly name: string;
  /** S3 URI of the script (`s3://bucket/key`). */
  readonly scriptUri: string;
  /**
   * Arguments of the script.
   * @default - none
   */
  readonly args?: string[];
}
