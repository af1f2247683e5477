import { Names } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import { DataBucketLifecycle } from '../../core/data-bucket';

// The lifecycle rules live in lib/core/private/bucket-lifecycle.ts; re-exported so that code importing them from here compiles.
export { checkBucketLifecycle as checkLifecycle, safeLifecycle } from '../../core/private/bucket-lifecycle';

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
