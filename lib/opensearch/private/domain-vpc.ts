import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Address range of the VPC `OpenSearchNetwork.newVpc()` creates. */
const VPC_CIDR = '10.0.0.0/16';

/** Props of `DomainVpc`. */
export interface DomainVpcProps {
  readonly availabilityZones: string[];
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Add a Secrets Manager endpoint (the master user is internal and its password is read from there). */
  readonly secretsManagerEndpoint: boolean;
}

/**
 * The VPC `OpenSearchNetwork.newVpc()` creates: isolated subnets only (one per AZ, no internet gateway,
 * no NAT), flow logs to an encrypted log group, the default security group closed, and the endpoints
 * that the ISM policy function needs (S3 for the CloudFormation response, STS to assume the master role,
 * Secrets Manager for an internal master user).
 *
 * The default security group is closed by aws-cdk-lib's CDK-managed provider (`restrictDefaultSecurityGroup`);
 * cdk-nag raises no finding on that provider, so nothing is acknowledged here.
 */
export class DomainVpc extends Construct {
  public readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: DomainVpcProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
      availabilityZones: props.availabilityZones,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Domain', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      restrictDefaultSecurityGroup: true,
    });

    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      description: 'Delivers the VPC flow logs of the OpenSearch domain VPC',
    });
    const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      roles: [flowLogRole],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [flowLogs.logGroupArn],
      })],
    });
    // The L1 flow log: the L2 grants its role through an inline default policy.
    const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', {
      resourceId: this.vpc.vpcId,
      resourceType: 'VPC',
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: flowLogs.logGroupName,
      deliverLogsPermissionArn: flowLogRole.roleArn,
    });
    flowLog.node.addDependency(flowLogPolicy);

    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // Interface endpoints accept HTTPS from inside the VPC only (a literal CIDR, so reviews and nag can read it).
    const endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'VPC interface endpoints of the OpenSearch domain VPC: HTTPS from the VPC',
      allowAllOutbound: false,
    });
    endpointSg.addIngressRule(ec2.Peer.ipv4(VPC_CIDR), ec2.Port.tcp(443), 'HTTPS from the VPC');
    const endpoint = (id: string, service: ec2.InterfaceVpcEndpointAwsService) => this.vpc.addInterfaceEndpoint(id, {
      service, privateDnsEnabled: true, securityGroups: [endpointSg], open: false,
    });
    endpoint('Sts', ec2.InterfaceVpcEndpointAwsService.STS);
    if (props.secretsManagerEndpoint) {
      endpoint('SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
    }
  }
}
