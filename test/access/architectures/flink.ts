/**
 * The run-time paths of a `FlinkApplication`: Managed Service for Apache Flink assumes the application's role for
 * this one application; the role reads the input stream and decrypts its records through Kinesis, reads the code
 * object, and writes the application's own log stream (CloudWatch Logs encrypts it with the log key: a generated
 * path). Least privilege: no other application, stream, object or log stream.
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/security_iam_service-with-iam.html
 * @see https://docs.aws.amazon.com/managed-flink/latest/java/iam-cross-service-confused-deputy-prevention.html
 */
import { FlinkApplication } from 'cdk-analytics-blueprints';

import { kinesisKms, source, viaService } from '../context';
import { AccessModel, AccessPath } from '../model';

/** The paths of one application. `codeObjectArn` is the ARN of the JAR it runs. */
export function flinkApplicationPaths(m: AccessModel, app: FlinkApplication, codeObjectArn: string): AccessPath[] {
  const role = m.role(app.role);
  const roleArn = m.arnOf(app.role);
  const service = m.service('kinesisanalytics.amazonaws.com');
  const appArn = m.value(app.applicationArn);
  const stream = m.arnOf(app.input.stream);
  const logGroup = m.value(app.logGroup.logGroupName);
  const logGroupArn = `arn:aws:logs:${m.region}:${m.account}:log-group:${logGroup}`;
  const logStream = `${logGroupArn}:log-stream:${m.value(app.logStream.logStreamName)}`;
  const why = (s: string) => `${app.node.path}: ${s}`;

  const paths: AccessPath[] = [
    { why: why('Managed Service for Apache Flink assumes the role for this application'), principal: service, action: 'sts:AssumeRole',
      resource: roleArn, context: source(m, appArn), expect: 'allow' },
    { why: why('the service acting for another application of the account cannot assume the role (aws:SourceArn)'), principal: service,
      action: 'sts:AssumeRole', resource: roleArn, context: source(m, `arn:aws:kinesisanalytics:${m.region}:${m.account}:application/other`),
      expect: 'deny' },
    { why: why('the service acting for an application of another account cannot assume the role (aws:SourceAccount)'), principal: service,
      action: 'sts:AssumeRole', resource: roleArn,
      context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:kinesisanalytics:${m.region}:999999999999:application/x` },
      expect: 'deny' },
    ...['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:GetShardIterator', 'kinesis:GetRecords']
      .map((action): AccessPath => ({ why: why('the Kinesis source discovers shards and reads the input stream'), principal: role, action,
        resource: stream, expect: 'allow' })),
    { why: why('the application reads the code object when it starts'), principal: role, action: 's3:GetObject', resource: codeObjectArn,
      expect: 'allow' },
    { why: why('the service validates the logging option: it lists the log groups (an action on "*" only)'), principal: role, action: 'logs:DescribeLogGroups',
      resource: '*', expect: 'allow' },
    { why: why('the service validates the logging option: it lists the streams of the application\'s log group'), principal: role,
      action: 'logs:DescribeLogStreams', resource: `${logGroupArn}:log-stream:*`, expect: 'allow' },
    { why: why('the application writes its log events to its log stream'), principal: role, action: 'logs:PutLogEvents', resource: logStream,
      expect: 'allow' },
    // Least privilege.
    { why: why('the application does not write to its input stream'), principal: role, action: 'kinesis:PutRecord', resource: stream,
      expect: 'deny' },
    { why: why('the application reads no other stream'), principal: role, action: 'kinesis:GetRecords',
      resource: `arn:aws:kinesis:${m.region}:${m.account}:stream/other`, expect: 'deny' },
    { why: why('the application reads no other object of the code bucket'), principal: role, action: 's3:GetObject',
      resource: codeObjectArn.replace(/[^/]+$/, 'other.jar'), expect: 'deny' },
    { why: why('the application writes no other log stream'), principal: role, action: 'logs:PutLogEvents',
      resource: `${logGroupArn}:log-stream:other`, expect: 'deny' },
    { why: why('the application does not change its own role'), principal: role, action: 'iam:PutRolePolicy', resource: roleArn, expect: 'deny' },
  ];
  if (app.input.encryptionKey) {
    const key = m.value(app.input.encryptionKey.keyArn);
    paths.push(
      { why: why('the application decrypts the records of the input stream (Kinesis calls KMS for it)'), principal: role, action: 'kms:Decrypt',
        resource: key, context: kinesisKms(m, app.input.stream), expect: 'allow' },
      { why: why('the application uses the stream key only through Kinesis'), principal: role, action: 'kms:Decrypt', resource: key, expect: 'deny' },
      { why: why('the application decrypts nothing through S3 with the stream key'), principal: role, action: 'kms:Decrypt', resource: key,
        context: viaService(m, 's3'), expect: 'deny' });
  }
  return paths;
}
