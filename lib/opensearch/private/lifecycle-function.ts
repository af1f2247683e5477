import * as path from 'path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNag } from '../../core/nag';

/** Props of `LifecycleFunction`. */
export interface LifecycleFunctionProps {
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Where the domain lives; undefined for a public domain (the function then runs outside any VPC). */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * The Lambda function behind every `Custom::OpenSearchIsmPolicy` and `Custom::OpenSearchRoleMapping` of one
 * cluster: plain Node.js with no
 * dependencies, running in the domain's VPC when the domain has one, with its own role, log group and
 * security group. Its permissions are added with `addToPolicy` (a customer-managed policy, not inline).
 */
export class LifecycleFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Configures one OpenSearch Service domain through its REST API (ISM policies, security roles)',
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      roles: [this.role],
      description: 'Permissions of the function that configures one OpenSearch Service domain',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });

    if (props.vpc) {
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'ISM policy function: HTTPS to the domain and to AWS APIs only',
        allowAllOutbound: false,
      });
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the domain, STS, Secrets Manager and S3 (CloudFormation response)');
      // Lambda attaches network interfaces in the VPC on the function's behalf. ec2:Describe* has no
      // resource-level permissions, and the interfaces do not exist before Lambda creates them.
      this.policy.addStatements(new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }));
    }

    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'ism-handler')),
      description: 'Configures an OpenSearch Service domain through its REST API (ISM policies, security roles)',
      role: this.role,
      logGroup,
      timeout: Duration.minutes(2),
      memorySize: 256,
      // Custom resource events of one stack arrive a few at a time; 2 keeps account concurrency free.
      reservedConcurrentExecutions: 2,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: this.securityGroup ? [this.securityGroup] : undefined,
    });
    this.function.node.addDependency(this.policy);

    const packs = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];
    acknowledgeNag(this.function.node.defaultChild!,
      ...packs.map(pack => ({
        id: `${pack}-LambdaDLQ`,
        reason: 'Custom resource handler: it reports every failure to CloudFormation, which rolls the stack back (and an invocation that never answers times the stack operation out), so a dead-letter queue would only hold events nobody replays.',
      })),
      ...(props.vpc ? [] : packs.map(pack => ({
        id: `${pack}-LambdaInsideVPC`,
        reason: 'The domain has a public endpoint (the user chose OpenSearchNetwork.publicEndpoint), so the function that configures it runs outside any VPC.',
      }))),
    );
    if (props.vpc) {
      acknowledgeNag(this.policy.node.defaultChild!, {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'Lambda needs ec2:CreateNetworkInterface/Describe/Delete on * to attach the function to the VPC; these actions have no resource-level scoping for not-yet-created interfaces.',
      });
    }
  }
}
