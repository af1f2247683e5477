import { CustomResource, Duration, Names, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { graph } from '../core/dashboard-widgets';
import { allowLogsToUseKey } from '../core/logs-key-policy';
import { ArchitectureMonitoring, MonitoringOptions } from '../core/monitoring';
import { acknowledgeNag } from '../core/nag';
import { resolveRemovalPolicy } from '../core/removal-policy';
import { SecureVpc } from '../core/secure-vpc';
import { Shown, validateAtSynth } from '../core/validation';
import { OpenSearchIndexLifecycleProps } from './index-lifecycle';
import { OpenSearchMasterUser } from './master-user';
import { OpenSearchNetwork } from './network';
import { clusterAlarms } from './private/alarms';
import { LifecycleFunction } from './private/lifecycle-function';
import { renderLifecyclePolicy, validateLifecycle } from './private/lifecycle';
import { validateTopology } from './private/topology';
import { createEncryptionKey } from '../core/encryption-key';

/** Address range of the VPC `OpenSearchNetwork.newVpc()` creates. */
const DOMAIN_VPC_CIDR = '10.0.0.0/16';

/**
 * Props of `OpenSearchCluster`.
 */
export interface OpenSearchClusterProps extends MonitoringOptions {
  /**
   * Where the domain lives: `OpenSearchNetwork.newVpc([...])`, `OpenSearchNetwork.vpc(vpc)` or
   * `OpenSearchNetwork.publicEndpoint([...])`.
   */
  readonly network: OpenSearchNetwork;
  /**
   * Engine version.
   * @default opensearch.EngineVersion.OPENSEARCH_2_19
   */
  readonly engineVersion?: opensearch.EngineVersion;
  /**
   * Name of the domain (3 to 28 characters: lowercase letters, digits and hyphens, starting with a letter).
   * @default - derived from the construct path, so that the access policy can name the domain without a
   *   circular reference
   */
  readonly domainName?: string;
  /**
   * Availability zones the nodes are spread over: 2 or 3.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
   */
  readonly availabilityZoneCount?: number;
  /**
   * Multi-AZ with Standby: one of the three zones holds standby capacity that takes over within a minute
   * when a zone fails. Requires 3 zones, dedicated masters and data (and warm) nodes in multiples of 3.
   * @default true
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html#managedomains-za-standby
   */
  readonly multiAzWithStandbyEnabled?: boolean;
  /**
   * Dedicated master nodes: 3 or 5.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html
   */
  readonly masterNodes?: number;
  /**
   * Instance type of the dedicated master nodes.
   * @default 'm6g.large.search'
   */
  readonly masterNodeInstanceType?: string;
  /**
   * Data (hot) nodes: at least one per zone; even with 2 zones; a multiple of 3 with Multi-AZ with Standby.
   * @default 3
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
   */
  readonly dataNodes?: number;
  /**
   * Instance type of the data nodes.
   * @default 'r6g.large.search'
   */
  readonly dataNodeInstanceType?: string;
  /**
   * gp3 EBS volume size of each data node (whole GiB, at least 10 GiB).
   * @default Size.gibibytes(100)
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeSize?: Size;
  /**
   * Provisioned gp3 IOPS of each data node volume: 3,000 to 16,000 per started 3 TiB of volume size.
   * @default 3000
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeIops?: number;
  /**
   * Provisioned gp3 throughput of each data node volume, in MiB/s: 125 to 1,000 per started 3 TiB of volume size.
   * @default 125
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#ebsresource
   */
  readonly volumeThroughput?: number;
  /**
   * UltraWarm nodes: 0 disables UltraWarm; otherwise at least 2 (a multiple of 3 with Multi-AZ with Standby).
   * @default 0
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ultrawarm.html
   */
  readonly warmNodes?: number;
  /**
   * Instance type of the UltraWarm nodes: 'ultrawarm1.medium.search' (up to 1.5 TiB each) or
   * 'ultrawarm1.large.search' (up to 20 TiB each).
   * @default 'ultrawarm1.medium.search'
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/limits.html#limits-ultrawarm
   */
  readonly warmInstanceType?: string;
  /**
   * Cold storage (detached indexes in S3, reattached to UltraWarm on demand). Requires UltraWarm.
   * @default false
   * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cold-storage.html
   */
  readonly coldStorageEnabled?: boolean;
  /**
   * Master user of fine-grained access control.
   * @default OpenSearchMasterUser.iamRole() - an IAM role the cluster creates
   */
  readonly masterUser?: OpenSearchMasterUser;
  /**
   * Customer-managed key for the domain, its log groups and the master user secret. When you pass a key,
   * its policy must let the CloudWatch Logs service principal of the region use it.
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Minimum TLS version and ciphers of the HTTPS endpoint.
   * @default opensearch.TLSSecurityPolicy.TLS_1_2_PFS
   */
  readonly tlsSecurityPolicy?: opensearch.TLSSecurityPolicy;
  /**
   * Retention of the slow search, slow index, application and audit log groups (and of the other log
   * groups the cluster creates).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Index State Management policies applied at deployment; more can be added with `addIndexLifecycle`.
   * @default - none
   */
  readonly indexLifecycles?: OpenSearchIndexLifecycleProps[];
  /**
   * What happens to the domain, key, secret and log groups when they leave the stack. DESTROY also
   * needs the context flag `cdk-analytics-blueprints:removeDataOnDestroy=true`.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A production OpenSearch Service domain: dedicated masters and data nodes across three availability
 * zones (Multi-AZ with Standby), gp3 storage, optional UltraWarm and cold storage, fine-grained access
 * control with an IAM or internal master user, encryption with a customer-managed key, HTTPS only,
 * every log type in CloudWatch Logs, Index State Management policies as code, and the AWS-recommended
 * alarms with a dashboard.
 *
 * Topology rules that the service only enforces when CloudFormation creates the domain are checked at
 * synth, all at once.
 */
export class OpenSearchCluster extends Construct {
  /** The domain. */
  public readonly domain: opensearch.Domain;
  /** The key that encrypts the domain, its logs and the master user secret. */
  public readonly encryptionKey: kms.IKey;
  /** The VPC of the domain (undefined for a public endpoint). */
  public readonly vpc?: ec2.IVpc;
  /** The security group of the domain (undefined for a public endpoint). */
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
  /** Audit logs of fine-grained access control. */
  public readonly auditLogGroup: logs.ILogGroup;
  /** The alarms (empty when disabled). */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard, unless disabled. */
  public readonly dashboard?: cloudwatch.Dashboard;

  /** The name of the domain. */
  public readonly domainName: string;
  /** The removal policy of the domain, key, secret and log groups (after the destroy-data safety check). */
  public readonly removalPolicy: RemovalPolicy;
  /** Retention of the log groups. */
  public readonly logRetention: logs.RetentionDays;
  /** The subnets of the domain (undefined for a public endpoint). */
  public readonly vpcSubnets?: ec2.SubnetSelection;
  private readonly lifecycles: OpenSearchIndexLifecycleProps[] = [];
  private lifecycleFunction?: LifecycleFunction;
  private readonly networkConstruct?: SecureVpc;

  constructor(scope: Construct, id: string, props: OpenSearchClusterProps) {
    super(scope, id);

    const engineVersion = props.engineVersion ?? opensearch.EngineVersion.OPENSEARCH_2_19;
    const availabilityZoneCount = props.availabilityZoneCount ?? 3;
    const multiAzWithStandby = props.multiAzWithStandbyEnabled ?? true;
    const masterNodes = props.masterNodes ?? 3;
    const masterNodeInstanceType = props.masterNodeInstanceType ?? 'm6g.large.search';
    const dataNodes = props.dataNodes ?? 3;
    const dataNodeInstanceType = props.dataNodeInstanceType ?? 'r6g.large.search';
    const volumeSize = props.volumeSize ?? Size.gibibytes(100);
    const volumeSizeGiB = volumeSize.isUnresolved() ? volumeSize.toGibibytes() : volumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    const volumeIops = props.volumeIops ?? 3000;
    const volumeThroughput = props.volumeThroughput ?? 125;
    const warmNodes = props.warmNodes ?? 0;
    const warmInstanceType = props.warmInstanceType ?? 'ultrawarm1.medium.search';
    const warmEnabled = Token.isUnresolved(warmNodes) || warmNodes > 0;
    const coldStorageEnabled = props.coldStorageEnabled ?? false;
    const masterUser = (props.masterUser ?? OpenSearchMasterUser.iamRole())._config;
    const network = props.network._config;
    this.removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    this.logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;

    const stack = Stack.of(this);
    const domainName = props.domainName ?? generatedDomainName(this);
    this.domainName = domainName;
    const domainArn = stack.formatArn({ service: 'es', resource: 'domain', resourceName: domainName });

    // 1. Validate everything the service would reject late, all at once.
    validateAtSynth(this, v => {
      validateTopology(this, v, {
        engineVersion: engineVersion.version, availabilityZoneCount, multiAzWithStandby, masterNodes, dataNodes,
        dataNodeInstanceType, warmNodes, warmInstanceType, coldStorageEnabled, volumeSizeGiB, volumeIops, volumeThroughput,
      });
      if (network.kind === 'newVpc') {
        // One subnet per zone: the new VPC has exactly the zones it is given, and the service takes exactly
        // availabilityZoneCount subnets (aws-cdk-lib rejects fewer distinct zones, not more).
        v.check(network.availabilityZones.length === availabilityZoneCount, 'network.availabilityZones',
          network.availabilityZones, `must list exactly availabilityZoneCount (${availabilityZoneCount}) zones`);
      } else if (network.kind === 'vpc' && this.vpc && this.vpcSubnets) {
        // The service takes exactly one subnet per zone used ("You must specify exactly N subnets because
        // you've set zone count to N"); aws-cdk-lib only checks that the subnets span enough zones.
        // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-prereqs
        const selected = this.vpc.selectSubnets(this.vpcSubnets);
        if (!Token.isUnresolved(selected.subnetIds)) {
          v.check(selected.subnetIds.length === availabilityZoneCount, 'network.subnets', new Shown(`${selected.subnetIds.length} subnets`),
            `must select exactly one subnet per availability zone (availabilityZoneCount is ${availabilityZoneCount})`);
        }
      } else if (network.kind === 'public') {
        v.countInRange('network.allowedIpRanges', network.allowedIpRanges, 1, 100);
        for (const cidr of network.allowedIpRanges) {
          v.matches('network.allowedIpRanges', cidr, /^(\d{1,3}\.){3}\d{1,3}\/(\d|[12]\d|3[0-2])$/, 'IPv4 CIDR ranges such as 203.0.113.0/24');
          v.check(Token.isUnresolved(cidr) || !cidr.endsWith('/0'), 'network.allowedIpRanges', cidr, 'must not allow the whole internet');
        }
      }
      if (masterUser.kind === 'internal') {
        v.matches('masterUser.username', masterUser.username, /^.{1,64}$/, '1 to 64 characters');
      }
      const ids = new Set<string>();
      this.lifecycles.forEach((l, i) => {
        validateLifecycle(v, `indexLifecycles[${i}]`, l, { warmEnabled, coldEnabled: coldStorageEnabled });
        v.check(!ids.has(l.policyId), `indexLifecycles[${i}].policyId`, l.policyId, 'must be unique within the cluster');
        ids.add(l.policyId);
      });
    });

    // 2. Key, network, master user, logs.
    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', `Encrypts the OpenSearch domain ${domainName}, its log groups and its master user secret`, this.removalPolicy);
    // CloudWatch Logs encrypts the log groups with the key; scoped to this account's log groups.
    allowLogsToUseKey(this.encryptionKey);

    if (network.kind === 'newVpc') {
      // Isolated subnets only (one per AZ), and the endpoints the ISM policy function needs: S3 for the
      // CloudFormation response, STS to assume the master role, Secrets Manager for an internal master user.
      this.networkConstruct = new SecureVpc(this, 'Network', {
        purpose: 'the OpenSearch domain VPC',
        cidr: DOMAIN_VPC_CIDR,
        availabilityZones: network.availabilityZones,
        subnetName: 'Domain',
        subnetCidrMask: 22,
        flowLogEncryptionKey: this.encryptionKey,
        flowLogRetention: this.logRetention,
        removalPolicy: this.removalPolicy,
      });
      // A literal CIDR, so reviews and nag can read it.
      this.networkConstruct.allowEndpointAccessFrom(ec2.Peer.ipv4(DOMAIN_VPC_CIDR), 'HTTPS from the VPC');
      this.networkConstruct.addInterfaceEndpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
      if (masterUser.kind === 'internal') {
        this.networkConstruct.addInterfaceEndpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
      }
      this.vpc = this.networkConstruct.vpc;
      this.vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    } else if (network.kind === 'vpc') {
      this.vpc = network.vpc;
      this.vpcSubnets = network.subnets ?? {
        subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
        onePerAz: true,
        availabilityZones: Token.isUnresolved(network.vpc.availabilityZones)
          ? undefined : network.vpc.availabilityZones.slice(0, availabilityZoneCount),
      };
    }
    if (this.vpc) {
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: this.vpc,
        description: `OpenSearch domain ${domainName}: HTTPS from allowed peers only`,
        allowAllOutbound: false,
      });
    }

    let fineGrainedAccessControl: opensearch.AdvancedSecurityOptions;
    if (masterUser.kind === 'iamRole') {
      this.masterUserRole = masterUser.role ?? new iam.Role(this, 'MasterUserRole', {
        assumedBy: new iam.AccountRootPrincipal(),
        description: `Master user of fine-grained access control of the OpenSearch domain ${domainName}`,
      });
      fineGrainedAccessControl = { masterUserArn: this.masterUserRole.roleArn };
    } else {
      const secret = new secretsmanager.Secret(this, 'MasterUserSecret', {
        description: `Master user of the OpenSearch domain ${domainName}`,
        encryptionKey: this.encryptionKey,
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: masterUser.username }),
          generateStringKey: 'password',
          // OpenSearch requires upper, lower, digit and special characters; these would break JSON or shells.
          excludeCharacters: '{}\'\\*[]()`"/@:',
          passwordLength: 32,
        },
        removalPolicy: this.removalPolicy,
      });
      this.masterUserSecret = secret;
      fineGrainedAccessControl = { masterUserName: masterUser.username, masterUserPassword: secret.secretValueFromJson('password') };
      const reason = 'OpenSearch has no managed rotation for the internal master user: rotating it needs the security plugin API of the domain; rotate it with your own function or prefer OpenSearchMasterUser.iamRole().';
      acknowledgeNag(secret.node.defaultChild!,
        { id: 'AwsSolutions-SMG4', reason },
        ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(pack => ({ id: `${pack}-SecretsManagerRotationEnabled`, reason })));
    }

    const logGroup = (name: string) => new logs.LogGroup(this, name, {
      encryptionKey: this.encryptionKey,
      retention: this.logRetention,
      removalPolicy: this.removalPolicy,
    });
    this.slowSearchLogGroup = logGroup('SlowSearchLogs');
    this.slowIndexLogGroup = logGroup('SlowIndexLogs');
    this.appLogGroup = logGroup('AppLogs');
    this.auditLogGroup = logGroup('AuditLogs');
    const logGroups = [this.slowSearchLogGroup, this.slowIndexLogGroup, this.appLogGroup, this.auditLogGroup];
    // A native resource policy instead of aws-cdk-lib's Lambda-backed one (suppressLogsResourcePolicy),
    // scoped to this domain with aws:SourceArn / aws:SourceAccount.
    // @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html
    const logsPolicy = new logs.CfnResourcePolicy(this, 'LogsResourcePolicy', {
      policyName: `${domainName}-opensearch-logs`,
      policyDocument: stack.toJsonString({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'es.amazonaws.com' },
          Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
          Resource: logGroups.map(g => g.logGroupArn),
          Condition: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': domainArn } },
        }],
      }),
    });

    // 3. The domain.
    this.domain = new opensearch.Domain(this, 'Domain', {
      version: engineVersion,
      domainName,
      capacity: {
        masterNodes,
        masterNodeInstanceType,
        dataNodes,
        dataNodeInstanceType,
        warmNodes: warmEnabled ? warmNodes : undefined,
        warmInstanceType: warmEnabled ? warmInstanceType : undefined,
        multiAzWithStandbyEnabled: multiAzWithStandby,
      },
      zoneAwareness: { enabled: true, availabilityZoneCount },
      ebs: {
        volumeSize: volumeSizeGiB,
        volumeType: ec2.EbsDeviceVolumeType.GP3,
        iops: volumeIops,
        throughput: volumeThroughput,
      },
      coldStorageEnabled: coldStorageEnabled || undefined,
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
    cfnDomain.addResourceDependency(logsPolicy);
    // The access policy is set on the CloudFormation resource directly (aws-cdk-lib's `accessPolicies`
    // goes through a Lambda-backed custom resource), naming the domain by its ARN built from the name.
    cfnDomain.accessPolicies = this.accessPolicy(domainArn, network.kind === 'public' ? network.allowedIpRanges : undefined,
      masterUser.kind === 'internal').toJSON();

    if (network.kind !== 'public') {
      acknowledgeNag(cfnDomain, {
        id: 'AwsSolutions-OS3',
        reason: 'VPC domain: reachable only inside the VPC through its security group; OpenSearch Service does not support IP-based access policies for VPC domains, so IAM and fine-grained access control authorize requests.',
      });
    }
    if (network.kind === 'public') {
      acknowledgeNag(cfnDomain, {
        id: 'AwsSolutions-OS3',
        reason: 'Every statement but one requires an allowed source IP; the exception is the master user role, which the ISM policy function assumes from Lambda outside any VPC, whose source IP is not fixed.',
      });
      const reason = 'The user chose OpenSearchNetwork.publicEndpoint: the endpoint is restricted by the source-IP condition and IAM in the access policy, and fine-grained access control authorizes every request.';
      acknowledgeNag(cfnDomain,
        ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map(pack => ({ id: `${pack}-OpenSearchInVPCOnly`, reason })),
        { id: 'AwsSolutions-OS1', reason });
    }
    if (masterUser.kind === 'internal') {
      acknowledgeNag(cfnDomain, {
        id: 'AwsSolutions-OS5',
        reason: 'An internal master user signs in with HTTP basic auth, which IAM sees as anonymous: the access policy must allow it, and fine-grained access control authenticates and authorizes every request.',
      });
    }

    // 4. Lifecycle policies.
    for (const l of props.indexLifecycles ?? []) {
      this.addIndexLifecycle(l);
    }

    // 5. Alarms and dashboard.
    const monitoring = new ArchitectureMonitoring(this, 'Monitoring', {
      ...props,
      title: `OpenSearch domain ${domainName}`,
      alarms: clusterAlarms(this.domain, {
        nodes: masterNodes + dataNodes + (warmEnabled ? warmNodes : 0),
        volumeSizeGiB,
      }),
      sections: [
        { title: 'Cluster health', widgets: [
          graph('Cluster status', [this.domain.metricClusterStatusRed(), this.domain.metricClusterStatusYellow()]),
          graph('Nodes and writes blocked', [this.domain.metricNodes({ period: Duration.minutes(5) })], [this.domain.metricClusterIndexWritesBlocked()]),
        ] },
        { title: 'Storage', widgets: [
          graph('Free storage per node (MiB, minimum)', [this.domain.metricFreeStorageSpace()]),
          graph('Searchable documents', [this.domain.metricSearchableDocuments()]),
        ] },
        { title: 'Data and master nodes', widgets: [
          graph('Data node CPU and JVM memory pressure (%)', [this.domain.metricCPUUtilization(), this.domain.metricJVMMemoryPressure()]),
          graph('Master node CPU and JVM memory pressure (%)', [this.domain.metricMasterCPUUtilization(), this.domain.metricMasterJVMMemoryPressure()]),
        ] },
        { title: 'Latency', widgets: [
          graph('Search latency p99 (ms)', [this.domain.metricSearchLatency()]),
          graph('Indexing latency p99 (ms)', [this.domain.metricIndexingLatency()]),
        ] },
      ],
    });
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
  }

  /**
   * The role of the function that applies the lifecycle policies (undefined until a lifecycle is added).
   * A master user role you pass in must trust it.
   */
  public get lifecycleFunctionRole(): iam.IRole | undefined {
    return this.lifecycleFunction?.role;
  }

  /**
   * Applies an Index State Management policy to the domain at deployment (and updates or deletes it
   * with the stack).
   */
  public addIndexLifecycle(lifecycle: OpenSearchIndexLifecycleProps): void {
    this.lifecycles.push(lifecycle);
    const fn = this.lifecycleFunction ?? this.createLifecycleFunction();
    const id = `IsmPolicy-${lifecycle.policyId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    // A repeated policy id is reported by the synth-time validation, with every other problem.
    if (this.node.tryFindChild(id)) return;
    const resource = new CustomResource(this, id, {
      serviceToken: fn.function.functionArn,
      resourceType: 'Custom::OpenSearchIsmPolicy',
      properties: {
        Endpoint: this.domain.domainEndpoint,
        Region: Stack.of(this).region,
        PolicyId: lifecycle.policyId,
        Policy: Stack.of(this).toJsonString(renderLifecyclePolicy(lifecycle)),
        RoleArn: this.masterUserRole?.roleArn,
        SecretArn: this.masterUserSecret?.secretArn,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    resource.node.addDependency(this.domain, fn);
    if (this.networkConstruct) {
      // The function reaches STS, Secrets Manager and S3 through the VPC endpoints: wait for them.
      resource.node.addDependency(this.networkConstruct);
    }
  }

  /**
   * Creates a fine-grained access control role with `role` as its document and maps `backendRoles` (IAM role
   * ARNs) to it, at deployment, through the domain's security API.
   * @internal
   */
  public _addRoleMapping(id: string, securityRole: string, role: Record<string, unknown>, backendRoles: string[]): CustomResource {
    const fn = this.lifecycleFunction ?? this.createLifecycleFunction();
    const resource = new CustomResource(this, id, {
      serviceToken: fn.function.functionArn,
      resourceType: 'Custom::OpenSearchRoleMapping',
      properties: {
        Endpoint: this.domain.domainEndpoint,
        Region: Stack.of(this).region,
        SecurityRole: securityRole,
        Role: Stack.of(this).toJsonString(role),
        BackendRoles: backendRoles,
        RoleArn: this.masterUserRole?.roleArn,
        SecretArn: this.masterUserSecret?.secretArn,
      },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    resource.node.addDependency(this.domain, fn);
    if (this.networkConstruct) {
      resource.node.addDependency(this.networkConstruct);
    }
    return resource;
  }

  /** Metric of the minimum free storage space of a data node, in MiB. */
  public metricFreeStorageSpace(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricFreeStorageSpace(props);
  }

  /** Metric of the maximum JVM memory pressure of the data nodes, in percent. */
  public metricJvmMemoryPressure(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricJVMMemoryPressure(props);
  }

  /** Metric of the red cluster status (1 when at least one primary shard is not allocated). */
  public metricClusterStatusRed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.domain.metricClusterStatusRed(props);
  }

  /** Metric of the p99 search latency, in milliseconds. */
  public metricSearchLatency(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.domain.metricSearchLatency(props);
  }

  private createLifecycleFunction(): LifecycleFunction {
    const fn = new LifecycleFunction(this, 'IsmPolicyFunction', {
      encryptionKey: this.encryptionKey,
      logRetention: this.logRetention,
      removalPolicy: this.removalPolicy,
      vpc: this.vpc,
      vpcSubnets: this.vpcSubnets,
    });
    if (this.masterUserRole) {
      fn.policy.addStatements(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [this.masterUserRole.roleArn] }));
    }
    if (this.masterUserSecret) {
      fn.policy.addStatements(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.masterUserSecret.secretArn] }),
        new iam.PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
        }),
      );
    }
    if (this.securityGroup && fn.securityGroup) {
      this.securityGroup.addIngressRule(fn.securityGroup, ec2.Port.tcp(443), 'ISM policy function to the domain REST API');
    }
    this.lifecycleFunction = fn;
    return fn;
  }

  /**
   * IAM principals of this account may call the domain's REST API (their IAM policies and fine-grained
   * access control decide the rest); a public endpoint also requires one of the allowed source IPs, except
   * for the master user role, which the ISM policy function uses from outside any VPC.
   */
  private accessPolicy(domainArn: string, allowedIpRanges: string[] | undefined, internalUser: boolean): iam.PolicyDocument {
    const principal = internalUser ? new iam.AnyPrincipal() : new iam.AccountRootPrincipal();
    const doc = new iam.PolicyDocument();
    doc.addStatements(new iam.PolicyStatement({
      principals: [principal],
      actions: ['es:ESHttp*'],
      resources: [`${domainArn}/*`],
      // cdk-nag reads the key in this spelling; IAM condition keys are case-insensitive.
      conditions: allowedIpRanges ? { IpAddress: { 'aws:sourceIp': allowedIpRanges } } : undefined,
    }));
    if (allowedIpRanges && this.masterUserRole) {
      doc.addStatements(new iam.PolicyStatement({
        principals: [new iam.ArnPrincipal(this.masterUserRole.roleArn)],
        actions: ['es:ESHttp*'],
        resources: [`${domainArn}/*`],
      }));
    }
    return doc;
  }
}

/**
 * A domain name (3-28 characters, lowercase letters, digits and hyphens, starting with a letter) that is
 * unique per construct path and stable across deployments.
 */
function generatedDomainName(scope: Construct): string {
  const hash = Names.uniqueId(scope).slice(-8).toLowerCase();
  const readable = `${Stack.of(scope).stackName}-${scope.node.id}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const prefix = /^[a-z]/.test(readable) ? readable : `os-${readable}`;
  return `${prefix.slice(0, 19).replace(/-+$/, '')}-${hash}`;
}
