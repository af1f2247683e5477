/**
 * The request context AWS services send when they act for a principal or as themselves, in one place, with
 * the documentation each comes from. Only what a service is documented to send is given: a key a service
 * does not send would make a policy conditioned on it look satisfied here and fail in an account.
 */
import { IConstruct } from 'constructs';

import { AccessModel } from './model';

type Context = Record<string, string>;

/**
 * `kms:ViaService`: the service that called KMS for the principal.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 */
export function viaService(m: AccessModel, service: string): Context {
  return { 'kms:ViaService': `${service}.${m.region}.amazonaws.com` };
}

/**
 * The KMS call S3 makes for SSE-KMS on an object of `bucket`: through S3, with the object's ARN as the
 * encryption context, or the bucket's when the bucket has an S3 Bucket Key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 */
export function s3Kms(m: AccessModel, bucket: IConstruct, objectArn: string): Context {
  const id = m.logicalId(bucket);
  const encryption = m.cfn.resolve(m.cfn.resource(id).Properties?.BucketEncryption) as
    { ServerSideEncryptionConfiguration?: Array<{ BucketKeyEnabled?: boolean }> } | undefined;
  const bucketKey = !!encryption?.ServerSideEncryptionConfiguration?.some(r => r.BucketKeyEnabled);
  return { ...viaService(m, 's3'), 'kms:EncryptionContext:aws:s3:arn': bucketKey ? m.cfn.arn(id) : objectArn };
}

/**
 * The KMS call Kinesis Data Streams makes to encrypt or decrypt records of a stream: through Kinesis, with
 * the stream's ARN as the encryption context.
 * @see https://docs.aws.amazon.com/streams/latest/dev/permissions-user-key-KMS.html
 */
export function kinesisKms(m: AccessModel, stream: IConstruct): Context {
  return { ...viaService(m, 'kinesis'), 'kms:EncryptionContext:aws:kinesis:arn': m.arnOf(stream) };
}

/**
 * The KMS call CloudWatch Logs makes for an encrypted log group: the log group's ARN (without `:*`) as the
 * encryption context.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsKms(logGroupArn: string): Context {
  return { 'kms:EncryptionContext:aws:logs:arn': logGroupArn.replace(/:\*$/, '') };
}

/**
 * The KMS call SNS makes for an encrypted topic when an AWS service publishes: the topic's ARN as the
 * encryption context and, except for EventBridge, the publisher's `aws:SourceArn` and `aws:SourceAccount`
 * (the SNS guide documents that these keys are not supported in a key policy for EventBridge-to-encrypted-topic
 * delivery, so EventBridge's call carries the encryption context only).
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function snsKms(m: AccessModel, topicArn: string, publisher: string, sourceArn: string): Context {
  const ctx: Context = { 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
  return publisher === 'events.amazonaws.com' ? ctx : { ...ctx, ...source(m, sourceArn) };
}

/**
 * What a service sends when it acts on behalf of one of the account's resources (assumes its role, publishes
 * to a topic, writes to a bucket): `aws:SourceArn` and `aws:SourceAccount`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function source(m: AccessModel, sourceArn: string): Context {
  return { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': m.account };
}

/** `iam:PassedToService`: the service a role is passed to. */
export function passedTo(service: string): Context {
  return { 'iam:PassedToService': service };
}
