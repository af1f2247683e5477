import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

import { glueDatabaseName } from '../../core/glue-database-name';
import { PropsValidator, Shown } from '../../core/validation';
import { RedshiftAuditLogging } from '../audit-logging';
import { RedshiftNodeType } from '../node-type';
import type { RedshiftSnapshotCopy, RedshiftSpectrumOptions, RedshiftWarehouseAlarmThresholds } from '../warehouse-props';
import { WorkloadManagement } from '../wlm/workload-management';
import { CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE } from './identifiers';
import { checkMaintenanceWindow } from './maintenance-window';
import { REDSHIFT_RESERVED_WORDS } from './reserved-words';
import { checkSnapshotCopy } from './snapshot-copy';

/** The props of a `RedshiftWarehouse` with every default resolved, as the rules read them. */
export interface ResolvedWarehouseProps {
  readonly clusterIdentifier: string;
  readonly nodeType: RedshiftNodeType;
  readonly numberOfNodes: number;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly port: number;
  readonly workloadManagement: WorkloadManagement;
  readonly maxConcurrencyScalingClusters: number;
  readonly auditLogging: RedshiftAuditLogging;
  readonly automatedSnapshotRetention: Duration;
  readonly preferredMaintenanceWindow: string;
  readonly availabilityZoneRelocation: boolean;
  readonly snapshotCopy?: RedshiftSnapshotCopy;
  /** Why the snapshot copy grant's stack could not be ordered before the warehouse's. */
  readonly snapshotCopyProblem?: string;
  readonly spectrum?: RedshiftSpectrumOptions;
  readonly alarmThresholds: RedshiftWarehouseAlarmThresholds;
  /** Why the cluster's subnets could not be selected: `[property, rule]`. */
  readonly subnetProblem?: [string, string];
}

/**
 * Every limit Redshift, CloudFormation or CloudWatch enforces on a `RedshiftWarehouse`, one check per rule, each
 * citing its source.
 */
export function checkWarehouseProps(v: PropsValidator, scope: IConstruct, p: ResolvedWarehouseProps): void {
  const { nodeType, numberOfNodes } = p;
  // Node types are <family>.<size>, lowercase. https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html
  v.matches('nodeType', nodeType.name, /^[a-z0-9]+\.[a-z0-9]+$/,
    "a node type name, <family>.<size> in lowercase letters and digits, such as 'ra3.xlplus'");

  // Node count per node type at cluster creation.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html#rs-node-type-info
  if (!Token.isUnresolved(numberOfNodes)) {
    if (numberOfNodes === 1) {
      v.check(nodeType.singleNodeSupported, 'numberOfNodes', 1,
        `must be between 2 and ${nodeType.maxNodes} for ${nodeType.name}: it does not support single-node clusters`);
    } else {
      v.check(Number.isInteger(numberOfNodes) && numberOfNodes >= 2 && numberOfNodes <= nodeType.maxNodes, 'numberOfNodes', numberOfNodes,
        `must be a whole number between 2 and ${nodeType.maxNodes} for ${nodeType.name}${nodeType.singleNodeSupported ? ', or 1 for a single-node cluster' : ''}`);
    }
  }

  // Cluster identifier, database and user names. https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html
  v.matches('clusterIdentifier', p.clusterIdentifier, CLUSTER_IDENTIFIER_PATTERN, CLUSTER_IDENTIFIER_RULE);
  // DBName: 1–64 characters, lowercase; identifiers start with a letter or underscore and continue with
  // letters, digits, underscores or dollar signs; not a reserved word. https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
  v.matches('databaseName', p.databaseName, /^[a-z_][a-z0-9_$]{0,63}$/,
    '1 to 64 lowercase letters, digits, underscores or dollar signs, starting with a letter or underscore');
  notReserved(v, 'databaseName', p.databaseName);
  // MasterUsername: 1-128 lowercase letters, digits, _ + . @ -, starting with a letter; not PUBLIC; not a reserved word.
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (MasterUsername)
  v.matches('masterUsername', p.masterUsername, /^[a-z][a-z0-9_+.@-]{0,127}$/,
    '1 to 128 lowercase letters, digits or the characters _ + . @ -, starting with a letter');
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (MasterUsername: "can't be PUBLIC")
  if (!Token.isUnresolved(p.masterUsername)) {
    v.check(p.masterUsername.toLowerCase() !== 'public', 'masterUsername', p.masterUsername, 'must not be PUBLIC (reserved)');
  }
  notReserved(v, 'masterUsername', p.masterUsername);

  // Ports: RA3 5431–5455 or 8191–8215, DC2 1150–65535 (CreateCluster, Port).
  // https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (Port)
  if (!Token.isUnresolved(p.port)) {
    if (nodeType.isRa3) {
      v.check(Number.isInteger(p.port) && ((p.port >= 5431 && p.port <= 5455) || (p.port >= 8191 && p.port <= 8215)), 'port', p.port,
        `must be between 5431 and 5455 or between 8191 and 8215 for ${nodeType.name}`);
    } else {
      v.integerInRange('port', p.port, 1150, 65535);
    }
  }

  // AZ relocation is an RA3 feature. https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-recovery.html
  v.requires('availabilityZoneRelocation', p.availabilityZoneRelocation, nodeType.isRa3, `an RA3 node type (got ${nodeType.name})`);

  // Concurrency scaling: not for single-node clusters; the parameter accepts 0–10.
  // https://docs.aws.amazon.com/redshift/latest/dg/concurrency-scaling-candidates.html
  v.requires('workloadManagement (a queue with concurrencyScaling)', p.workloadManagement.usesConcurrencyScaling, numberOfNodes !== 1,
    'a multi-node cluster: concurrency scaling does not support single-node clusters');
  v.integerInRange('maxConcurrencyScalingClusters', p.maxConcurrencyScalingClusters, 0, 10);
  p.workloadManagement._validate(v);

  // Automated snapshots: 0–35 days; RA3 clusters cannot turn them off.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-snapshots.html#about-automated-snapshots
  if (!p.automatedSnapshotRetention.isUnresolved()) {
    const days = p.automatedSnapshotRetention.toDays({ integral: false });
    const min = nodeType.isRa3 ? 1 : 0;
    v.check(Number.isInteger(days) && days >= min && days <= 35, 'automatedSnapshotRetention', new Shown(`${days} days`),
      `must be a whole number of days between ${min} and 35${nodeType.isRa3 ? ' (RA3 clusters cannot turn automated snapshots off)' : ''}`);
  }

  checkMaintenanceWindow(v, 'preferredMaintenanceWindow', p.preferredMaintenanceWindow);
  if (p.snapshotCopy) checkSnapshotCopy(v, scope, p.snapshotCopy, p.snapshotCopyProblem);
  checkAuditLogging(v, p.auditLogging);
  if (p.spectrum) checkSpectrum(v, p.spectrum);

  // CloudWatch compares the metric with the threshold as is: a percentage outside 0–100 never (or always)
  // fires, and a queue length is never negative.
  // https://docs.aws.amazon.com/redshift/latest/mgmt/metrics-listing.html
  const t = p.alarmThresholds;
  v.inRange('alarmThresholds.cpuUtilizationPercent', t.cpuUtilizationPercent, 0, 100, 'percent');
  v.inRange('alarmThresholds.diskSpaceUsedPercent', t.diskSpaceUsedPercent, 0, 100, 'percent');
  v.atLeast('alarmThresholds.queuedQueries', t.queuedQueries, 0, 'queries');

  if (p.subnetProblem) v.fail(p.subnetProblem[0], undefined, p.subnetProblem[1]);
}

/**
 * DBName and MasterUsername cannot be a reserved word.
 * @see https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html (DBName, MasterUsername)
 * @see https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html
 */
function notReserved(v: PropsValidator, property: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  const word = value.toUpperCase();
  v.check(!REDSHIFT_RESERVED_WORDS.has(word), property, value, `must not be a reserved word of Redshift (${word})`);
}

function checkAuditLogging(v: PropsValidator, audit: RedshiftAuditLogging): void {
  // Three logs exist; each is exported once. https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html
  v.countInRange('auditLogging.logs', audit.logs, 1, 3);
  v.check(new Set(audit.logs).size === audit.logs.length, 'auditLogging.logs', audit.logs, 'must name each log once');
  if (audit.bucket) {
    // Audit logs to S3 land only in SSE-S3 buckets; the key prefix has at most 512 characters and none of
    // x00–x20 (control characters and space), x22 ("), x27 ('), x5c (\) or x7f and above.
    // https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing-manage-log-files.html
    v.check(audit.bucket.encryptionKey === undefined, 'auditLogging.bucket', undefined,
      'must be encrypted with SSE-S3 (AES256): Redshift audit logging does not support SSE-KMS buckets');
    v.matches('auditLogging.keyPrefix', audit.keyPrefix, /^[\x21\x23-\x26\x28-\x5b\x5d-\x7e]{0,512}$/,
      'at most 512 printable ASCII characters, without spaces, quotes or backslashes');
  }
}

function checkSpectrum(v: PropsValidator, spectrum: RedshiftSpectrumOptions): void {
  // An IAM statement needs at least one resource: an empty list fails the deployment of the role's policy.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
  v.check(spectrum.lakeBuckets.length > 0, 'spectrum.lakeBuckets', new Shown('0 entries'),
    'must have at least 1 entry: the Spectrum role reads the lake from them');
  // Glue database names: 1–255 characters. A wildcard or a slash would widen the role's ARNs beyond the databases named.
  // https://docs.aws.amazon.com/glue/latest/webapi/API_DatabaseInput.html
  spectrum.glueDatabases.forEach((db, i) => v.matches(`spectrum.glueDatabases[${i}].databaseName`, glueDatabaseName(db), /^[^*?/]{1,255}$/,
    'a Glue database name (1 to 255 characters, no *, ? or /): the role is scoped to the databases named'));
}
