import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Props of `WarehouseVpc`. */
export interface WarehouseVpcProps {
  /** Key that encrypts the flow log group. */
  readonly encryptionKey: kms.IKey;
  /** Name of the flow log group (so the key policy can scope the logs service to it). */
  readonly flowLogGroupName: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The VPC a warehouse creates when none is passed: isolated subnets only (no internet route at all),
 * flow logs to an encrypted log group, the default security group closed, and the S3 gateway and
 * Glue interface endpoints that COPY/UNLOAD and Spectrum need under enhanced VPC routing.
 *
 * A candidate for `lib/core`: every architecture that runs in a VPC needs the same secure default.
 */
export class WarehouseVpc extends Construct {
  public readonly vpc: ec2.Vpc;
  /** The Glue interface endpoint; closed until the warehouse allows its own security group. */
  public readonly glueEndpoint: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: WarehouseVpcProps) {
    super(scope, id);
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: props.flowLogGroupName,
      retention: logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    // A managed (not inline) policy, and an immutable view of the role so that FlowLog adds no inline
    // DefaultPolicy of its own.
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Writes the VPC flow logs of the Redshift warehouse network',
    });
    const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      roles: [flowLogRole],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogs.logGroupArn],
      })],
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr('10.40.0.0/16'),
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'warehouse', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs, flowLogRole.withoutPolicyUpdates()),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    this.vpc.node.findChild('all').node.addDependency(flowLogPolicy);
    // In a stack with an explicit region the AZ names are literal by design: they come from the stack
    // (context or an availabilityZones override), because the library never looks them up at synth.
    for (const subnet of this.vpc.isolatedSubnets) {
      Validations.of(subnet.node.defaultChild!).acknowledge({
        id: 'CloudFormation-Validate::W3010',
        reason: 'AZ names come from the stack (context or an availabilityZones override): the library never looks them up at synth',
      });
    }
    this.glueEndpoint = this.vpc.addInterfaceEndpoint('Glue', {
      service: ec2.InterfaceVpcEndpointAwsService.GLUE,
      privateDnsEnabled: true,
      open: false,
    });
  }
}
