import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { PropsValidator } from '../../core/validation';
import { GlueJobEnvironment, GlueJobOptions } from '../jobs/job-options';
import { grantCatalog, grantGlueRuntime, JOB_CATALOG_ACTIONS } from './glue-permissions';
import { checkGlueName } from './glue-rules';

/** Default key prefix of the jobs' temporary files. */
export const DEFAULT_TEMPORARY_PREFIX = 'glue/temporary/';
/** Default key prefix of the Spark UI event logs. */
export const DEFAULT_SPARK_UI_PREFIX = 'glue/spark-ui/';
/** Default job timeout: long enough for a batch, short enough that a hung run does not burn DPU-hours for 2 days. */
export const DEFAULT_JOB_TIMEOUT = Duration.hours(2);

/** Job arguments the constructs set themselves; `arguments` may not set them. */
export const MANAGED_ARGUMENTS = [
  '--job-bookmark-option', '--TempDir', '--lake_bucket', '--lake_database', '--enable-glue-datacatalog', '--enable-metrics', '--enable-observability-metrics',
  '--enable-spark-ui', '--spark-event-logs-path', '--enable-continuous-cloudwatch-log', '--enable-continuous-log-filter',
  '--continuous-log-logGroup', '--continuous-log-logStreamPrefix', '--continuous-log-conversionPattern', '--job-language',
  '--extra-py-files', '--extra-jars', '--extra-files', '--user-jars-first', 'library-set',
  // Reserved by Glue itself.
  '--debug', '--mode', '--JOB_NAME', '--endpoint',
];

/**
 * Creates a job's own role: the Glue runtime permissions, the catalog database, the temporary prefix
 * and exactly the lake prefixes the job reads and writes. Every statement lands in one managed policy.
 */
export function createJobRole(scope: Construct, env: GlueJobEnvironment, options: GlueJobOptions,
  kind: 'jobs' | 'python-jobs'): ManagedPolicyRole {
  // No aws:SourceAccount/aws:SourceArn condition on the trust policy: Glue's documentation gives the job and crawler
  // role trust policy without conditions and does not document these keys on its AssumeRole calls (unlike Firehose,
  // EventBridge or CloudWatch Logs); a condition the service does not meet would make every run fail to start.
  // https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html
  const role = new ManagedPolicyRole(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
    description: `Runs the Glue job ${scope.node.path}`,
  });
  grantGlueRuntime(role, kind, env.connection, env.encryptionKey);
  grantCatalog(role, env.database, JOB_CATALOG_ACTIONS);
  role._nameStatements({ WriteTemporary: 's3:PutObject', UseLakeKey: 'kms:Decrypt' },
    () => env.bucket.grantReadWrite(role, `${env.temporaryPrefix ?? DEFAULT_TEMPORARY_PREFIX}*`));
  for (const prefix of options.readPrefixes ?? []) {
    role._nameStatements({ ReadSources: 's3:GetObject*', UseLakeKey: 'kms:Decrypt' }, () => env.bucket.grantRead(role, `${prefix}*`));
  }
  for (const prefix of options.writePrefixes ?? []) {
    role._nameStatements({ WriteTargets: 's3:PutObject', UseLakeKey: 'kms:Decrypt' }, () => env.bucket.grantReadWrite(role, `${prefix}*`));
  }
  return role;
}

/** The checks every job shares: timeout, retries, concurrency, arguments and prefixes. */
export function validateJobOptions(v: PropsValidator, options: GlueJobOptions, timeout: Duration): void {
  checkGlueName(v, 'jobName', options.jobName);
  // Glue rejects a timeout of 0 and anything over 7 days (10080 minutes).
  // https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html (Timeout)
  v.durationInRange('timeout', timeout, Duration.minutes(1), Duration.minutes(10080), 'minutes');
  if (!timeout.isUnresolved()) {
    const minutes = timeout.toMinutes({ integral: false });
    v.check(Number.isInteger(minutes), 'timeout', timeout, 'must be a whole number of minutes (Glue takes the timeout in minutes)');
  }
  // MaxRetries is a count of retries; the API rejects negative values.
  // https://docs.aws.amazon.com/glue/latest/webapi/API_Job.html (MaxRetries)
  v.wholeNumber('maxRetries', options.maxRetries, 0);
  // ExecutionProperty.MaxConcurrentRuns: at least 1 run; Glue returns an error past the account quota.
  // https://docs.aws.amazon.com/glue/latest/webapi/API_ExecutionProperty.html
  v.wholeNumber('maxConcurrentRuns', options.maxConcurrentRuns, 1);
  for (const key of Object.keys(options.arguments ?? {})) {
    if (Token.isUnresolved(key)) continue;
    v.check(!MANAGED_ARGUMENTS.includes(key), `arguments['${key}']`, undefined,
      'is set by the construct or reserved by Glue: use the dedicated prop (bookmark, capacity, metricsEnabled, sparkUiEnabled, ...) instead');
  }
  for (const [name, prefixes] of [['readPrefixes', options.readPrefixes], ['writePrefixes', options.writePrefixes]] as const) {
    (prefixes ?? []).forEach((prefix, i) => {
      if (Token.isUnresolved(prefix)) return;
      v.check(prefix.length > 0 && !prefix.startsWith('/') && !prefix.startsWith('s3://'), `${name}[${i}]`, prefix,
        "must be a non-empty S3 key prefix relative to the bucket, without a leading '/' or 's3://'");
    });
  }
}

/** The arguments every job gets: where the lake and its catalog database are. */
export function lakeArguments(env: GlueJobEnvironment): { [key: string]: string } {
  return {
    '--TempDir': s3Url(env.bucket.bucketName, env.temporaryPrefix ?? DEFAULT_TEMPORARY_PREFIX),
    '--lake_bucket': env.bucket.bucketName,
    '--lake_database': env.database.databaseName,
  };
}

/**
 * The user's arguments without the ones the constructs manage: those are reported by validation (with
 * the property name) instead of making the L2 throw mid-construction.
 */
export function userArguments(args: { [key: string]: string } | undefined): { [key: string]: string } {
  return Object.fromEntries(Object.entries(args ?? {}).filter(([key]) => Token.isUnresolved(key) || !MANAGED_ARGUMENTS.includes(key)));
}

/** `s3://bucket/prefix` for an argument Glue reads as an S3 URL. */
export function s3Url(bucketName: string, prefix: string): string {
  return `s3://${bucketName}/${prefix}`;
}
