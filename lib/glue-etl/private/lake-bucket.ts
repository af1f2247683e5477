import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

import { validateAtSynth } from '../../core/validation';
import { DEFAULT_SPARK_UI_PREFIX, DEFAULT_TEMPORARY_PREFIX } from './job-support';

/** Buckets that already carry the scratch expiration rules (several pipelines may share a lake). */
const scratchExpired = new WeakSet<s3.IBucket>();

/**
 * Glue never cleans up after itself: expire its temporary files after 7 days and Spark UI event logs after 30, on a
 * bucket of this app. An imported bucket takes no lifecycle rules from this app: the user is told where to add them.
 */
export function expireGlueScratch(scope: Construct, bucket: s3.IBucket): void {
  if (scratchExpired.has(bucket)) return;
  if (bucket instanceof s3.Bucket) {
    bucket.addLifecycleRule({ id: 'expire-glue-temporary', prefix: DEFAULT_TEMPORARY_PREFIX, expiration: Duration.days(7) });
    bucket.addLifecycleRule({ id: 'expire-spark-ui-logs', prefix: DEFAULT_SPARK_UI_PREFIX, expiration: Duration.days(30) });
    scratchExpired.add(bucket);
    return;
  }
  Annotations.of(scope).addWarningV2('cdk-analytics-blueprints:glueScratchNotExpired',
    `bucket ${describeBucket(bucket)} is imported, so the construct cannot expire Glue's temporary files (${DEFAULT_TEMPORARY_PREFIX}) ` +
    `and Spark UI logs (${DEFAULT_SPARK_UI_PREFIX}) in it: add lifecycle rules for them where the bucket is defined`);
}

/**
 * A workflow started by `Object Created` events of `bucket` starts only if the bucket sends its events to Amazon
 * EventBridge, which S3 does not do by default. On a bucket of this app the setting is turned on: on the bucket
 * resource itself (no Lambda-backed custom resource), or through aws-cdk-lib's notifications resource when the bucket
 * already has one, since that resource replaces the bucket's whole notification configuration when it runs. On an
 * imported bucket the user is warned.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
 */
export function sendBucketEventsToEventBridge(scope: Construct, bucket: s3.IBucket, property = 'workflow.start', started = 'the workflow',
  warningId = 'cdk-analytics-blueprints:glueWorkflowBucketEvents'): void {
  if (!(bucket instanceof s3.Bucket)) {
    Annotations.of(scope).addWarningV2(warningId,
      `${property} is s3ObjectCreated over the imported bucket ${describeBucket(bucket)}: ${started} starts only if that bucket ` +
      'sends its events to Amazon EventBridge, which the construct cannot turn on; turn it on where the bucket is defined ' +
      "(DataBucket eventBridgeEnabled, or the bucket's EventBridge notification setting)");
    return;
  }
  const viaCustomResource = bucket.node.tryFindChild('Notifications') !== undefined;
  if (viaCustomResource) {
    bucket.enableEventBridgeNotification();
    return;
  }
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  const current = cfn.notificationConfiguration as s3.CfnBucket.NotificationConfigurationProperty | undefined;
  cfn.notificationConfiguration = { ...current, eventBridgeConfiguration: { eventBridgeEnabled: true } };
  // Notifications added to the bucket after this point go through aws-cdk-lib's custom resource, which would replace
  // the setting above when it runs: report it, with the call that keeps both.
  validateAtSynth(scope, v => {
    v.check(bucket.node.tryFindChild('Notifications') === undefined, property, undefined,
      `listens to Object Created events of bucket ${bucket.node.path}, whose S3 notifications (added after it) replace its ` +
      'EventBridge setting when they are deployed: call bucket.enableEventBridgeNotification() where you add them');
  });
}

function describeBucket(bucket: s3.IBucket): string {
  return Token.isUnresolved(bucket.bucketName) ? bucket.node.path : `'${bucket.bucketName}'`;
}
