import { RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { S3EndpointAccess } from '../../core/endpoint-policies';
import { allowLogsToUseKey } from '../../core/logs-key-policy';
import { SecureVpc } from '../../core/secure-vpc';

/**
 * The tag `AmazonEMRServicePolicy_v2` requires on the subnets and security groups a cluster uses.
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-iam-policies.html#manually-tagged-resources
 */
export const EMR_MANAGED_TAG = { key: 'for-use-with-amazon-emr-managed-policies', value: 'true' };

/** The three EMR-managed security groups. */
export interface EmrSecurityGroups {
  readonly primary: ec2.SecurityGroup;
  readonly coreAndTask: ec2.SecurityGroup;
  readonly serviceAccess: ec2.SecurityGroup;
}

/**
 * A VPC for the cluster: the core `SecureVpc` with one NAT gateway, whose public subnets hold only the
 * NAT gateway (no public IPs on launch), private subnets with egress for the nodes (tagged for the EMR
 * managed policy), an S3 gateway endpoint (EMR reads and writes S3 without paying NAT data processing),
 * and flow logs to a log group encrypted with `key`.
 */
export function createVpc(scope: Construct, key: kms.IKey, removalPolicy: RemovalPolicy, availabilityZones?: string[]): ec2.Vpc {
  // CloudWatch Logs encrypts the group with the key only if the key policy lets the regional service use it.
  allowLogsToUseKey(key);
  const network = new SecureVpc(scope, 'Network', {
    purpose: `the EMR cluster ${scope.node.path}`,
    cidr: '10.0.0.0/16',
    // Explicit AZs if given, else the stack's (as ec2.Vpc picks them): never guessed from the region name.
    availabilityZones,
    maxAzs: 2,
    natGateways: 1,
    natSubnetName: 'Nat',
    natSubnetCidrMask: 26,
    subnetName: 'Cluster',
    subnetCidrMask: 20,
    flowLogEncryptionKey: key,
    // The S3 endpoint admits this account's buckets; the nodes also read the AWS-owned Amazon Linux and
    // EMR repositories and write EMR's system logs through it.
    s3EndpointPolicyStatements: S3EndpointAccess.emrClusters(scope),
    removalPolicy,
  });
  for (const subnet of network.vpc.privateSubnets) {
    Tags.of(subnet).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }
  return network.vpc;
}

/**
 * The EMR-managed security groups, with every rule EMR needs declared in the template, so EMR adds no
 * cross-group rules of its own (those rules block stack deletion), and no rule is open to 0.0.0.0/0.
 *
 * @see https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html
 */
export function createSecurityGroups(scope: Construct, vpc: ec2.IVpc): EmrSecurityGroups {
  const primary = new ec2.SecurityGroup(scope, 'PrimarySecurityGroup', {
    vpc, allowAllOutbound: true, description: 'EMR-managed security group of the primary node',
  });
  const coreAndTask = new ec2.SecurityGroup(scope, 'CoreTaskSecurityGroup', {
    vpc, allowAllOutbound: true, description: 'EMR-managed security group of the core and task nodes',
  });
  const serviceAccess = new ec2.SecurityGroup(scope, 'ServiceAccessSecurityGroup', {
    vpc, allowAllOutbound: false, description: 'EMR-managed service access security group for private subnets',
  });
  // Cluster nodes talk to each other on every port (YARN, HDFS, Spark shuffle...).
  for (const a of [primary, coreAndTask]) {
    for (const b of [primary, coreAndTask]) {
      a.addIngressRule(b, ec2.Port.allTcp(), `All TCP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
      a.addIngressRule(b, ec2.Port.allUdp(), `All UDP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
      a.addIngressRule(b, ec2.Port.allIcmp(), `ICMP from ${b === primary ? 'the primary node' : 'core and task nodes'}`);
    }
  }
  // Private subnets: the EMR service reaches the nodes through the service access group on 8443, and the
  // primary node reaches the service access group on 9443.
  // https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-man-sec-groups.html#emr-sg-elasticmapreduce-sa-private
  primary.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to the primary node');
  coreAndTask.addIngressRule(serviceAccess, ec2.Port.tcp(8443), 'EMR service access to core and task nodes');
  serviceAccess.addIngressRule(primary, ec2.Port.tcp(9443), 'Primary node to the EMR service');
  serviceAccess.addEgressRule(primary, ec2.Port.tcp(8443), 'EMR service to the primary node');
  serviceAccess.addEgressRule(coreAndTask, ec2.Port.tcp(8443), 'EMR service to core and task nodes');
  for (const sg of [primary, coreAndTask, serviceAccess]) {
    Tags.of(sg).add(EMR_MANAGED_TAG.key, EMR_MANAGED_TAG.value);
  }
  return { primary, coreAndTask, serviceAccess };
}
