import { ArnFormat, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Props of `PlatformNetwork`. */
export interface PlatformNetworkProps {
  /** The Availability Zones, one private subnet each (OpenSearch uses three). */
  readonly availabilityZones: string[];
  /** Key of the flow-log group. */
  readonly encryptionKey: kms.IKey;
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** NAT gateways (one is cheapest; one per AZ survives the loss of an AZ). */
  readonly natGateways: number;
}

/**
 * The one VPC every architecture of the platform runs in: small public subnets that hold only the NAT
 * gateway(s), private subnets with egress for Glue, EMR, Redshift and OpenSearch, an S3 gateway endpoint
 * (S3 traffic skips the NAT's per-GB charge), and flow logs to an encrypted log group.
 */
export class PlatformNetwork extends Construct {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: props.availabilityZones,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'Nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
        // Glue gives every worker an IP address, EMR every node: /20 leaves ~4,000 per AZ.
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    // AmazonEMRServicePolicy_v2 lets EMR launch only into subnets carrying this tag.
    // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
    for (const subnet of this.vpc.privateSubnets) {
      Tags.of(subnet).add('for-use-with-amazon-emr-managed-policies', 'true');
    }
    // The AZ names are pinned on purpose, so that synth needs no lookup and the template does not change
    // with what a lookup returns; the stack takes them as a prop.
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets]) {
      Validations.of(subnet.node.defaultChild!).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason: 'The Availability Zones are pinned (a stack prop) so that synth needs no AZ lookup.',
      });
    }

    // CloudWatch Logs encrypts the flow-log group with the key only if the key policy lets it.
    props.encryptionKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`, {
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: props.encryptionKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A customer-managed policy (the HIPAA/NIST/PCI packs flag inline policies); `withoutPolicyUpdates`
    // keeps aws-cdk-lib from adding an inline one.
    const role = new iam.Role(this, 'FlowLogsRole', { assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com') });
    const policy = new iam.ManagedPolicy(this, 'FlowLogsPolicy', {
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogs.logGroupArn],
      })],
    });
    const flowLog = this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    flowLog.node.addDependency(policy);

    // The public subnets' route to the internet gateway is what a NAT gateway needs. The library's own
    // acknowledgment helper is internal, so this uses aws-cdk-lib's API, on each route only.
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (!route) continue;
      const reason = 'This public subnet holds only the NAT gateway that gives the private subnets egress; ' +
        'nothing else is launched in it and it assigns no public IPs.';
      Validations.of(route).acknowledge(...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']
        .map(pack => ({ id: `${pack}-VPCNoUnrestrictedRouteToIGW`, reason })));
    }
  }
}
