import { Duration, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

import { PropsValidator, Shown } from '../../core/validation';
import { validatePrefix } from '../../streaming-data-lake/private/rules';
import { AthenaQueryTable } from '../query-table';

/**
 * Athena's per-query data usage control: "Minimum value of 10000000" bytes (10 MB, decimal), a whole number of bytes.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html (BytesScannedCutoffPerQuery)
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
 */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

/** The props of an `AthenaWorkgroup` with every default resolved, as the rules read them. */
export interface ResolvedWorkgroupProps {
  readonly workGroupName?: string;
  readonly description?: string;
  readonly bytesScannedCutoffPerQuery: Size;
  readonly resultsBucket?: s3.IBucket;
  readonly resultsEncryptionKey?: kms.IKey;
  readonly resultsPrefix: string;
  readonly resultsExpiration: Duration;
  readonly tables: AthenaQueryTable[];
  readonly failedQueriesThreshold: number;
  readonly processedBytesThreshold: Size;
}

/** Every limit Athena and S3 enforce on an `AthenaWorkgroup`, one check per rule, each citing its source. */
export function checkWorkgroupProps(v: PropsValidator, p: ResolvedWorkgroupProps): void {
  // WorkGroup Name: 1-128 of [a-zA-Z0-9._-]; Description: 0-1024 characters.
  // https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateWorkGroup.html
  v.matches('workGroupName', p.workGroupName, /^[a-zA-Z0-9._-]{1,128}$/, '1 to 128 letters, digits, ., _ or -');
  v.maxLength('description', p.description, 1024);

  // BytesScannedCutoffPerQuery: a whole number of bytes, "Minimum value of 10000000".
  // https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
  // https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
  const cutoff = p.bytesScannedCutoffPerQuery;
  if (!cutoff.isUnresolved()) {
    const bytes = cutoff.toBytes({ rounding: SizeRoundingBehavior.NONE });
    v.check(Number.isInteger(bytes) && bytes >= MIN_BYTES_SCANNED_CUTOFF, 'bytesScannedCutoffPerQuery', new Shown(`${bytes} bytes`),
      `must be a whole number of bytes of at least ${MIN_BYTES_SCANNED_CUTOFF} (10 MB, Athena's minimum per-query data usage control)`);
  }

  validatePrefix(v, 'resultsPrefix', p.resultsPrefix);
  // S3 lifecycle Expiration Days: a whole number of at least 1.
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
  if (!p.resultsExpiration.isUnresolved()) {
    const days = p.resultsExpiration.toDays({ integral: false });
    v.check(Number.isInteger(days) && days >= 1, 'resultsExpiration', new Shown(`${days} days`),
      'must be a whole number of days of at least 1 (S3 lifecycle expiration takes days)');
  }
  // Athena encrypts results with SSE_KMS only given a key; a bucket without a key of its own needs one here.
  if (p.resultsBucket && !p.resultsBucket.encryptionKey && !p.resultsEncryptionKey) {
    v.fail('resultsEncryptionKey', undefined,
      'must be given when resultsBucket has no KMS key of its own: query results are encrypted with SSE-KMS');
  }

  // NamedQuery Name: 1-128 characters; Database: 1-255. https://docs.aws.amazon.com/athena/latest/APIReference/API_CreateNamedQuery.html
  const seen = new Set<string>();
  p.tables.forEach((t, i) => {
    const property = `tables[${i}]`;
    v.matches(`${property}.databaseName`, t.databaseName, /^.{1,255}$/s, '1 to 255 characters');
    v.matches(`${property}.tableName`, t.tableName, /^.{1,255}$/s, '1 to 255 characters');
    validatePrefix(v, `${property}.dataPrefix`, t.dataPrefix);
    if (!Token.isUnresolved(t.databaseName) && !Token.isUnresolved(t.tableName)) {
      const name = `${t.databaseName}.${t.tableName}`;
      v.check(!seen.has(name), property, name, 'must be given once: each table gets one sample query');
      seen.add(name);
    }
    t.partitionKeys.forEach((k, j) => v.matches(`${property}.partitionKeys[${j}]`, k, /^[a-z_][a-z0-9_]{0,254}$/,
      'an Athena column name: lowercase letters, digits and underscores, starting with a letter or underscore'));
  });

  // An alarm at 0 (GreaterThanOrEqualToThreshold) is always in ALARM.
  const failed = p.failedQueriesThreshold;
  if (!Token.isUnresolved(failed)) {
    v.check(Number.isInteger(failed) && failed >= 1, 'alarmThresholds.failedQueries', failed,
      'must be a whole number of at least 1: the alarm would always be in ALARM');
  }
  if (!p.processedBytesThreshold.isUnresolved()) {
    v.check(p.processedBytesThreshold.toBytes({ rounding: SizeRoundingBehavior.NONE }) > 0, 'alarmThresholds.processedBytesPerHour',
      p.processedBytesThreshold, 'must be more than 0 bytes: the alarm would always be in ALARM');
  }
}
