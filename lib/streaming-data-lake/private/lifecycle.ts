import { Duration, Names, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { DataBucketLifecycle } from '../../core/data-bucket';
import { PropsValidator } from '../../core/validation';

/** The fields of a `DataBucketLifecycle`, in the order they are checked and reported. */
const FIELDS = ['infrequentAccessAfter', 'glacierAfter', 'noncurrentVersionExpiration', 'abortIncompleteMultipartUploadAfter'] as const;

/**
 * The rules S3 applies to a lifecycle, the ones `DataBucket` checks, plus whole days: S3 counts lifecycle rules in
 * days, and aws-cdk-lib throws (without a construct path) on a fraction of a day. Checked here for a bucket the lake
 * creates as well as for one it is given, so that the DataBucket only ever receives valid values.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
 */
export function checkLifecycle(v: PropsValidator, lifecycle: DataBucketLifecycle | undefined, bucket: s3.IBucket | undefined): void {
  if (!lifecycle) return;
  if (bucket && !(bucket instanceof s3.Bucket)) {
    v.fail('lifecycle', undefined, `cannot be applied to the imported bucket ${describeBucket(bucket)}: an imported bucket takes no ` +
      'lifecycle rules from this app; pass a bucket defined in this app (an s3.Bucket, or DataBucket.bucket) or set the rules where ' +
      'the bucket is defined');
    return;
  }
  const days = (d: Duration) => d.toDays({ integral: false });
  for (const field of FIELDS) {
    const value = lifecycle[field];
    if (value === undefined || value.isUnresolved()) continue;
    const property = `lifecycle.${field}`;
    if (!v.check(Number.isInteger(days(value)), property, value, 'must be a whole number of days (S3 counts lifecycle rules in days)')) continue;
    // Standard-IA has a 30-day minimum storage duration: S3 rejects an earlier transition to it.
    const min = field === 'infrequentAccessAfter' ? 30 : 1;
    v.check(days(value) >= min, property, value, min === 30 ? 'must be at least 30 days (S3 Standard-IA minimum)' : 'must be at least 1 day');
  }
  const ia = lifecycle.infrequentAccessAfter;
  const glacier = lifecycle.glacierAfter;
  if (ia && glacier && !ia.isUnresolved() && !glacier.isUnresolved() && Number.isInteger(days(ia)) && Number.isInteger(days(glacier))) {
    // An object must stay 30 days in Standard-IA before S3 moves it on to Glacier.
    v.check(days(glacier) >= days(ia) + 30, 'lifecycle.glacierAfter', glacier,
      `must be at least 30 days after lifecycle.infrequentAccessAfter (${days(ia)} days)`);
  }
}

/** `lifecycle` without the fields validation reported (they stay at the DataBucket default until fixed). */
export function safeLifecycle(lifecycle: DataBucketLifecycle | undefined, reported: Set<string>): DataBucketLifecycle | undefined {
  if (!lifecycle) return undefined;
  return Object.fromEntries(Object.entries(lifecycle).filter(([field]) => !reported.has(`lifecycle.${field}`)));
}

/**
 * Adds `lifecycle` to a bucket of this app that the lake was given, as one rule per prefix of the lake: the bucket
 * may hold other data, whose lifecycle is its owner's. Only the fields the user set are rendered.
 */
export function addPrefixLifecycle(scope: IConstruct, bucket: s3.Bucket, lifecycle: DataBucketLifecycle, prefixes: Array<[string, string]>): void {
  const transitions: s3.Transition[] = [];
  if (lifecycle.infrequentAccessAfter) {
    transitions.push({ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lifecycle.infrequentAccessAfter });
  }
  if (lifecycle.glacierAfter) {
    transitions.push({ storageClass: s3.StorageClass.GLACIER, transitionAfter: lifecycle.glacierAfter });
  }
  // Lifecycle rule ids are at most 255 characters and unique in the bucket; several lakes may share one.
  const base = Names.uniqueResourceName(scope, { maxLength: 200 });
  for (const [name, prefix] of prefixes) {
    bucket.addLifecycleRule({
      id: `${base}-${name}`,
      prefix,
      transitions: transitions.length > 0 ? transitions : undefined,
      noncurrentVersionExpiration: lifecycle.noncurrentVersionExpiration,
      abortIncompleteMultipartUploadAfter: lifecycle.abortIncompleteMultipartUploadAfter,
    });
  }
}

function describeBucket(bucket: s3.IBucket): string {
  return Token.isUnresolved(bucket.bucketName) ? bucket.node.path : `'${bucket.bucketName}'`;
}
