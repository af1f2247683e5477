import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

import { FlinkApplicationCodeConfig } from '../code';
import { FlinkInput } from '../input';

/**
 * What a Flink Kinesis source calls on its stream: the polling reader (`GetRecords`), the shard discovery of the
 * `FlinkKinesisConsumer` (`DescribeStream`, `ListShards`) and of the `KinesisStreamsSource` (`DescribeStreamSummary`,
 * `ListShards`).
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/get-started-exercise.html (the sample's read permissions)
 * @see https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/connectors/datastream/kinesis/
 */
export const STREAM_READ_ACTIONS = [
  'kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards',
];

/**
 * What an enhanced fan-out source calls: it registers its consumer on the stream (and lists and deregisters them),
 * then describes it and subscribes to shards through it.
 * @see https://docs.aws.amazon.com/streams/latest/dev/building-enhanced-consumers-api.html
 */
export const EFO_STREAM_ACTIONS = ['kinesis:ListStreamConsumers', 'kinesis:RegisterStreamConsumer'];
export const EFO_CONSUMER_ACTIONS = ['kinesis:DeregisterStreamConsumer', 'kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'];

/**
 * The application's trust: the service may assume the role only for this application of this account.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/iam-cross-service-confused-deputy-prevention.html
 */
export function flinkServicePrincipal(stack: Stack, applicationArn: string): iam.ServicePrincipal {
  return new iam.ServicePrincipal('kinesisanalytics.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': applicationArn },
    },
  });
}

/** Reasons for the wildcard resources of the statements below, keyed by statement id. */
export const WILDCARD_REASONS: Record<string, string> = {
  ReadInputConsumers: 'An enhanced fan-out consumer is registered by the application at run time under a name the code chooses; ' +
    'the resource is every consumer of this one input stream (<stream ARN>/consumer/*), no other stream.',
  DescribeLogGroups: 'logs:DescribeLogGroups supports no resource-level permissions (the Service Authorization Reference lists no ' +
    'resource type for it), so only Resource "*" grants it; Managed Service for Apache Flink calls it to validate the logging option. ' +
    'It lists log group names and settings, no log events.',
  DescribeLogStreams: 'Managed Service for Apache Flink lists the log streams of the application\'s own log group to validate its ' +
    'logging option (the documented statement names <log group>:log-stream:*); the wildcard covers that one log group only.',
  VpcNetworkInterfaces: 'Managed Service for Apache Flink creates and deletes the network interfaces of a VPC application and ' +
    'describes the VPC, subnets, security groups and DHCP options; the service documents these actions on Resource "*" ' +
    '(https://docs.aws.amazon.com/managed-flink/latest/java/vpc-permissions.html), and ENIs it creates have no ARN known in advance.',
};

/**
 * The statements of the application's role, each with a statement id: read the input stream (and decrypt it through
 * Kinesis), read the one code object, write the one log stream, and, in a VPC, manage its network interfaces.
 */
export function applicationStatements(stack: Stack, input: FlinkInput, code: FlinkApplicationCodeConfig, logGroupName: string,
  logStreamName: string, inVpc: boolean): iam.PolicyStatement[] {
  const streamArn = input.stream.streamArn;
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadInput', actions: STREAM_READ_ACTIONS, resources: [streamArn] }),
  ];
  if (input.enhancedFanOut) {
    statements.push(
      new iam.PolicyStatement({ sid: 'RegisterInputConsumer', actions: EFO_STREAM_ACTIONS, resources: [streamArn] }),
      new iam.PolicyStatement({ sid: 'ReadInputConsumers', actions: EFO_CONSUMER_ACTIONS, resources: [`${streamArn}/consumer/*`] }));
  }
  if (input.encryptionKey) {
    statements.push(decryptVia(stack, 'DecryptInput', input.encryptionKey, 'kinesis'));
  }

  // https://docs.aws.amazon.com/managed-flink/latest/java/security_iam_service-with-iam.html
  // ("Permissions to access the application code and application logs")
  statements.push(new iam.PolicyStatement({
    sid: 'ReadCode',
    actions: code.objectVersion ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'],
    resources: [code.bucket.arnForObjects(code.key)],
  }));
  if (code.bucket.encryptionKey) {
    statements.push(decryptVia(stack, 'DecryptCode', code.bucket.encryptionKey, 's3'));
  }

  // https://docs.aws.amazon.com/managed-flink/latest/java/cloudwatch-logs.html ("Permissions for writing to the log stream")
  const logGroupArn = (resourceName: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  statements.push(
    // The guide names log-group:* here, but the action has no resource type: only "*" matches its requests.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
    new iam.PolicyStatement({ sid: 'DescribeLogGroups', actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
    new iam.PolicyStatement({ sid: 'DescribeLogStreams', actions: ['logs:DescribeLogStreams'], resources: [logGroupArn(`${logGroupName}:log-stream:*`)] }),
    new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:PutLogEvents'], resources: [logGroupArn(`${logGroupName}:log-stream:${logStreamName}`)] }));

  if (inVpc) {
    // https://docs.aws.amazon.com/managed-flink/latest/java/vpc-permissions.html
    statements.push(new iam.PolicyStatement({
      sid: 'VpcNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
      ],
      resources: ['*'],
    }));
  }
  return statements;
}

/** `kms:Decrypt` on `key`, only when `service` calls KMS for the role in this region. */
function decryptVia(stack: Stack, sid: string, key: kms.IKey, service: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid, actions: ['kms:Decrypt'], resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com` } },
  });
}
