import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import { Construct } from 'constructs';

import { allowLogsToUseKey } from '../../core/logs-key-policy';
import { RedshiftAuditLogging } from '../audit-logging';
import { addAuditBucketPolicy } from './grants';

/**
 * Lets CloudWatch Logs use the warehouse key for the warehouse's own log groups only: its audit log groups
 * (`/aws/redshift/cluster/<cluster identifier>/<log>`) and the flow logs of the VPC it creates.
 */
export function allowWarehouseLogsToUseKey(scope: Construct, key: kms.IKey, clusterIdentifier: string): void {
  const logGroupArnPrefix = Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    resourceName: `/aws/redshift/cluster/${clusterIdentifier}` });
  allowLogsToUseKey(key, {
    sid: 'AllowCloudWatchLogsForThisWarehouse',
    logGroupArns: [`${logGroupArnPrefix}/*`, `${logGroupArnPrefix}-vpc-flow-logs`],
  });
}

/** Where the cluster writes its audit logs, and the log groups created for them. */
export interface WarehouseAuditLogs {
  readonly loggingProperties: redshift.CfnCluster.LoggingPropertiesProperty;
  /** The log groups, when the logs go to CloudWatch Logs (empty for S3). */
  readonly logGroups: logs.LogGroup[];
}

/**
 * The audit logs of the cluster: one log group per exported log, encrypted with the warehouse key, or the bucket
 * policy that lets Redshift write them to the S3 bucket.
 */
export function configureAuditLogs(scope: Construct, clusterIdentifier: string, audit: RedshiftAuditLogging,
  o: { encryptionKey: kms.IKey; removalPolicy: RemovalPolicy }): WarehouseAuditLogs {
  if (audit.destinationType === 'cloudwatch') {
    const logGroups = audit.logs.map(log => new logs.LogGroup(scope, `AuditLog-${log}`, {
      logGroupName: `/aws/redshift/cluster/${clusterIdentifier}/${log}`,
      retention: audit.retention,
      encryptionKey: o.encryptionKey,
      removalPolicy: o.removalPolicy,
    }));
    return { logGroups, loggingProperties: { logDestinationType: 'cloudwatch', logExports: audit.logs } };
  }
  const bucket = audit.bucket!;
  addAuditBucketPolicy(scope, clusterIdentifier, bucket, audit.keyPrefix!);
  return {
    logGroups: [],
    loggingProperties: { logDestinationType: 's3', bucketName: bucket.bucketName, s3KeyPrefix: audit.keyPrefix, logExports: audit.logs },
  };
}
