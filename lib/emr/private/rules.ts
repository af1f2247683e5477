import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

import { PropsValidator, Shown } from '../../core/validation';
import { EmrCapacity } from '../capacity';
import type { EmrAlarmThresholds } from '../cluster-props';
import { EmrDataAccess, EmrDataLocation } from '../data-location';
import { EmrConfiguration } from '../release';
import { EmrManagedScaling } from '../scaling';
import { EmrBootstrapAction, EmrStep, EmrStepActionOnFailure } from '../step';
import { fleetTargets, hasAutomaticScaling, validateCapacity } from './instances';
import { isKnownRelease, KNOWN_APPLICATIONS, NEWEST_KNOWN_RELEASE, parseRelease, releaseAtLeast } from './release';

/** The props of an `EmrCluster` with every default resolved, as the rules read them. */
export interface ResolvedClusterProps {
  readonly clusterName?: string;
  readonly release: string;
  readonly appNames: string[];
  readonly configurations: EmrConfiguration[];
  /** Contradictions between user configurations and the Glue switch. */
  readonly configurationConflicts: string[];
  readonly capacity: EmrCapacity;
  readonly managedScaling?: EmrManagedScaling;
  readonly idleTimeout: Duration;
  readonly keepAlive: boolean;
  readonly steps: EmrStep[];
  readonly bootstrapActions: EmrBootstrapAction[];
  readonly logPrefix: string;
  readonly dataLocations: EmrDataLocation[];
  readonly glueDataCatalog: boolean;
  /** The names of the databases given. */
  readonly glueDatabases: string[];
  readonly glueAllDatabases: boolean;
  readonly glueDeletes: boolean;
  readonly requireImdsV2: boolean;
  readonly kerberos: boolean;
  readonly ec2KeyName?: string;
  /** The zones of `AnalyticsNetwork.newVpc`, when the cluster creates its VPC in given zones. */
  readonly newVpcZones?: string[];
  readonly alarmThresholds: EmrAlarmThresholds;
}

const known = (n: number | undefined): n is number => n !== undefined && !Token.isUnresolved(n);

/** The characters the EMR API accepts in names (`XmlStringMaxLen256`): no control characters but tab and newlines. */
const XML_STRING = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]*$/;

/**
 * Every limit EMR, CloudFormation or CloudWatch enforces at deploy or run time on an `EmrCluster`, one check
 * per rule, each citing its source. The capacity rules live next to the capacity rendering (`instances.ts`).
 */
export function checkClusterProps(v: PropsValidator, p: ResolvedClusterProps): void {
  checkRelease(v, p);
  checkApplications(v, p);
  validateCapacity(v, p.capacity, p.release);
  checkTermination(v, p);
  checkManagedScaling(v, p);
  checkSteps(v, p);
  checkAccess(v, p);
  checkAlarmThresholds(v, p.alarmThresholds);

  // Cluster names: 1 to 256 characters of the API's XML string pattern.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html (Name)
  if (p.clusterName !== undefined && !Token.isUnresolved(p.clusterName)) {
    v.check(p.clusterName.length >= 1 && p.clusterName.length <= 256 && XML_STRING.test(p.clusterName), 'clusterName', p.clusterName,
      'must be 1 to 256 characters, without control characters');
  }
  // EC2 key pair names: up to 255 ASCII characters.
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateKeyPair.html (KeyName)
  v.matches('ec2KeyName', p.ec2KeyName, /^[\x20-\x7E]{1,255}$/, 'the name of an EC2 key pair (1 to 255 ASCII characters)');
  // The zones of a VPC the construct creates: two at least, so that an instance fleet can move.
  v.countInRange('network.availabilityZones', p.newVpcZones, 2, 6);
  checkPrefix(v, 'logPrefix', p.logPrefix);
}

function checkRelease(v: PropsValidator, p: ResolvedClusterProps): void {
  const release = p.release;
  // Release labels are emr-x.y.z. https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html
  v.matches('releaseLabel', release, /^emr-\d+\.\d+\.\d+$/, "a release label such as 'emr-7.13.0'");
  if (Token.isUnresolved(release) || parseRelease(release) === undefined) return;
  // The construct always encrypts the logs it archives to S3 (LogEncryptionKmsKeyId), which EMR supports
  // from 5.30.0, excluding 6.0.0.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_RunJobFlow.html (LogEncryptionKmsKeyId)
  const logEncryption = releaseAtLeast(release, { 5: '5.30.0', 6: '6.1.0' });
  v.check(logEncryption, 'releaseLabel', release,
    'must be emr-5.30.0 or later, excluding emr-6.0.0: the cluster encrypts its S3 logs with KMS (LogEncryptionKmsKeyId)');
  // IMDSv2-only nodes through the security configuration: 5.32.0 / 6.2.0 and later.
  // https://aws.amazon.com/about-aws/whats-new/2021/03/amazon-emr-now-supports-amazon-ec2-instance-metadata-service-v2/
  if (p.requireImdsV2 && logEncryption) {
    v.check(releaseAtLeast(release, { 5: '5.32.0', 6: '6.2.0' }), 'releaseLabel', release,
      'cannot make the nodes IMDSv2-only (EMR supports it from emr-5.32.0 / emr-6.2.0): upgrade the release, or set requireImdsV2: false');
  }
  // Kerberos: 5.10.0 and later. https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-kerberos.html
  if (p.kerberos) {
    v.check(releaseAtLeast(release, { 5: '5.10.0' }), 'kerberos', undefined, `needs release emr-5.10.0 or later (releaseLabel is '${release}')`);
  }
  // Instance fleets: 4.8.0 and later, excluding 5.0.x.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-instance-fleet.html
  if (p.capacity.fleets) {
    const r = parseRelease(release)!;
    v.check(releaseAtLeast(release, { 4: '4.8.0' }) && !(r[0] === 5 && r[1] === 0), 'capacity', new Shown('instance fleets'),
      `need release emr-4.8.0 or later, excluding 5.0.x (releaseLabel is '${release}')`);
  }
}

function checkApplications(v: PropsValidator, p: ResolvedClusterProps): void {
  const appNames = p.appNames;
  // The library's own checks on the list it renders as Applications.
  v.check(appNames.length >= 1, 'applications', appNames,
    'must list at least one application: the cluster installs exactly these, and steps and jobs run on them');
  const dupApps = appNames.filter((a, i) => appNames.indexOf(a) !== i);
  v.check(dupApps.length === 0, 'applications', appNames, `must not repeat an application (${dupApps.join(', ')}): each is installed once`);
  // Trino and PrestoDB cannot be installed on the same cluster.
  // https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-trino.html
  v.check(!(appNames.includes('Trino') && appNames.includes('Presto')), 'applications', appNames, 'must not contain both Trino and Presto');
  for (const c of p.configurationConflicts) v.fail('configurations', undefined, c);
  // Classifications are lower-case names with dashes and dots (spark-defaults, hive-site, yarn-env...).
  // https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-configure-apps.html
  p.configurations.forEach((c, i) => v.matches(`configurations[${i}].classification`, c.classification, /^[A-Za-z0-9.-]+$/,
    'a classification name such as spark-defaults'));
}

function checkTermination(v: PropsValidator, p: ResolvedClusterProps): void {
  // Auto-termination: 60 s to 7 days, whole seconds, from EMR 5.30.0 / 6.1.0.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_AutoTerminationPolicy.html
  const idle = p.idleTimeout;
  if (idle.isUnresolved() || idle.toSeconds({ integral: false }) === 0) return;
  v.durationInRange('idleTimeout', idle, Duration.seconds(60), Duration.days(7), 'seconds');
  const seconds = idle.toSeconds({ integral: false });
  v.check(Number.isInteger(seconds), 'idleTimeout', new Shown(`${seconds} seconds`), 'must be a whole number of seconds');
  if (!Token.isUnresolved(p.release) && parseRelease(p.release)) {
    v.check(releaseAtLeast(p.release, { 5: '5.30.0', 6: '6.1.0' }), 'idleTimeout', idle,
      `needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is '${p.release}'); set Duration.seconds(0) to turn auto-termination off`);
  }
}

function checkManagedScaling(v: PropsValidator, p: ResolvedClusterProps): void {
  const ms = p.managedScaling;
  if (!ms) return;
  // Managed scaling: 5.30.0 / 6.1.0 and later; MinimumCapacityUnits <= MaximumCapacityUnits, and the core and
  // On-Demand limits at most MaximumCapacityUnits; all whole numbers.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-managed-scaling.html
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_ComputeLimits.html
  if (!Token.isUnresolved(p.release) && parseRelease(p.release)) {
    v.check(releaseAtLeast(p.release, { 5: '5.30.0', 6: '6.1.0' }), 'managedScaling', undefined,
      `needs release emr-5.30.0 / emr-6.1.0 or later (releaseLabel is '${p.release}')`);
  }
  v.wholeNumber('managedScaling.minimumCapacityUnits', ms.minimumCapacityUnits, 1);
  v.wholeNumber('managedScaling.maximumCapacityUnits', ms.maximumCapacityUnits, 1);
  if (known(ms.minimumCapacityUnits) && known(ms.maximumCapacityUnits)) {
    v.check(ms.minimumCapacityUnits <= ms.maximumCapacityUnits, 'managedScaling.minimumCapacityUnits', ms.minimumCapacityUnits,
      `must be at most managedScaling.maximumCapacityUnits (${ms.maximumCapacityUnits})`);
  }
  for (const key of ['maximumCoreCapacityUnits', 'maximumOnDemandCapacityUnits'] as const) {
    const value = ms[key];
    v.wholeNumber(`managedScaling.${key}`, value, 1);
    if (known(value) && known(ms.maximumCapacityUnits)) {
      v.check(value <= ms.maximumCapacityUnits, `managedScaling.${key}`, value, `must be at most managedScaling.maximumCapacityUnits (${ms.maximumCapacityUnits})`);
    }
  }
  // Instance fleets always count in fleet units (UnitType InstanceFleetUnits); Instances and VCPU are for instance groups.
  // https://docs.aws.amazon.com/emr/latest/APIReference/API_ComputeLimits.html
  v.requires('managedScaling.unit', ms.unit !== undefined, !p.capacity.fleets, 'instance groups (instance fleets count in fleet units)');
  // A cluster uses managed scaling or automatic scaling policies, not both: EMR offers them as two options.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-scale-on-demand.html
  v.exclusive('managedScaling', true, 'capacity.tasks[].automaticScaling', hasAutomaticScaling(p.capacity));
}

function checkSteps(v: PropsValidator, p: ResolvedClusterProps): void {
  const steps = p.steps;
  // A transient cluster without steps would terminate as soon as it starts.
  v.check(p.keepAlive || steps.length > 0, 'keepAliveWhenNoSteps', false, 'needs at least one step, or the cluster terminates as soon as it starts');
  // A cluster accepts at most 256 active steps.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-add-steps.html
  v.countInRange('steps', steps, 0, 256);
  const names = steps.map(s => s.name);
  steps.forEach((s, i) => {
    // Step names: 1 to 256 characters of the API's XML string pattern.
    // https://docs.aws.amazon.com/emr/latest/APIReference/API_StepConfig.html
    if (!Token.isUnresolved(s.name)) {
      v.check(s.name.length >= 1 && s.name.length <= 256 && XML_STRING.test(s.name), `steps[${i}].name`, s.name,
        'must be 1 to 256 characters, without control characters');
      // A long-running cluster's steps are resources named after the step (a rename submits it again).
      v.check(names.indexOf(s.name) === i, `steps[${i}].name`, s.name, 'must be unique among the steps of the cluster');
    }
    v.check(s.args.length >= 1, `steps[${i}].command`, new Shown('[]'), 'must name a command to run');
    if (s.requiredApplication) {
      v.check(p.appNames.includes(s.requiredApplication.name), `steps[${i}]`, s.name,
        `needs the ${s.requiredApplication.name} application (applications are ${p.appNames.join(', ')})`);
    }
    if (s.scriptUri !== undefined) {
      v.matches(`steps[${i}]`, s.scriptUri, /^s3:\/\/[^/]+\/.+/, 'an S3 URI (s3://bucket/key) of the step code');
    }
    // AWS::EMR::Step takes CONTINUE or CANCEL_AND_WAIT only; a step that terminates the cluster belongs to a
    // transient cluster, whose steps are part of the cluster.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-emr-step.html
    if (p.keepAlive) {
      v.check(s.actionOnFailure !== EmrStepActionOnFailure.TERMINATE_CLUSTER, `steps[${i}].actionOnFailure`, s.actionOnFailure,
        'must be CONTINUE or CANCEL_AND_WAIT on a long-running cluster (TERMINATE_CLUSTER is for a transient cluster: keepAliveWhenNoSteps: false)');
    }
  });
  // Up to 16 bootstrap actions, each a script in S3.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-bootstrap.html
  v.countInRange('bootstrapActions', p.bootstrapActions, 0, 16);
  p.bootstrapActions.forEach((b, i) => {
    v.matches(`bootstrapActions[${i}].scriptUri`, b.scriptUri, /^s3:\/\/[^/]+\/.+/, 'an S3 URI (s3://bucket/key) of the script');
    if (!Token.isUnresolved(b.name)) {
      v.check(b.name.length >= 1 && b.name.length <= 256 && XML_STRING.test(b.name), `bootstrapActions[${i}].name`, b.name,
        'must be 1 to 256 characters, without control characters');
    }
  });
}

function checkAccess(v: PropsValidator, p: ResolvedClusterProps): void {
  p.dataLocations.forEach((l, i) => checkPrefix(v, `dataLocations[${i}].prefix`, l.prefix));
  // Glue stores database names in lower case, and IAM compares the ARN's name as given: a name with upper
  // case letters would never match. '*' grants every database of the catalog.
  // https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html
  // https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
  p.glueDatabases.forEach((db, i) => v.matches(`glueDatabases[${i}].databaseName`, db, /^[a-z0-9_][a-z0-9_-]{0,254}$/,
    'a lower-case Glue database name (letters, digits, _ and -, at most 255); glueAllDatabases grants every database'));
  v.requires('glueDatabases', p.glueDatabases.length > 0, p.glueDataCatalog, 'glueDataCatalog: true');
  v.requires('glueAllDatabases', p.glueAllDatabases, p.glueDataCatalog, 'glueDataCatalog: true');
  v.exclusive('glueAllDatabases', p.glueAllDatabases, 'glueDatabases', p.glueDatabases.length > 0);
  v.requires('glueDeletes', p.glueDeletes, p.glueDataCatalog && (p.glueDatabases.length > 0 || p.glueAllDatabases),
    'glueDataCatalog: true and at least one of glueDatabases (or glueAllDatabases)');
}

/**
 * Alarm thresholds: percentages within 0-100, counts whole and at least 1 (a count alarm at 0 is always in
 * alarm), and an idle time that CloudWatch can evaluate: periods of 5 minutes, at most one day in total.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (EvaluationPeriods)
 */
function checkAlarmThresholds(v: PropsValidator, t: EmrAlarmThresholds): void {
  v.inRange('alarmThresholds.hdfsUtilizationPercent', t.hdfsUtilizationPercent, 0, 100, 'percent');
  v.inRange('alarmThresholds.yarnMemoryAvailablePercent', t.yarnMemoryAvailablePercent, 0, 100, 'percent');
  v.wholeNumber('alarmThresholds.unhealthyNodes', t.unhealthyNodes, 1);
  v.wholeNumber('alarmThresholds.appsPending', t.appsPending, 1);
  v.durationInRange('alarmThresholds.idleFor', t.idleFor, Duration.minutes(5), Duration.days(1), 'minutes');
}

/**
 * A key prefix that is '' or ends in '/', and does not start with '/': the library's own rule, as the nodes' IAM
 * access is granted on `<prefix>*` ('raw' would also match 'raw-archive/...') and a leading '/' is an empty folder name.
 */
function checkPrefix(v: PropsValidator, property: string, prefix: string): void {
  v.matches(property, prefix, /^([^/].*\/)?$/s,
    "a key prefix that ends in '/' and does not start with '/' (or ''), as the nodes' IAM access covers <prefix>*");
}

/**
 * Risky but legal choices, and names this library does not know (an `of()` escape hatch is the place for a
 * value newer than the library, and also for a typo): warnings with an id, which a user acknowledges.
 */
export function warnAboutProps(scope: IConstruct, p: ResolvedClusterProps): void {
  const warn = (id: string, message: string) => Annotations.of(scope).addWarningV2(`cdk-analytics-blueprints:${id}`, message);
  if (!Token.isUnresolved(p.release) && parseRelease(p.release) && !isKnownRelease(p.release)) {
    warn('emrUnknownRelease', `releaseLabel '${p.release}' is not a release this library knows (the newest it knows is '${NEWEST_KNOWN_RELEASE}'): ` +
      'check it against https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html, EMR rejects an unknown label at launch');
  }
  const unknownApps = p.appNames.filter(a => !Token.isUnresolved(a) && !KNOWN_APPLICATIONS.includes(a));
  if (unknownApps.length > 0) {
    warn('emrUnknownApplication', `applications ${unknownApps.map(a => `'${a}'`).join(', ')} ${unknownApps.length > 1 ? 'are' : 'is'} not ` +
      'an application this library knows: check the spelling (names are case-sensitive) against the release\'s application list ' +
      '(https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-components.html)');
  }
  const unknownTypes = instanceTypes(p.capacity).filter(t => !Token.isUnresolved(t) && !isKnownInstanceType(t));
  if (unknownTypes.length > 0) {
    warn('emrUnknownInstanceType', `instance types ${[...new Set(unknownTypes)].map(t => `'${t}'`).join(', ')} are not EC2 instance types ` +
      'this library knows: check the spelling, and that EMR supports them in your Region ' +
      '(https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html)');
  }
  // Explicit but broad grants: every database of the catalog, or deleting anywhere in a bucket.
  if (p.glueDataCatalog && p.glueAllDatabases) {
    warn('emrEveryGlueDatabase', `glueAllDatabases lets the nodes create and change tables in every Glue database of the account and region${
      p.glueDeletes ? ', and delete them' : ''}: list the databases the cluster uses instead where you can.`);
  }
  const wholeBuckets = p.dataLocations.filter(l => l.access === EmrDataAccess.READ_WRITE_DELETE && l.prefix === '');
  if (wholeBuckets.length > 0) {
    warn('emrWholeBucketDelete', `dataLocations ${wholeBuckets.map(l => p.dataLocations.indexOf(l)).join(', ')} let the nodes delete any object of the ` +
      'bucket (readWriteDelete without a prefix): give the prefix the jobs write to, so that a job cannot delete the rest of the lake.');
  }
  // Primary and core nodes hold the cluster's state (the YARN ResourceManager, HDFS blocks, application
  // masters): reclaiming one can end the cluster or lose HDFS data.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-instances-guidelines.html
  const f = p.capacity.fleets;
  if (f) {
    const t = fleetTargets(f);
    if (known(t.primary[1]) && t.primary[1] > 0) {
      warn('emrSpotPrimary', 'capacity.primary runs on Spot (targetSpotCapacity > 0): when EC2 reclaims the primary node the cluster terminates. ' +
        'Use On-Demand for a long-running cluster, Spot only for short, restartable ones.');
    }
    if (known(t.core[1]) && t.core[1] > 0) {
      warn('emrSpotCore', 'capacity.core runs partly on Spot (targetSpotCapacity > 0): a reclaimed core node loses its HDFS blocks and the ' +
        'application masters running on it. Keep core capacity On-Demand and put Spot capacity in the task fleet.');
    }
  }
}

function instanceTypes(capacity: EmrCapacity): string[] {
  if (capacity.groups) {
    const g = capacity.groups;
    return [g.primary, g.core, ...g.tasks ?? []].map(o => o.instanceType.toString());
  }
  const f = capacity.fleets!;
  return [f.primary, f.core, ...f.task ? [f.task] : []].flatMap(o => o.instanceTypes.map(t => t.instanceType.toString()));
}

const INSTANCE_CLASSES = new Set<string>(Object.values(ec2.InstanceClass));
const INSTANCE_SIZES = new Set<string>(Object.values(ec2.InstanceSize));

/** Whether `type` is `<class>.<size>` with a class and a size that aws-cdk-lib's enums know. */
function isKnownInstanceType(type: string): boolean {
  const dot = type.indexOf('.');
  return dot > 0 && INSTANCE_CLASSES.has(type.slice(0, dot)) && INSTANCE_SIZES.has(type.slice(dot + 1));
}
