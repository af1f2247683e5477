import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import * as path from 'path';

import { acknowledgeInCompliancePacks } from '../../core/compliance-packs';
import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeNag, acknowledgeWildcards } from '../../core/nag';

/**
 * Timeout of the configuration function. The handler stops retrying 30 s before it (transport.js), and the
 * custom resources wait at most a minute longer (`SERVICE_TIMEOUT`), so a lost reply fails in minutes.
 */
export const FUNCTION_TIMEOUT = Duration.minutes(5);
/** How long CloudFormation waits for the function's answer (instead of the default hour). */
export const SERVICE_TIMEOUT = Duration.minutes(6);

/** Props of `LifecycleFunction`. */
export interface LifecycleFunctionProps {
  readonly encryptionKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Where the domain lives; undefined for a public domain (the function then runs outside any VPC). */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Reserved concurrent executions; undefined reserves none. */
  readonly reservedConcurrentExecutions?: number;
  /** Only for the stand-in of a VPC without private subnets (reported at synth, never deployed). */
  readonly allowPublicSubnet?: boolean;
}

/**
 * The Lambda function behind every configuration custom resource of one cluster (ISM policies, role
 * mappings, audit logging, the KMS key guard): plain Node.js with no dependencies, running in the domain's
 * VPC when the domain has one, with its own role, log group and security group. Its permissions are in the
 * role's customer-managed policy (`ManagedPolicyRole`), not inline.
 */
export class LifecycleFunction extends Construct {
  public readonly function: lambda.Function;
  public readonly role: ManagedPolicyRole;
  public readonly securityGroup?: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: LifecycleFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      encryptionKey: props.encryptionKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Configures one OpenSearch Service domain through its REST API (ISM policies, security plugin)',
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }));

    if (props.vpc) {
      this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'OpenSearch configuration function: HTTPS to the domain and to AWS APIs only',
        allowAllOutbound: false,
      });
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the domain, STS, Secrets Manager and S3 (CloudFormation response)');
      // Lambda attaches network interfaces in the VPC on the function's behalf. ec2:Describe* has no
      // resource-level permissions, and the interfaces do not exist before Lambda creates them.
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: 'AttachToVpc',
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
      description: 'Configures an OpenSearch Service domain through its REST API (ISM policies, security plugin)',
      role: this.role,
      logGroup,
      timeout: FUNCTION_TIMEOUT,
      memorySize: 256,
      // Opt-in: an account whose Lambda concurrency quota is still the new-account 10 cannot reserve any.
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: this.securityGroup ? [this.securityGroup] : undefined,
      allowPublicSubnet: props.allowPublicSubnet,
    });
    this.function.node.addDependency(this.role.allPolicies);

    acknowledgeNag(this.function.node.defaultChild!,
      ...acknowledgeInCompliancePacks('LambdaDLQ',
        'Custom resource handler: it reports every failure to CloudFormation, which rolls the stack back (and an invocation that never answers times the stack operation out), so a dead-letter queue would only hold events nobody replays.'),
      ...(props.reservedConcurrentExecutions !== undefined ? [] : acknowledgeInCompliancePacks('LambdaConcurrency',
        'CloudFormation invokes this custom-resource handler a few times per deployment, one event per resource; reserving concurrency fails in accounts whose Lambda quota is still 10, so it is opt-in (lifecycleFunctionReservedConcurrency).')),
      ...(props.vpc ? [] : acknowledgeInCompliancePacks('LambdaInsideVPC',
        'The domain has a public endpoint (the user chose AnalyticsNetwork.publicEndpoint), so the function that configures it runs outside any VPC.')),
    );
    acknowledgeWildcards(this.role, {
      AttachToVpc: 'Lambda needs ec2:CreateNetworkInterface/Describe/Delete on * to attach the function to the VPC; these actions have no resource-level scoping for not-yet-created interfaces.',
    });
  }
}
