import { Duration, Token } from 'aws-cdk-lib';

import { PropsValidator, Shown } from '../../core/validation';
import { FlinkLogLevel, FlinkMetricsLevel, FlinkPropertyGroup, FlinkRuntime } from '../options';

/** The props of a `FlinkApplication` with every default resolved, as the rules read them. */
export interface ResolvedFlinkProps {
  readonly runtime: FlinkRuntime;
  readonly applicationName?: string;
  readonly description: string;
  readonly codeKey: string;
  readonly parallelism: number;
  readonly parallelismPerKpu: number;
  readonly maxKpus: number;
  readonly checkpointInterval: Duration;
  readonly minPauseBetweenCheckpoints: Duration;
  readonly logLevel: FlinkLogLevel;
  readonly metricsLevel: FlinkMetricsLevel;
  readonly propertyGroups: FlinkPropertyGroup[];
  /** Subnet ids of the selection (undefined without a VPC). */
  readonly subnetIds?: string[];
  /** Why the subnet selection could not be made (aws-cdk-lib's message). */
  readonly subnetProblem?: string;
  readonly millisBehindLatest: Duration;
}

/** Property groups per application. */
export const MAX_PROPERTY_GROUPS = 50;

/**
 * Every limit Managed Service for Apache Flink enforces on a `FlinkApplication` when it is created, updated or
 * started, one check per rule, each citing its source.
 */
export function checkFlinkProps(v: PropsValidator, p: ResolvedFlinkProps): void {
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html (RuntimeEnvironment):
  // this construct runs Flink applications, not SQL-1_0 or ZEPPELIN-FLINK-* (Studio notebooks).
  v.matches('runtime', p.runtime.value, /^FLINK-\d+_\d+$/, 'a Flink runtime of the form FLINK-<major>_<minor>, for example FLINK-1_20');
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CreateApplication.html (ApplicationName, ApplicationDescription)
  v.matches('applicationName', p.applicationName, /^[a-zA-Z0-9_.-]{1,128}$/, '1 to 128 letters, digits, _, . or -');
  v.maxLength('description', p.description, 1024);
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_S3ContentLocation.html (FileKey)
  v.matches('code', p.codeKey, /^.{1,1024}$/s, 'an object key of 1 to 1024 characters');

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ParallelismConfiguration.html (Parallelism, ParallelismPerKPU: minimum 1)
  // https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html ("ParallelismPerKPU ... The default is 1, and the maximum is 8")
  const parallelismOk = wholeAtLeast(v, 'parallelism', p.parallelism, 1);
  v.integerInRange('parallelismPerKpu', p.parallelismPerKpu, 1, 8);
  const kpusOk = wholeAtLeast(v, 'maxKpus', p.maxKpus, 1);
  // "The default limit for KPUs for your application is 64" (an adjustable quota; maxKpus says what it is):
  // the service allocates Parallelism / ParallelismPerKPU KPUs and fails to start an application that needs more.
  // https://docs.aws.amazon.com/managed-flink/latest/java/how-scaling.html
  // https://docs.aws.amazon.com/general/latest/gr/ka.html
  if (parallelismOk && kpusOk && Number.isInteger(p.parallelismPerKpu) && p.parallelismPerKpu >= 1 && p.parallelismPerKpu <= 8
    && !Token.isUnresolved(p.parallelismPerKpu)) {
    const kpus = Math.ceil(p.parallelism / p.parallelismPerKpu);
    v.check(kpus <= p.maxKpus, 'parallelism', p.parallelism,
      `needs ${kpus} KPUs at parallelismPerKpu ${p.parallelismPerKpu}, more than maxKpus (${p.maxKpus}, the KPU quota per application): ` +
      `lower it, raise parallelismPerKpu, or request a quota increase and set maxKpus`);
  }

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
  // CheckpointInterval: Long, minimum 1; MinPauseBetweenCheckpoints: Long, minimum 0 (both in milliseconds).
  wholeMillisecondsAtLeast(v, 'checkpointInterval', p.checkpointInterval, 1);
  wholeMillisecondsAtLeast(v, 'minPauseBetweenCheckpoints', p.minPauseBetweenCheckpoints, 0);

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_MonitoringConfiguration.html (LogLevel, MetricsLevel)
  v.oneOf('logLevel', p.logLevel as string, Object.values(FlinkLogLevel));
  v.oneOf('metricsLevel', p.metricsLevel as string, Object.values(FlinkMetricsLevel));

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_EnvironmentProperties.html (PropertyGroups: at most 50)
  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_PropertyGroup.html
  v.countInRange('propertyGroups', p.propertyGroups, 0, MAX_PROPERTY_GROUPS);
  const ids = new Set<string>();
  p.propertyGroups.forEach((g, i) => {
    v.matches(`propertyGroups[${i}].id`, g.id, /^[a-zA-Z0-9_.-]{1,50}$/, '1 to 50 letters, digits, _, . or -');
    if (!Token.isUnresolved(g.id)) {
      v.check(!ids.has(g.id), `propertyGroups[${i}].id`, g.id, 'must be unique among the property groups');
      ids.add(g.id);
    }
    if (Token.isUnresolved(g.properties)) return;
    const entries = Object.entries(g.properties);
    v.check(entries.length >= 1 && entries.length <= 50, `propertyGroups[${i}].properties`, new Shown(`${entries.length} entries`),
      'must have between 1 and 50 entries');
    for (const [key, value] of entries) {
      v.check(key.length >= 1 && key.length <= 2048, `propertyGroups[${i}].properties`, key, 'keys must be 1 to 2048 characters long');
      if (!Token.isUnresolved(value)) {
        v.check(value.length >= 1 && value.length <= 2048, `propertyGroups[${i}].properties['${key}']`, value,
          'must be 1 to 2048 characters long');
      }
    }
  });

  // https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_VpcConfiguration.html
  // (one VPC configuration; SubnetIds 1-16; SecurityGroupIds 1-5, and the network gives one)
  if (p.subnetProblem !== undefined) {
    v.fail('network.subnets', undefined, `cannot be selected: ${p.subnetProblem}`);
  } else {
    v.countInRange('network.subnets', p.subnetIds, 1, 16);
  }

  // An alarm at 0 (GreaterThanThreshold on a lag that is never negative) fires on every record.
  if (!p.millisBehindLatest.isUnresolved()) {
    v.check(p.millisBehindLatest.toMilliseconds() > 0, 'alarmThresholds.millisBehindLatest', p.millisBehindLatest,
      'must be longer than 0: the alarm would fire whenever a record waits');
  }
}

/**
 * A whole number of at least `min`; returns whether it is one (false for a token, which is not checked). Parallelism is
 * an Integer of at least 1; the KPUs of an application (maxKpus) are a count, 64 by default.
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_ParallelismConfiguration.html
 */
function wholeAtLeast(v: PropsValidator, property: string, value: number, min: number): boolean {
  if (Token.isUnresolved(value)) return false;
  return v.check(Number.isInteger(value) && value >= min, property, value, `must be a whole number of at least ${min}`);
}

/**
 * A duration that is a whole number of milliseconds of at least `min` (the API takes milliseconds as a Long:
 * CheckpointInterval at least 1, MinPauseBetweenCheckpoints at least 0).
 * @see https://docs.aws.amazon.com/managed-flink/latest/apiv2/API_CheckpointConfiguration.html
 */
function wholeMillisecondsAtLeast(v: PropsValidator, property: string, value: Duration, min: number): void {
  if (value.isUnresolved()) return;
  const ms = value.toMilliseconds({ integral: false });
  v.check(Number.isInteger(ms) && ms >= min, property, new Shown(`${ms} milliseconds`),
    `must be a whole number of milliseconds of at least ${min}`);
}
