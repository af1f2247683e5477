import { Duration, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

import type { DataBucketLifecycle } from '../data-bucket';
import { PropsValidator } from '../validation';

/** The fields of a `DataBucketLifecycle`, in the order they are checked and reported. */
const FIELDS = ['infrequentAccessAfter', 'glacierAfter', 'noncurrentVersionExpiration', 'abortIncompleteMultipartUploadAfter'] as const;

/**
 * The rules S3 applies to a lifecycle, the ones `DataBucket` checks, plus whole days: S3 counts lifecycle rules in
 * days, and aws-cdk-lib throws (without a construct path) on a fraction of a day. Checked for a bucket an architecture creates
 * (through `DataBucket`) as well as for one it is given and adds rules to.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
 */
export function checkBucketLifecycle(v: PropsValidator, lifecycle: DataBucketLifecycle | undefined, bucket: s3.IBucket | undefined): void {
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
    if (!wholeDays(v, property, value)) continue;
    // Standard-IA has a 30-day minimum storage duration: S3 rejects an earlier transition to it.
    const min = field === 'infrequentAccessAfter' ? 30 : 1;
    v.check(days(value) >= min, property, value, min === 30 ? 'must be at least 30 days (S3 Standard-IA minimum)' : 'must be at least 1 day');
  }
  const ia = lifecycle.infrequentAccessAfter;
  const glacier = lifecycle.glacierAfter;
  if (ia && glacier && !ia.isUnresolved() && !glacier.isUnresolved() && Number.isInteger(days(ia)) && Number.isInteger(days(glacier))) {
    // An object must stay 30 days in Standard-IA before S3 moves it on to Glacier.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    // https://repost.aws/knowledge-center/s3-lifecycle-rule-glacier-storage
    v.check(days(glacier) >= days(ia) + 30, 'lifecycle.glacierAfter', glacier,
      `must be at least 30 days after lifecycle.infrequentAccessAfter (${days(ia)} days)`);
  }
}

/** `lifecycle` without the fields validation reported (they stay at the DataBucket default until fixed). */
export function safeLifecycle(lifecycle: DataBucketLifecycle | undefined, reported: Set<string>): DataBucketLifecycle | undefined {
  if (!lifecycle) return undefined;
  return Object.fromEntries(Object.entries(lifecycle).filter(([field]) => !reported.has(`lifecycle.${field}`)));
}

function describeBucket(bucket: s3.IBucket): string {
  return Token.isUnresolved(bucket.bucketName) ? bucket.node.path : `'${bucket.bucketName}'`;
}

/**
 * S3 counts lifecycle rules in whole days (Transition Days, Expiration Days, NoncurrentDays and DaysAfterInitiation are
 * Integers). The value is shown as given ('1 hour'), not as a fraction of a day.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortIncompleteMultipartUpload.html
 */
function wholeDays(v: PropsValidator, property: string, value: Duration): boolean {
  return v.check(Number.isInteger(value.toDays({ integral: false })), property, value, 'must be a whole number of days (S3 counts lifecycle rules in days)');
}
