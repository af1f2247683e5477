import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeWildcards } from '../../core/nag';
import { validateAtSynthAndNow } from '../../core/validation';
import { GLUE_WILDCARD_REASONS } from '../private/glue-permissions';
import { createJobRole, DEFAULT_JOB_TIMEOUT, lakeArguments, userArguments, validateJobOptions } from '../private/job-support';
import { GlueJobEnvironment, GlueJobOptions } from './job-options';

/**
 * What every Glue job of this library is built from: its options and the environment it runs in.
 */
export interface GlueJobProps extends GlueJobOptions {
  /** The bucket, connection, security configuration and database the job works with. */
  readonly environment: GlueJobEnvironment;
}

/**
 * What a Spark ETL job and a Python shell job share: a least-privilege role of their own with exactly
 * the lake prefixes they read and write, the environment's NETWORK connection and security
 * configuration, the shared checks (name, timeout, retries, concurrency, arguments, prefixes), and the
 * run metrics the pipeline alarms on. Use `GlueSparkEtlJob` or `GluePythonShellJob`.
 */
export abstract class GlueJob extends Construct {
  /** The Glue job. */
  public abstract readonly job: glue.IJob;
  /** The job's own role. */
  public readonly role: iam.IRole;

  private readonly managedRole: ManagedPolicyRole;
  private readonly timeoutReported: boolean;

  /**
   * @param jobType the job's command: `glue.JobType.ETL` or `glue.JobType.PYTHON_SHELL` (where Glue writes its logs)
   */
  protected constructor(scope: Construct, id: string, props: GlueJobProps, jobType: glue.JobType) {
    super(scope, id);
    const timeout = props.timeout ?? DEFAULT_JOB_TIMEOUT;
    const reported = validateAtSynthAndNow(this, v => validateJobOptions(v, props, timeout));
    this.timeoutReported = reported.has('timeout');
    this.managedRole = createJobRole(this, props.environment, props, jobType === glue.JobType.PYTHON_SHELL ? 'python-jobs' : 'jobs');
    this.role = this.managedRole;
  }

  /** The job's name. */
  public get jobName(): string {
    return this.job.jobName;
  }

  /** Runs of this job that failed (from the EventBridge rule the job's `metricFailure` creates). */
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

  /**
   * The job properties both kinds of job render the same way: script, role, names, limits, the network
   * connection, the security configuration, and the arguments (the user's, the lake's, then `managedArguments`).
   * @internal
   */
  protected _commonJobProps(props: GlueJobProps, glueVersion: glue.GlueVersion,
    managedArguments: { [key: string]: string }): glue.JobProps {
    return {
      script: props.script,
      role: this.role,
      jobName: props.jobName,
      description: props.description,
      glueVersion,
      // A timeout validation reported (a fraction of a minute makes the L2 throw) is left to Glue's default until fixed.
      timeout: this.timeoutReported ? undefined : props.timeout ?? DEFAULT_JOB_TIMEOUT,
      maxRetries: props.maxRetries ?? 0,
      maxConcurrentRuns: props.maxConcurrentRuns ?? 1,
      connections: [props.environment.connection],
      securityConfiguration: props.environment.securityConfiguration,
      defaultArguments: {
        ...userArguments(props.arguments),
        ...lakeArguments(props.environment),
        ...managedArguments,
      },
    };
  }

  /**
   * Creates the aws-cdk-lib job with `create`, giving ids to the statements it grants the role (the Spark UI prefix, the
   * scripts in the asset bucket), then acknowledges the role's wildcards by statement id.
   * @internal
   */
  protected _createJob<T extends glue.IJob>(create: () => T): T {
    const job = this.managedRole._nameStatements(
      { WriteSparkUiLogs: 's3:PutObject', ReadJobScripts: 's3:GetObject*', UseLakeKey: 'kms:Decrypt' }, create);
    acknowledgeWildcards(this.managedRole, GLUE_WILDCARD_REASONS);
    return job;
  }
}
