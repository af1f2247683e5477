import { CustomResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IDependable } from 'constructs';

import { createEncryptionKey } from '../core/encryption-key';
import { allowLogsToUseKey } from '../core/logs-key-policy';
import { ArchitectureMonitoring } from '../core/monitoring';
import { checkNetwork } from '../core/private/network-vpc';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { validateAtSynth, validateAtSynthAndNow } from '../core/validation';
import { OpenSearchClusterProps } from './cluster-props';
import { OpenSearchIndexLifecycleProps } from './index-lifecycle';
import { OpenSearchMasterUser } from './master-user';
import { configureMasterUser, domainAccessPolicy } from './private/access';
import { clusterAlarms } from './private/alarms';
import { ConfigurationContext, configurationResource, createKeyGuard } from './private/configuration';
import { clusterDashboard } from './private/dashboard';
import { acknowledgeDomainFindings, createDomainLogs, createServiceLinkedRole, generatedDomainName, standIns } from './private/domain-parts';
import { DOMAIN_READ_ACTIONS, DOMAIN_WRITE_ACTIONS, grantDomainHttp } from './private/grants';
import { renderLifecyclePolicy } from './private/lifecycle';
import { LifecycleFunction } from './private/lifecycle-function';
import {
  connectConfigurationFunction, createDomainNetwork, DOMAIN_VPC_DEFAULTS, planSubnets, SubnetPlan, validateNetwork,
} from './private/network-setup';
import { validateAlarmThresholds, validateClusterOptions, validateDomainName, validateLifecycles } from './private/rules';
import { clusterTopology, parseEngineVersion, TOPOLOGY_DEFAULTS, topologyWarnings, validateTopology } from './private/topology';

/**
 * A production OpenSearch Service domain: dedicated masters and data nodes across three availability
 * zones (Multi-AZ with Standby), gp3 storage, optional UltraWarm and cold storage, fine-grained access
 * control with an IAM or internal master user, encryption with a customer-managed key, HTTPS only,
 * every log type in CloudWatch Logs (audit logging turned on in the security plugin), Index State
 * Management policies as code, and the AWS-recommended alarms with a dashboard.
 *
 * Every rule the service enforces only when CloudFormation creates the domain, and every input aws-cdk-lib
 * would throw on, is checked at synth and reported with all other problems; the resources get a safe
 * stand-in meanwhile.
 */
export class OpenSearchCluster extends Construct implements ec2.IConnectable {
  /** The domain. */
  public readonly domain: opensearch.Domain;
  /** The key that encrypts the domain, its logs and the master user secret. */
  public readonly encryptionKey: kms.IKey;
  /** The VPC of the domain (undefined for a public endpoint). */
  public readonly vpc?: ec2.IVpc;
  /**
   * The security group of the domain: the one given to `AnalyticsNetwork.fromVpc`, or the one the cluster
   * creates (HTTPS from allowed peers only). Undefined for a public endpoint.
   */
  public readonly securityGroup?: ec2.ISecurityGroup;
  /** The IAM master user role, when the master user is an IAM role. */
  public readonly masterUserRole?: iam.IRole;
  /** The secret with the internal master user's `username` and `password`, when the master user is internal. */
  public readonly masterUserSecret?: secretsmanager.ISecret;
  /** The log groups: slow search, slow index, application (error) and audit logs. */
  public readonly slowSearchLogGroup: logs.ILogGroup;
  /** Slow index logs. */
  public readonly slowIndexLogGroup: logs.ILogGroup;
  /** Application (error) logs. */
  public readonly appLogGroup: logs.ILogGroup;
  /** Audit logs of fine-grained access control (audit logging is turned on in the security plugin at deployment). */
  public readonly auditLogGroup: logs.ILogGroup;
  /** The alarms and the dashboard (`monitoring.alarms`, `monitoring.dashboard`). */
  public readonly monitoring: ArchitectureMonitoring;
  /** The name of the domain. */
  public readonly domainName: string;
  /** The removal policy of the domain, key, secret and log groups (after the destroy-data safety check). */
  public readonly removalPolicy: RemovalPolicy;
  /** Retention of the log groups. */
  public readonly logRetention: logs.RetentionDays;
  /** The subnets of the domain (undefined for a public endpoint). */
  public readonly vpcSubnets?: ec2.SubnetSelection;
  private readonly domainConnections?: ec2.Connections;
  private readonly lifecycles: OpenSearchIndexLifecycleProps[] = [];
  private readonly configurationFunction: LifecycleFunction;
  private readonly configuration: ConfigurationContext;

  constructor(scope: Construct, id: string, props: OpenSearchClusterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const network = props.network._config;
    const masterUser = (props.masterUser ?? OpenSearchMasterUser.iamRole())._config;
    const topology = clusterTopology(props);
    const plan: SubnetPlan | undefined = network.kind === 'vpc'
      ? planSubnets(network.vpc, network.subnets, Token.isUnresolved(topology.availabilityZoneCount) ? 3 : topology.availabilityZoneCount)
      : undefined;

    // 1. Validate everything, all at once; every property that breaks a rule gets a safe stand-in below, so
    //    that aws-cdk-lib never throws while the construct builds (the errors are reported at synth).
    const broken = validateAtSynthAndNow(this, v => {
      validateTopology(v, topology);
      checkNetwork(v, network, 'OpenSearchCluster', true, DOMAIN_VPC_DEFAULTS);
      validateNetwork(v, network, topology.availabilityZoneCount, plan);
      validateDomainName(v, props.domainName);
      validateAlarmThresholds(v, props.alarmThresholds);
      validateClusterOptions(v, props, network, masterUser);
    });
    const safe = standIns(topology, props.engineVersion ?? TOPOLOGY_DEFAULTS.engine, TOPOLOGY_DEFAULTS, broken);
    topologyWarnings(this, topology);
    const warmEnabled = Token.isUnresolved(safe.warmNodes) || safe.warmNodes > 0;
    // Lifecycles can be added after construction (addIndexLifecycle): checked at synth only.
    validateAtSynth(this, v => validateLifecycles(v, this.lifecycles, { warmEnabled, coldEnabled: safe.coldStorageEnabled }));

    this.removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.domainName = !broken.has('domainName') && props.domainName !== undefined ? props.domainName : generatedDomainName(this);
    const domainArn = stack.formatArn({ service: 'es', resource: 'domain', resourceName: this.domainName });

    // 2. Key and network.
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the OpenSearch domain ${this.domainName}, its log groups and its master user secret`, this.removalPolicy);
    // CloudWatch Logs encrypts the log groups with the key; scoped to this account's log groups.
    allowLogsToUseKey(this.encryptionKey);
    const net = createDomainNetwork(this, network, plan, broken, {
      domainName: this.domainName, encryptionKey: this.encryptionKey, logRetention: this.logRetention, removalPolicy: this.removalPolicy,
      internalMasterUser: masterUser.kind === 'internal',
    });
    this.vpc = net.vpc;
    this.vpcSubnets = net.vpcSubnets;
    this.securityGroup = net.securityGroup;
    if (this.securityGroup) {
      this.domainConnections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(443) });
    }

    // 3. The configuration function (ISM policies, role mappings, audit logging, key guard) and the master user.
    const fn = new LifecycleFunction(this, 'IsmPolicyFunction', {
      encryptionKey: this.encryptionKey,
      logRetention: this.logRetention,
      removalPolicy: this.removalPolicy,
      vpc: this.vpc,
      vpcSubnets: this.vpcSubnets,
      reservedConcurrentExecutions: broken.has('lifecycleFunctionReservedConcurrency') ? undefined : props.lifecycleFunctionReservedConcurrency,
      allowPublicSubnet: broken.has('network.vpc') || undefined,
    });
    this.configurationFunction = fn;
    const waitFor: IDependable[] = [];
    if (net.secureVpc) waitFor.push(net.secureVpc);
    connectConfigurationFunction(this, net, fn.securityGroup, plan, masterUser.kind);

    const master = configureMasterUser(this, masterUser, {
      domainName: this.domainName, domainArn, functionRole: fn.role, encryptionKey: this.encryptionKey, removalPolicy: this.removalPolicy,
    });
    this.masterUserRole = master.role;
    this.masterUserSecret = master.secret;
    if (master.waitFor) waitFor.push(master.waitFor);
    const fineGrainedAccessControl = master.fineGrainedAccessControl;

    // 4. Logs and the domain.
    const domainLogs = createDomainLogs(this, this.domainName, domainArn,
      { encryptionKey: this.encryptionKey, retention: this.logRetention, removalPolicy: this.removalPolicy });
    this.slowSearchLogGroup = domainLogs.slowSearch;
    this.slowIndexLogGroup = domainLogs.slowIndex;
    this.appLogGroup = domainLogs.app;
    this.auditLogGroup = domainLogs.audit;

    this.domain = new opensearch.Domain(this, 'Domain', {
      version: safe.engineVersion,
      domainName: this.domainName,
      capacity: {
        masterNodes: safe.masterNodes,
        masterNodeInstanceType: safe.masterNodeInstanceType,
        dataNodes: safe.dataNodes,
        dataNodeInstanceType: safe.dataNodeInstanceType,
        warmNodes: warmEnabled ? safe.warmNodes : undefined,
        warmInstanceType: warmEnabled ? safe.warmInstanceType : undefined,
        multiAzWithStandbyEnabled: safe.multiAzWithStandby,
      },
      zoneAwareness: {
        enabled: safe.zoneAwarenessEnabled,
        availabilityZoneCount: safe.zoneAwarenessEnabled ? safe.availabilityZoneCount : undefined,
      },
      ebs: { volumeSize: safe.volumeSizeGiB, volumeType: ec2.EbsDeviceVolumeType.GP3, iops: safe.volumeIops, throughput: safe.volumeThroughput },
      coldStorageEnabled: safe.coldStorageEnabled || undefined,
      vpc: this.vpc,
      vpcSubnets: this.vpcSubnets ? [this.vpcSubnets] : undefined,
      securityGroups: this.securityGroup ? [this.securityGroup] : undefined,
      encryptionAtRest: { enabled: true, kmsKey: this.encryptionKey },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: props.tlsSecurityPolicy ?? opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
      fineGrainedAccessControl,
      logging: {
        slowSearchLogEnabled: true, slowSearchLogGroup: this.slowSearchLogGroup,
        slowIndexLogEnabled: true, slowIndexLogGroup: this.slowIndexLogGroup,
        appLogEnabled: true, appLogGroup: this.appLogGroup,
        auditLogEnabled: true, auditLogGroup: this.auditLogGroup,
      },
      suppressLogsResourcePolicy: true,
      enableVersionUpgrade: true,
      enableAutoSoftwareUpdate: true,
      offPeakWindowEnabled: true,
      removalPolicy: this.removalPolicy,
    });
    const cfnDomain = this.domain.node.defaultChild as opensearch.CfnDomain;
    cfnDomain.addResourceDependency(domainLogs.resourcePolicy);
    // The access policy is set on the CloudFormation resource directly (aws-cdk-lib's `accessPolicies`
    // goes through a Lambda-backed custom resource), naming the domain by its ARN built from the name.
    cfnDomain.accessPolicies = domainAccessPolicy({
      domainArn, masterRoleArn: this.masterUserRole?.roleArn, internalUser: masterUser.kind === 'internal',
      allowedIpRanges: network.kind === 'public' ? network.allowedIpRanges : undefined,
    }).toJSON();
    acknowledgeDomainFindings(cfnDomain, network.kind === 'public', masterUser.kind === 'internal');
    if (props.createServiceLinkedRole && network.kind !== 'public') createServiceLinkedRole(this, cfnDomain);

    // 5. Configuration custom resources: the key guard before the domain, the rest after it.
    this.configuration = {
      fn, endpoint: this.domain.domainEndpoint, masterRoleArn: this.masterUserRole?.roleArn,
      masterSecretArn: this.masterUserSecret?.secretArn, waitFor: [...waitFor, this.domain],
    };
    createKeyGuard(this, fn, waitFor, cfnDomain,
      { domainName: this.domainName, encryptionKey: this.encryptionKey, allowKeyChange: props.allowEncryptionKeyChange });
    configurationResource(this, 'AuditLog', 'Custom::OpenSearchAuditLog', this.configuration, {});
    for (const l of props.indexLifecycles ?? []) this.addIndexLifecycle(l);

    // 6. Alarms and dashboard.
    const version = parseEngineVersion(safe.engineVersion.version);
    const thresholdsBroken = [...broken].some(k => k.startsWith('alarmThresholds'));
    this.monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      ...props,
      title: `OpenSearch domain ${this.domainName}`,
      alarms: clusterAlarms(this.domain, {
        nodes: safe.masterNodes + safe.dataNodes + (warmEnabled ? safe.warmNodes : 0),
        volumeSizeGiB: safe.volumeSizeGiB,
        oldGenMetrics: version === undefined || version.engine === 'OpenSearch',
        thresholds: thresholdsBroken ? {} : props.alarmThresholds ?? {},
      }),
      sections: clusterDashboard(this.domain),
    });
  }

  /**
   * The network connections of the domain, with HTTPS (443) as default port: `cluster.connections.allowDefaultPortFrom(peer)`
   * lets a client reach the REST API. Only for a domain in a VPC: a public endpoint has no security group, and
   * reading this throws.
   */
  public get connections(): ec2.Connections {
    if (!this.domainConnections) {
      throw new Error(`${this.node.path}: connections are only available for a domain in a VPC (network is AnalyticsNetwork.publicEndpoint)`);
    }
    return this.domainConnections;
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
   * The role of the function that configures the domain (ISM policies, role mappings, audit logging). A master
   * user role you pass in must trust it.
   */
  public get lifecycleFunctionRole(): iam.IRole {
    return this.configurationFunction.role;
  }

  /**
   * Applies an Index State Management policy to the domain at deployment (and updates or deletes it
   * with the stack).
   */
  public addIndexLifecycle(lifecycle: OpenSearchIndexLifecycleProps): void {
    this.lifecycles.push(lifecycle);
    const id = `IsmPolicy-${lifecycle.policyId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    // A repeated policy id is reported by the synth-time validation, with every other problem.
    if (this.node.tryFindChild(id)) return;
    configurationResource(this, id, 'Custom::OpenSearchIsmPolicy', this.configuration, {
      PolicyId: lifecycle.policyId,
      Policy: Stack.of(this).toJsonString(renderLifecyclePolicy(lifecycle)),
      AdoptExisting: lifecycle.adoptExistingPolicy ? 'true' : undefined,
    });
  }

  /**
   * Creates a fine-grained access control role with `role` as its document and maps `backendRoles` (IAM role
   * ARNs) to it, at deployment, through the domain's security API (merged with what an operator mapped).
   * @internal
   */
  public _addRoleMapping(id: string, securityRole: string, role: Record<string, unknown>, backendRoles: string[]): CustomResource {
    return configurationResource(this, id, 'Custom::OpenSearchRoleMapping', this.configuration, {
      SecurityRole: securityRole,
      Role: Stack.of(this).toJsonString(role),
      BackendRoles: backendRoles,
    });
  }

  /**
   * Lets `grantee` read through the REST API: `es:ESHttpGet` and `es:ESHttpHead` on the domain's indexes and APIs
   * (`<domain ARN>/*`). The domain's access policy admits IAM principals of the account; fine-grained access control
   * then decides per index, so map the grantee's role to an OpenSearch role (for example with the security plugin's
   * role mapping).
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html
   */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return grantDomainHttp(this.domain.domainArn, grantee, DOMAIN_READ_ACTIONS);
  }

  /**
   * Lets `grantee` write through the REST API: `es:ESHttpPut`, `ESHttpPost`, `ESHttpPatch` and `ESHttpDelete` on the
   * domain's indexes and APIs (`<domain ARN>/*`). Fine-grained access control then decides per index.
   */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return grantDomainHttp(this.domain.domainArn, grantee, DOMAIN_WRITE_ACTIONS);
  }

  /** `grantRead` and `grantWrite` together. */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return grantDomainHttp(this.domain.domainArn, grantee, [...DOMAIN_READ_ACTIONS, ...DOMAIN_WRITE_ACTIONS]);
  }

  /** Metric of the minimum free storage space of a data node, in MiB. */
  public metricFreeStorageSpace(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricFreeStorageSpace(props);
  }

  /** Metric of the maximum JVM memory pressure of the data nodes, in percent. */
  public metricJVMMemoryPressure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricJVMMemoryPressure(props);
  }

  /**
   * Metric of the maximum JVM memory pressure of the data nodes, in percent.
   * @deprecated use `metricJVMMemoryPressure`, aws-cdk-lib's casing
   */
  public metricJvmMemoryPressure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metricJVMMemoryPressure(props);
  }

  /** Metric of the maximum CPU utilization of the data nodes, in percent. */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricCPUUtilization(props);
  }

  /** Metric of the red cluster status (1 when at least one primary shard is not allocated). */
  public metricClusterStatusRed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricClusterStatusRed(props);
  }

  /** Metric of the p99 search latency, in milliseconds. */
  public metricSearchLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.domain.metricSearchLatency(props);
  }
}
