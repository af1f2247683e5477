import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { checkAvailabilityZones, stackZoneSource, withStackAvailabilityZones } from './availability-zones';
import { acknowledgeInCompliancePacks } from './compliance-packs';
import { createEncryptionKey } from './encryption-key';
import { bucketsOfThisAccountStatement, givenBucketsStatement, principalsOfThisAccountStatement } from './endpoint-policies';
import { allowLogsToUseKey, ensureLogsCanUseKey } from './logs-key-policy';
import { ManagedPolicyRole } from './managed-policy-role';
import { acknowledgeNag } from './nag';
import { resolveRemovalPolicy } from './removal-policy';
import { Shown, validateAtSynth } from './validation';

/**
 * Options of `SecureVpc.addInterfaceEndpoint`.
 */
export interface SecureVpcInterfaceEndpointOptions {
  /**
   * Let through the endpoint only requests signed by principals of this account (`aws:PrincipalAccount`),
   * so that credentials of another account cannot be used from inside the VPC. Turn it off only for a
   * service that principals of other accounts must reach through this VPC, and then pass
   * `policyStatements`.
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
   * @default true
   */
  readonly principalsOfThisAccountOnly?: boolean;
  /**
   * More statements for the endpoint policy. Each needs a `Principal` (an endpoint policy is a resource
   * policy); the endpoint allows what any statement allows.
   * @default - none
   */
  readonly policyStatements?: iam.PolicyStatement[];
}

/**
 * Props of `SecureVpc`.
 */
export interface SecureVpcProps {
  /**
   * What the VPC is for, in words (`the Redshift warehouse network`); used in resource descriptions.
   * @default - the construct path
   */
  readonly purpose?: string;
  /**
   * IPv4 CIDR of the VPC.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability Zones, one subnet of each kind per zone. They are all synth needs: no context lookup is
   * made for them, also in a stack with an explicit account and region. Each must be a zone of the stack's
   * region when the region is known (`us-east-1a` in `eu-west-1` fails at synth), and one of the context's
   * zones when the context holds them.
   *
   * In a stack with an explicit account and region that does not override `availabilityZones` and whose
   * context does not hold them, they must be given: synth fails naming this property, instead of leaving
   * the CDK CLI a lookup that needs AWS credentials.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html
   * @default - the first `maxAzs` of the stack's Availability Zones, as `ec2.Vpc` picks them: `Fn::GetAZs` in
   * an environment-agnostic stack, the stack's override or the context otherwise
   */
  readonly availabilityZones?: string[];
  /**
   * Number of Availability Zones when `availabilityZones` is not given.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * Name of the workload subnets (one per zone).
   * @default 'Private'
   */
  readonly subnetName?: string;
  /**
   * Size of the workload subnets, as a CIDR mask. Glue gives every worker and EMR every node an IP address.
   * @default 20
   */
  readonly subnetCidrMask?: number;
  /**
   * NAT gateways. With 0 the workload subnets are isolated (no internet route at all); with more, the
   * VPC adds public subnets that hold only the NAT gateways (no public IP on launch) and the workload
   * subnets get egress through them.
   * @default 0
   */
  readonly natGateways?: number;
  /**
   * Name of the public NAT subnets, when `natGateways` is above 0.
   * @default 'Nat'
   */
  readonly natSubnetName?: string;
  /**
   * Size of the public NAT subnets, as a CIDR mask, when `natGateways` is above 0.
   * @default 26
   */
  readonly natSubnetCidrMask?: number;
  /**
   * Add an S3 gateway endpoint (S3 without NAT, and without NAT data processing charges). Its endpoint
   * policy admits only the buckets of this account (`aws:ResourceAccount`), or only `s3EndpointBuckets`,
   * plus `s3EndpointPolicyStatements`: data cannot leave the VPC for another account's bucket.
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#vpc-endpoints-policies-s3
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;
  /**
   * The only buckets the S3 gateway endpoint lets the VPC reach (with their objects), instead of every
   * bucket of this account.
   * @default - every bucket owned by this account (`aws:ResourceAccount`)
   */
  readonly s3EndpointBuckets?: s3.IBucket[];
  /**
   * More statements for the S3 gateway endpoint policy: buckets of other accounts the workloads need,
   * such as the AWS-owned repositories of EMR (`S3EndpointAccess.emrClusters(this)`). Each needs a
   * `Principal` (an endpoint policy is a resource policy). Add more later with `s3Endpoint.addToPolicy()`.
   * @default - none
   */
  readonly s3EndpointPolicyStatements?: iam.PolicyStatement[];
  /**
   * Key of the flow log group. CloudWatch Logs must be allowed to use it: a key of this app gets the
   * statement of the CloudWatch Logs guide (scoped to `flowLogGroupName` when given, else to this account's
   * log groups in this region); for an imported key, whose policy cannot be changed here, synth warns
   * (`cdk-analytics-blueprints:logsKeyPolicyNotVerified`) with the statement it must carry.
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   * @default - a new customer-managed key with rotation, whose policy lets CloudWatch Logs of this account and region use it
   */
  readonly flowLogEncryptionKey?: kms.IKey;
  /**
   * Retention of the flow log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * Name of the flow log group (for a key policy scoped to it).
   * @default - generated by CloudFormation
   */
  readonly flowLogGroupName?: string;
  /**
   * What happens to the flow log group (and a key this construct creates) on stack deletion. `DESTROY`
   * takes effect only with the context flag `cdk-analytics-blueprints:removeDataOnDestroy`.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept on delete and replacement, deleted when the create rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The VPC an architecture creates when the user passes none, with the secure defaults they all share:
 *
 * - isolated subnets only (or, with NAT, private subnets with egress and public subnets that hold only the
 *   NAT gateways), in explicit Availability Zones or the stack's;
 * - the default security group closed (`restrictDefaultSecurityGroup`);
 * - flow logs of all traffic to a KMS-encrypted log group with retention, delivered by a role whose only
 *   permissions are in a customer-managed policy (the packs flag inline policies), that only the flow logs
 *   of this account can assume (`aws:SourceAccount`, `aws:SourceArn`), and that the flow log waits for;
 * - an S3 gateway endpoint whose policy admits only this account's buckets (or the given ones), and
 *   interface endpoints behind one security group that accepts HTTPS only, from the peers the
 *   architecture allows, whose policies admit only this account's principals;
 * - no context lookup: given Availability Zones are all synth needs, and where a lookup would be needed,
 *   synth fails naming the property instead;
 * - `CloudFormation-Validate::W3010` acknowledged on each subnet (the AZ names are literal by design), and,
 *   with NAT, the public subnets' route to the internet gateway acknowledged on that route only.
 *
 * Every architecture builds the VPC it creates with it; use it for a VPC that several architectures share
 * (see `examples/analytics-platform`), and place workloads with `workloadSubnets`.
 *
 * @example
 * const network = new SecureVpc(this, 'Network', {
 *   availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
 *   natGateways: 1,
 * });
 * new RedshiftWarehouse(this, 'Warehouse', {
 *   network: AnalyticsNetwork.fromVpc(network.vpc, { subnets: network.workloadSubnets }),
 * });
 */
export class SecureVpc extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The encrypted log group of the flow logs. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The role the flow logs are delivered with. */
  public readonly flowLogRole: ManagedPolicyRole;
  /**
   * The workload subnets (one per zone; isolated, or private with egress when there is NAT), selected by
   * their group name: pass it to `AnalyticsNetwork.fromVpc(vpc, { subnets })`, so that the selection never
   * depends on which subnet types the VPC has.
   */
  public readonly workloadSubnets: ec2.SubnetSelection;
  /** The S3 gateway endpoint, when `s3GatewayEndpoint` is on; `addToPolicy()` adds statements to its policy. */
  public readonly s3Endpoint?: ec2.GatewayVpcEndpoint;
  private readonly purpose: string;
  private endpointSg?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: SecureVpcProps = {}) {
    super(scope, id);
    this.purpose = props.purpose ?? this.node.path;
    const natGateways = props.natGateways ?? 0;
    const subnetName = props.subnetName ?? 'Private';
    const subnetCidrMask = props.subnetCidrMask ?? 20;
    const removalPolicy = resolveRemovalPolicy(this, props.removalPolicy);
    const stack = Stack.of(this);
    let flowLogEncryptionKey = props.flowLogEncryptionKey;
    if (!flowLogEncryptionKey) {
      flowLogEncryptionKey = createEncryptionKey(this, 'FlowLogKey', `Encrypts the VPC flow logs of ${this.purpose}`, removalPolicy);
      allowLogsToUseKey(flowLogEncryptionKey);
    }
    const subnetConfiguration: ec2.SubnetConfiguration[] = natGateways > 0
      ? [
        { name: props.natSubnetName ?? 'Nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: props.natSubnetCidrMask ?? 26, mapPublicIpOnLaunch: false },
        { name: subnetName, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: subnetCidrMask },
      ]
      : [{ name: subnetName, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: subnetCidrMask }];
    const maxAzs = props.maxAzs ?? 2;
    const zoneSource = stackZoneSource(stack);
    validateAtSynth(this, v => {
      checkAvailabilityZones(v, stack, props.availabilityZones, zoneSource);
      const s3Endpoint = props.s3GatewayEndpoint ?? true;
      v.requires('s3EndpointBuckets', props.s3EndpointBuckets !== undefined, s3Endpoint, 's3GatewayEndpoint (the endpoint they scope)');
      v.requires('s3EndpointPolicyStatements', props.s3EndpointPolicyStatements !== undefined, s3Endpoint, 's3GatewayEndpoint (the endpoint they extend)');
      // An endpoint policy statement needs a resource: an empty list would leave the endpoint admitting nothing.
      if (s3Endpoint && props.s3EndpointBuckets !== undefined) {
        v.check(props.s3EndpointBuckets.length > 0, 's3EndpointBuckets', new Shown('[]'),
          'must list at least one bucket (leave it unset to admit every bucket of this account)');
      }
    });
    const buildVpc = () => new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      // ec2.Vpc accepts one of the two.
      availabilityZones: props.availabilityZones,
      maxAzs: props.availabilityZones ? undefined : maxAzs,
      natGateways,
      subnetConfiguration,
      restrictDefaultSecurityGroup: true,
    });
    // Where reading the stack's zones would be a lookup (or, with given zones, only a check that
    // checkAvailabilityZones makes itself), ec2.Vpc is built with the stack answering the given zones: see
    // withStackAvailabilityZones. Without given zones, the validation above fails synth; the placeholder
    // zones (aws-cdk-lib's own dummies) only let construction finish so that every error is reported at once.
    const answer = props.availabilityZones ?? ['dummy1a', 'dummy1b', 'dummy1c'].slice(0, maxAzs);
    this.vpc = zoneSource.kind === 'lookup' || (zoneSource.kind === 'context' && props.availabilityZones !== undefined)
      ? withStackAvailabilityZones(stack, answer, buildVpc)
      : buildVpc();
    this.workloadSubnets = { subnetGroupName: subnetName };
    acknowledgeLiteralAzs(this.vpc);
    acknowledgeNatRoutes(this.vpc);

    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: props.flowLogGroupName,
      encryptionKey: flowLogEncryptionKey,
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy,
    });
    // A key the construct did not create: its policy must admit CloudWatch Logs for this log group.
    if (props.flowLogEncryptionKey) {
      ensureLogsCanUseKey(this, props.flowLogEncryptionKey, this.flowLogGroup);
    }
    this.flowLogRole = new ManagedPolicyRole(this, 'FlowLogRole', {
      // Only the flow logs of this account may assume the role (confused-deputy protection, as the VPC
      // guide recommends). The flow log's id is not known before it exists, and the flow log needs the
      // role first: its ARN is matched with a wildcard for the id, as the guide allows.
      // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
        },
      }),
      description: `Delivers the VPC flow logs of ${this.purpose}`,
    });
    this.flowLogRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DeliverFlowLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [this.flowLogGroup.logGroupArn],
    }));
    // The L1: the role already holds its permissions, and the L2 would add acknowledgments of its own.
    const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: this.vpc.vpcId,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: this.flowLogGroup.logGroupName,
      deliverLogsPermissionArn: this.flowLogRole.roleArn,
    });
    // The role must hold its permissions before EC2 starts delivering.
    flowLog.node.addDependency(this.flowLogRole.allPolicies);

    // Without subnets (an empty zone list, which validation reports) there is no route table for it.
    if ((props.s3GatewayEndpoint ?? true) && this.vpc.availabilityZones.length > 0) {
      this.s3Endpoint = this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const buckets = props.s3EndpointBuckets;
      const scope = buckets === undefined || buckets.length === 0 ? bucketsOfThisAccountStatement(this) : givenBucketsStatement(buckets);
      this.s3Endpoint.addToPolicy(scope);
      for (const statement of props.s3EndpointPolicyStatements ?? []) {
        this.s3Endpoint.addToPolicy(statement);
      }
    }
  }

  /**
   * The security group of the interface endpoints: HTTPS in, from the peers allowed with
   * `allowEndpointAccessFrom` only; nothing out. Created with the first endpoint.
   */
  public get endpointSecurityGroup(): ec2.SecurityGroup {
    this.endpointSg ??= new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: `VPC interface endpoints of ${this.purpose}: HTTPS only`,
      allowAllOutbound: false,
    });
    return this.endpointSg;
  }

  /**
   * Adds an interface endpoint (private DNS on) behind `endpointSecurityGroup`, in the workload subnets,
   * whose endpoint policy admits only principals of this account (unless `options` say otherwise). The
   * service must support endpoint policies when the endpoint gets one (all the services the architectures
   * use do: Glue, STS, Secrets Manager, KMS, CloudWatch, CloudWatch Logs).
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html
   */
  public addInterfaceEndpoint(id: string, service: ec2.InterfaceVpcEndpointAwsService,
    options: SecureVpcInterfaceEndpointOptions = {}): ec2.InterfaceVpcEndpoint {
    const endpoint = this.vpc.addInterfaceEndpoint(id, {
      service,
      privateDnsEnabled: true,
      subnets: this.workloadSubnets,
      securityGroups: [this.endpointSecurityGroup],
      open: false,
    });
    if (options.principalsOfThisAccountOnly ?? true) {
      endpoint.addToPolicy(principalsOfThisAccountStatement(this));
    }
    for (const statement of options.policyStatements ?? []) {
      endpoint.addToPolicy(statement);
    }
    return endpoint;
  }

  /** Lets `peer` reach the interface endpoints over HTTPS. */
  public allowEndpointAccessFrom(peer: ec2.IPeer, description: string): void {
    this.endpointSecurityGroup.addIngressRule(peer, ec2.Port.tcp(443), description);
  }
}

/**
 * With NAT, the public subnets hold only the NAT gateways and their route to the internet gateway is what
 * a NAT gateway needs: the packs' `VPCNoUnrestrictedRouteToIGW` is acknowledged on each such route only.
 */
function acknowledgeNatRoutes(vpc: ec2.Vpc): void {
  const reason = 'This public subnet holds only the NAT gateway that gives the private subnets egress; ' +
    'no instance is launched in it and it assigns no public IPs.';
  for (const subnet of vpc.publicSubnets) {
    const route = subnet.node.tryFindChild('DefaultRoute');
    if (route) {
      acknowledgeNag(route, ...acknowledgeInCompliancePacks('VPCNoUnrestrictedRouteToIGW', reason));
    }
  }
}

/**
 * Acknowledges `CloudFormation-Validate::W3010` ("avoid hardcoding availability zones") on each subnet of
 * `vpc`. In a stack with a region the AZ names are literal by design: they come from the stack (context or
 * an `availabilityZones` override) or from the user, because the library never looks them up at synth.
 * Each subnet is acknowledged on its own: aws-cdk-lib applies an acknowledgment app-wide
 * (aws/aws-cdk#38495), so relying on another architecture's would leave a stack synthesized alone warning.
 */
function acknowledgeLiteralAzs(vpc: ec2.Vpc): void {
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    Validations.of(subnet.node.defaultChild!).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'AZ names come from the stack (context or an availabilityZones override) or the user: the library never looks them up at synth',
    });
  }
}
