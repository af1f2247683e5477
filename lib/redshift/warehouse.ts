import { Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct } from 'constructs';

import { createEncryptionKey } from '../core/encryption-key';
import { glueDatabaseName } from '../core/glue-database-name';
import { ManagedPolicyRole } from '../core/managed-policy-role';
import { ArchitectureMonitoring } from '../core/monitoring';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { validateAtSynth } from '../core/validation';
import { RedshiftAuditLogging } from './audit-logging';
import { RedshiftDatabaseGroups } from './database-groups';
import { RedshiftNodeType } from './node-type';
import { warehouseAlarms, warehouseDashboard } from './private/alarms';
import { allowWarehouseLogsToUseKey, configureAuditLogs } from './private/audit-logs';
import { DataApiTarget, RedshiftDataApiFunction } from './private/data-api-function';
import { warehouseEventSubscriptions } from './private/events';
import { grantAdminSecretRead, grantConnect, grantDataApi, WarehouseGrantTarget } from './private/grants';
import { deterministicIdentifier } from './private/identifiers';
import { createWarehouseNetwork } from './private/network';
import { warnAboutIneffectiveConcurrencyScaling, warnAboutUnlistedOptions } from './private/options';
import { createParameterGroup } from './private/parameter-group';
import { applyDeletionPolicy, networkOf, warehouseRemovalPolicies, warnIfSubnetsDeletedUnderCluster } from './private/removal';
import { checkWarehouseProps } from './private/rules';
import { linkSnapshotCopy } from './private/snapshot-copy';
import { createSpectrumRole } from './private/spectrum-role';
import { RedshiftExternalSchemaOptions, RedshiftSpectrumSchema } from './spectrum-schema';
import { RedshiftWarehouseProps } from './warehouse-props';
import { WorkloadManagement } from './wlm/workload-management';

/**
 * A provisioned Amazon Redshift data warehouse, secure by default: private subnets, its own security
 * group with no ingress, KMS encryption with a customer-managed key, the admin password managed in
 * Secrets Manager, TLS required, user activity and audit logging, enhanced VPC routing, automated
 * snapshots (optionally copied to another region), typed workload management, a Spectrum role,
 * alarms and a dashboard.
 *
 * Built on the aws-cdk-lib L1 resources; it does not depend on the Redshift alpha package.
 *
 * @example
 * const warehouse = new RedshiftWarehouse(this, 'Warehouse', {
 *   workloadManagement: WorkloadManagement.automatic({
 *     queues: [{ name: 'etl', userGroups: ['etl'], priority: WlmQueuePriority.HIGH }],
 *   }),
 * });
 */
export class RedshiftWarehouse extends Construct implements ec2.IConnectable {
  /** The cluster. */
  public readonly cluster: redshift.CfnCluster;
  /** The cluster identifier. */
  public readonly clusterIdentifier: string;
  /** The name of the warehouse's first database. */
  public readonly databaseName: string;
  /** The parameter group (TLS, user activity logging, WLM). */
  public readonly parameterGroup: redshift.CfnClusterParameterGroup;
  /** The subnet group. */
  public readonly subnetGroup: redshift.CfnClusterSubnetGroup;
  /** The VPC of the cluster. */
  public readonly vpc: ec2.IVpc;
  /**
   * The security group of the cluster: the one given to `AnalyticsNetwork.fromVpc`, or the one the warehouse
   * creates, which allows no ingress until you call `connections.allowDefaultPortFrom`.
   */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Network connections of the cluster, with its port as default port. */
  public readonly connections: ec2.Connections;
  /** The key that encrypts the cluster, its snapshots, its admin secret and its log groups. */
  public readonly encryptionKey: kms.IKey;
  /** ARN of the Secrets Manager secret that holds the admin credentials (created by Redshift). */
  public readonly adminSecretArn: string;
  /**
   * The Spectrum role, when `spectrum` is set. Statements you add to it (`addToPrincipalPolicy`, `grant*`) land
   * in its customer-managed policy, not in an inline policy.
   */
  public readonly spectrumRole?: ManagedPolicyRole;
  /** The audit log groups, when audit logs go to CloudWatch Logs. */
  public readonly auditLogGroups: logs.LogGroup[];
  /** The rendered `wlm_json_configuration`. */
  public readonly wlmJsonConfiguration: string;
  /** The workload management configuration (its `userGroups` are what `addDatabaseGroups` creates by default). */
  public readonly workloadManagement: WorkloadManagement;
  /**
   * The Glue databases the Spectrum role may read, when `spectrum` is set.
   * @internal
   */
  public readonly _spectrumGlueDatabases?: string[];
  /** The Redshift event subscriptions (empty without a topic or when turned off). */
  public readonly eventSubscriptions: redshift.CfnEventSubscription[];
  /** The alarms and the dashboard (`monitoring.alarms`, `monitoring.dashboard`). */
  public readonly monitoring: ArchitectureMonitoring;
  private readonly dataRemovalPolicy: RemovalPolicy;
  private dataApiFunction?: RedshiftDataApiFunction;

  constructor(scope: Construct, id: string, props: RedshiftWarehouseProps = {}) {
    super(scope, id);
    const removal = warehouseRemovalPolicies(resolveRemovalPolicy(this, props.removalPolicy));
    const nodeType = props.nodeType ?? RedshiftNodeType.RA3_XLPLUS;
    const numberOfNodes = props.numberOfNodes ?? 2;
    const databaseName = props.databaseName ?? 'analytics';
    this.databaseName = databaseName;
    const masterUsername = props.masterUsername ?? 'warehouse_admin';
    const port = props.port ?? 5440;
    const wlm = props.workloadManagement ?? WorkloadManagement.automatic();
    const maxConcurrencyScalingClusters = props.maxConcurrencyScalingClusters ?? 1;
    const audit = props.auditLogging ?? RedshiftAuditLogging.cloudWatch();
    const snapshotRetention = props.automatedSnapshotRetention ?? Duration.days(7);
    const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:03:00-sun:03:30';
    const relocation = props.availabilityZoneRelocation ?? nodeType.isRa3;
    const thresholds = props.alarmThresholds ?? {};
    this.clusterIdentifier = props.clusterIdentifier
      ?? deterministicIdentifier(Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }));
    this.wlmJsonConfiguration = wlm.render();
    this.workloadManagement = wlm;
    this.dataRemovalPolicy = removal.data;
    this._spectrumGlueDatabases = props.spectrum?.glueDatabases?.map(glueDatabaseName);

    const copy = props.snapshotCopy ? linkSnapshotCopy(this, props.snapshotCopy) : undefined;

    // Keys and network
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the Redshift cluster, snapshots, admin secret and logs of ${this.node.path}`, removal.data);
    allowWarehouseLogsToUseKey(this, this.encryptionKey, this.clusterIdentifier);

    const net = createWarehouseNetwork(this, props.network, {
      clusterIdentifier: this.clusterIdentifier, encryptionKey: this.encryptionKey, removalPolicy: removal.data,
    });
    this.vpc = net.vpc;
    const { subnetIds, subnets, subnetProblem } = net;

    validateAtSynth(this, v => checkWarehouseProps(v, this, {
      clusterIdentifier: this.clusterIdentifier, nodeType, numberOfNodes, databaseName, masterUsername, port,
      workloadManagement: wlm, maxConcurrencyScalingClusters, auditLogging: audit, automatedSnapshotRetention: snapshotRetention,
      preferredMaintenanceWindow: maintenanceWindow, availabilityZoneRelocation: relocation, snapshotCopy: props.snapshotCopy,
      snapshotCopyProblem: copy?.problem, spectrum: props.spectrum, alarmThresholds: thresholds, subnetProblem,
    }));
    warnAboutUnlistedOptions(this, nodeType, wlm);
    warnAboutIneffectiveConcurrencyScaling(this, wlm, numberOfNodes);

    if (net.existing) warnIfSubnetsDeletedUnderCluster(this, subnets, removal.cluster);

    this.securityGroup = net.securityGroup;
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(port) });

    this.subnetGroup = new redshift.CfnClusterSubnetGroup(this, 'SubnetGroup', {
      description: `Subnets of Redshift cluster ${this.clusterIdentifier}`,
      subnetIds,
    });

    this.parameterGroup = createParameterGroup(this, this.clusterIdentifier,
      { maxConcurrencyScalingClusters, wlmJsonConfiguration: this.wlmJsonConfiguration });

    // Spectrum
    if (props.spectrum) {
      this.spectrumRole = createSpectrumRole(this, this.clusterIdentifier, props.spectrum);
    }

    // Audit logging
    const auditLogs = configureAuditLogs(this, this.clusterIdentifier, audit, { encryptionKey: this.encryptionKey, removalPolicy: removal.data });
    this.auditLogGroups = auditLogs.logGroups;

    this.cluster = new redshift.CfnCluster(this, 'Resource', {
      clusterIdentifier: this.clusterIdentifier,
      clusterType: numberOfNodes === 1 ? 'single-node' : 'multi-node',
      nodeType: nodeType.name,
      numberOfNodes: numberOfNodes === 1 ? undefined : numberOfNodes,
      dbName: databaseName,
      masterUsername,
      manageMasterPassword: true,
      masterPasswordSecretKmsKeyId: this.encryptionKey.keyArn,
      port,
      encrypted: true,
      kmsKeyId: this.encryptionKey.keyArn,
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      clusterSubnetGroupName: this.subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      clusterParameterGroupName: this.parameterGroup.ref,
      automatedSnapshotRetentionPeriod: snapshotRetention.toDays({ integral: false }),
      preferredMaintenanceWindow: maintenanceWindow,
      allowVersionUpgrade: true,
      availabilityZoneRelocation: relocation,
      iamRoles: this.spectrumRole ? [this.spectrumRole.roleArn] : undefined,
      loggingProperties: auditLogs.loggingProperties,
      destinationRegion: copy?.resolved.destinationRegion,
      snapshotCopyGrantName: copy?.resolved.grantName,
      snapshotCopyRetentionPeriod: copy?.resolved.retentionDays,
    });
    this.cluster.applyRemovalPolicy(removal.cluster);
    // What the cluster uses follows it: a kept cluster keeps them (destroy would fail on them otherwise).
    applyDeletionPolicy(removal.clusterDependencies, this.subnetGroup, this.parameterGroup, ...(net.ownSecurityGroup ? [net.ownSecurityGroup] : []),
      ...(net.secureVpc ? networkOf(net.secureVpc.vpc) : []),
      ...(this.spectrumRole ? [this.spectrumRole, this.spectrumRole.policy] : []));
    for (const g of this.auditLogGroups) this.cluster.node.addDependency(g);
    this.adminSecretArn = this.cluster.attrMasterPasswordSecretArn;

    this.eventSubscriptions = warehouseEventSubscriptions(this, this.cluster, this.clusterIdentifier, props);

    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      ...props,
      title: `Redshift warehouse ${this.clusterIdentifier}`,
      alarms: warehouseAlarms(this, thresholds),
      sections: warehouseDashboard(this),
    });
  }

  /**
   * The alarms (empty when alarms are disabled).
   * @deprecated use `monitoring.alarms`, the name every architecture uses
   */
  public get alarms(): cloudwatch.Alarm[] {
    return this.monitoring.alarms;
  }

  /**
   * The dashboard, unless disabled.
   * @deprecated use `monitoring.dashboard`, the name every architecture uses
   */
  public get dashboard(): cloudwatch.Dashboard | undefined {
    return this.monitoring.dashboard;
  }

  /**
   * Lets `grantee` read the admin credentials: `secretsmanager:GetSecretValue` and `DescribeSecret` on the admin
   * secret Redshift manages, and `kms:Decrypt` on the warehouse key through Secrets Manager only. Exact actions
   * and resources. The admin is the database superuser: grant it to operators and to automation that creates
   * users and schemas, not to applications (use `grantConnect` for those).
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html
   */
  public grantAdminSecretRead(grantee: iam.IGrantable): iam.Grant {
    return grantAdminSecretRead(this.grantTarget(), grantee);
  }

  /**
   * Lets `grantee` run SQL through the Redshift Data API as the admin: `redshift-data:ExecuteStatement` and
   * `BatchExecuteStatement` on this cluster; `DescribeStatement`, `GetStatementResult`, `CancelStatement` and
   * `ListStatements` on the caller's own statements only (these calls take no resource, so the policy says `*`
   * with the `redshift-data:statement-owner-iam-userid` condition); and `grantAdminSecretRead`, since the Data
   * API reads the secret as the caller. Pass the admin secret's ARN (`adminSecretArn`) as `SecretArn`.
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
   */
  public grantDataApiAccess(grantee: iam.IGrantable): iam.Grant {
    return grantDataApi(this.grantTarget(), grantee);
  }

  /**
   * Lets `grantee` log in as the database user `databaseUser` with IAM credentials (`GetClusterCredentials`, as
   * the JDBC/ODBC drivers and the Data API do): `redshift:DescribeClusters` on this cluster, `redshift:GetClusterCredentials`
   * on the user and on the warehouse's database, and `redshift:JoinGroup` on each of `databaseGroups`. Exact actions
   * and resources, so a `ManagedPolicyRole` grantee gets them in its managed policy and no nag finding. The user
   * must exist in the database (this grants no `redshift:CreateClusterUser`).
   * @param grantee who connects
   * @param databaseUser the database user to log in as: lowercase letters, digits, `_ + . @ -`, starting with a letter
   * @param databaseGroups database groups the user joins for the session
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/generating-iam-credentials-role-permissions.html
   */
  public grantConnect(grantee: iam.IGrantable, databaseUser: string, databaseGroups: string[] = []): iam.Grant {
    return grantConnect(this.grantTarget(), this.databaseName, grantee, databaseUser, databaseGroups);
  }

  /**
   * Creates an external schema on a Glue Data Catalog database through the Redshift Data API (a
   * `RedshiftSpectrumSchema`), read with this warehouse's Spectrum role: no hand-run SQL.
   */
  public addExternalSchema(id: string, options: RedshiftExternalSchemaOptions): RedshiftSpectrumSchema {
    return new RedshiftSpectrumSchema(this, id, { ...options, warehouse: this });
  }

  /**
   * Creates the database groups that are missing (a `RedshiftDatabaseGroups`) through the Redshift Data API.
   * @param groups the groups to ensure; when omitted, the user groups the WLM queues route by (`workloadManagement.userGroups`)
   */
  public addDatabaseGroups(id: string, groups?: string[]): RedshiftDatabaseGroups {
    return new RedshiftDatabaseGroups(this, id, { warehouse: this, groups });
  }

  /**
   * Where the Data API custom resources run their statements; the function is created on first use, once per warehouse.
   * @internal
   */
  public _dataApiTarget(): DataApiTarget {
    this.dataApiFunction ??= new RedshiftDataApiFunction(this, 'DataApiFunction', {
      clusterIdentifier: this.clusterIdentifier,
      adminSecretArn: this.adminSecretArn,
      encryptionKey: this.encryptionKey,
      removalPolicy: this.dataRemovalPolicy,
    });
    return {
      fn: this.dataApiFunction, clusterIdentifier: this.clusterIdentifier, databaseName: this.databaseName, adminSecretArn: this.adminSecretArn,
    };
  }

  /** A metric of this cluster in the `AWS/Redshift` namespace, with the `ClusterIdentifier` dimension. */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Redshift',
      metricName,
      period: Duration.minutes(5),
      statistic: 'Average',
      ...props,
      dimensionsMap: { ClusterIdentifier: this.clusterIdentifier, ...props.dimensionsMap },
    });
  }

  /** CPU utilization of the cluster (leader and compute nodes), in percent. */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', props);
  }

  /**
   * CPU utilization of the cluster, in percent.
   * @deprecated use `metricCPUUtilization`, aws-cdk-lib's casing
   */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricCPUUtilization(props);
  }

  /** Disk space used, in percent. */
  public metricPercentageDiskSpaceUsed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('PercentageDiskSpaceUsed', props);
  }

  /** 1 while the cluster answers its health check query, 0 otherwise. Minimum over 1 minute by default. */
  public metricHealthStatus(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('HealthStatus', { statistic: 'Minimum', period: Duration.minutes(1), ...props });
  }

  /** 1 while the cluster is in maintenance mode. */
  public metricMaintenanceMode(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('MaintenanceMode', { statistic: 'Maximum', period: Duration.minutes(1), ...props });
  }

  /** Database connections. */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('DatabaseConnections', props);
  }

  /** Queries waiting in WLM queues, all queues together. */
  public metricWlmQueueLength(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('WLMQueueLength', props);
  }

  /** Time queries of one WLM queue wait (`QueueName` dimension; the default queue is `Default queue`). */
  public metricWlmQueueWaitTime(queueName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('WLMQueueWaitTime', { ...props, dimensionsMap: { QueueName: queueName, ...props.dimensionsMap } });
  }

  /** Average query duration, in microseconds, for one latency class: `short`, `medium` or `long`. */
  public metricQueryDuration(latency: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('QueryDuration', { ...props, dimensionsMap: { latency, ...props.dimensionsMap } });
  }

  private grantTarget(): WarehouseGrantTarget {
    return { scope: this, clusterIdentifier: this.clusterIdentifier, adminSecretArn: this.adminSecretArn, encryptionKey: this.encryptionKey };
  }
}
