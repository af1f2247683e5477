import { Duration, Names, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';

import { PropsValidator, Shown } from '../../core/validation';
import { StreamingDataLakeRawBackup } from '../raw-backup';
import { validatePrefix } from './rules';

/** The raw backup prefix when none is given. */
export const DEFAULT_RAW_PREFIX = 'raw/';

/** The lifecycle fields of a raw backup, in the order they are checked. */
const LIFECYCLE_FIELDS = ['infrequentAccessAfter', 'glacierAfter', 'expiration'] as const;

/**
 * The limits of a raw backup: a static prefix that does not overlap the lake's other prefixes, buffering hints Firehose
 * takes for an S3 backup, and lifecycle rules S3 accepts (on a bucket this app can give rules to).
 */
export function checkRawBackup(v: PropsValidator, backup: StreamingDataLakeRawBackup | undefined, dataPrefix: string, errorPrefix: string,
  bucket: s3.IBucket | undefined): void {
  if (!backup) return;
  const prefix = backup.prefix ?? DEFAULT_RAW_PREFIX;
  validatePrefix(v, 'rawBackup.prefix', prefix);
  for (const [name, other] of [['dataPrefix', dataPrefix], ['errorPrefix', errorPrefix]]) {
    if (Token.isUnresolved(prefix) || Token.isUnresolved(other)) continue;
    v.check(!prefix.startsWith(other) && !other.startsWith(prefix), 'rawBackup.prefix', prefix,
      `must not overlap ${name} ('${other}'): the raw copies would mix with ${name === 'dataPrefix' ? 'the table\'s files' : 'the failed records'}`);
  }

  // Zero buffering (under 60 s) is not available for the S3 backup destination; the API caps the interval at 900 s
  // and the size at 1-128 MiB, in whole seconds and MiB.
  // https://docs.aws.amazon.com/firehose/latest/dev/create-configure-backup.html
  // https://docs.aws.amazon.com/firehose/latest/APIReference/API_BufferingHints.html
  const interval = backup.bufferingInterval;
  if (interval && !interval.isUnresolved()) {
    const s = interval.toSeconds({ integral: false });
    v.check(Number.isInteger(s) && s >= 60 && s <= 900, 'rawBackup.bufferingInterval', new Shown(`${s} seconds`),
      'must be a whole number of seconds between 60 and 900 (zero buffering is not available for the S3 backup)');
  }
  const size = backup.bufferingSize;
  if (size && !size.isUnresolved()) {
    const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    v.check(Number.isInteger(mib) && mib >= 1 && mib <= 128, 'rawBackup.bufferingSize', size, 'must be a whole number of MiB between 1 and 128');
  }

  const set = LIFECYCLE_FIELDS.filter(f => backup[f] !== undefined);
  if (set.length === 0) return;
  if (bucket && !(bucket instanceof s3.Bucket)) {
    v.fail(`rawBackup.${set[0]}`, undefined, 'cannot be applied to an imported bucket, which takes no lifecycle rules from this app: pass a ' +
      'bucket defined in this app (an s3.Bucket, or DataBucket.bucket), or leave the raw objects\' lifecycle to the bucket\'s owner');
    return;
  }
  const days = (d: Duration) => d.toDays({ integral: false });
  const valid: Partial<Record<typeof LIFECYCLE_FIELDS[number], number>> = {};
  for (const field of LIFECYCLE_FIELDS) {
    const value = backup[field];
    if (value === undefined || value.isUnresolved()) continue;
    const property = `rawBackup.${field}`;
    // S3 counts lifecycle rules in whole days; Standard-IA has a 30-day minimum before a transition to it.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    if (!v.check(Number.isInteger(days(value)), property, value, 'must be a whole number of days (S3 counts lifecycle rules in days)')) continue;
    const min = field === 'infrequentAccessAfter' ? 30 : 1;
    if (v.check(days(value) >= min, property, value, min === 30 ? 'must be at least 30 days (S3 Standard-IA minimum)' : 'must be at least 1 day')) {
      valid[field] = days(value);
    }
  }
  if (valid.infrequentAccessAfter !== undefined && valid.glacierAfter !== undefined) {
    // An object stays 30 days in Standard-IA before S3 moves it on to Glacier.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
    // https://repost.aws/knowledge-center/s3-lifecycle-rule-glacier-storage
    v.check(valid.glacierAfter >= valid.infrequentAccessAfter + 30, 'rawBackup.glacierAfter', backup.glacierAfter,
      `must be at least 30 days after rawBackup.infrequentAccessAfter (${valid.infrequentAccessAfter} days)`);
  }
  // S3 rejects a rule whose expiration is not later than its transitions ("'Days' in the Expiration action ... must be
  // greater than 'Days' in the Transition action").
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
  const lastTransition = Math.max(valid.infrequentAccessAfter ?? 0, valid.glacierAfter ?? 0);
  if (valid.expiration !== undefined && lastTransition > 0) {
    v.check(valid.expiration > lastTransition, 'rawBackup.expiration', backup.expiration,
      `must be longer than the last transition (${lastTransition} days)`);
  }
}

/**
 * The S3 backup destination of the lake's delivery: every source record, unconverted, under `outputPrefix`, encrypted
 * with the bucket key, logged to the lake's error log group. Values validation reported keep Firehose's defaults.
 */
export function rawBackupDestination(backup: StreamingDataLakeRawBackup, bucket: s3.IBucket, bucketKey: kms.IKey | undefined,
  outputPrefix: string, errorOutputPrefix: string, logGroup: logs.ILogGroup, reported: Set<string>): firehose.DestinationS3BackupProps {
  return {
    mode: firehose.BackupMode.ALL,
    bucket,
    dataOutputPrefix: outputPrefix,
    // Firehose requires an error prefix whenever the prefix has expressions; failed backup writes go with the lake's.
    errorOutputPrefix,
    compression: backup.compression ?? firehose.Compression.GZIP,
    bufferingInterval: reported.has('rawBackup.bufferingInterval') ? Duration.seconds(300) : backup.bufferingInterval ?? Duration.seconds(300),
    bufferingSize: reported.has('rawBackup.bufferingSize') ? Size.mebibytes(128) : backup.bufferingSize ?? Size.mebibytes(128),
    encryptionKey: bucketKey,
    loggingConfig: new firehose.EnableLogging(logGroup),
  };
}

/**
 * The raw prefix's own lifecycle rule, on a bucket of this app; only the fields the user set (and validation did not
 * report) are rendered. Nothing when none is set.
 */
export function addRawBackupLifecycle(scope: IConstruct, bucket: s3.IBucket, prefix: string, backup: StreamingDataLakeRawBackup,
  reported: Set<string>): void {
  if (!(bucket instanceof s3.Bucket) || reported.has('rawBackup.prefix')) return;
  const ok = (f: typeof LIFECYCLE_FIELDS[number]) => (reported.has(`rawBackup.${f}`) ? undefined : backup[f]);
  const transitions: s3.Transition[] = [];
  const ia = ok('infrequentAccessAfter');
  const glacier = reported.has('rawBackup.glacierAfter') || reported.has('rawBackup.expiration') ? undefined : ok('glacierAfter');
  if (ia) transitions.push({ storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: ia });
  if (glacier) transitions.push({ storageClass: s3.StorageClass.GLACIER, transitionAfter: glacier });
  const expiration = ok('expiration');
  if (transitions.length === 0 && !expiration) return;
  bucket.addLifecycleRule({
    // Unique in the bucket (several lakes may share one), at most 255 characters.
    id: `${Names.uniqueResourceName(scope, { maxLength: 200 })}-raw`,
    prefix,
    transitions: transitions.length > 0 ? transitions : undefined,
    expiration,
  });
}
