/**
 * Runtime access of examples/redshift-warehouse: Spectrum reads the lake and its catalog database, read-only;
 * Redshift publishes its events to the alarm topic; the cluster and copy-grant keys admit the grants Redshift
 * creates; CloudWatch Logs encrypts the audit log groups; alarms reach the encrypted topic. And of a warehouse
 * with its audit logs in S3: Redshift delivers them for this cluster, under the prefix only.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AnalyticsNetwork, RedshiftAuditLogging, RedshiftWarehouse } from 'cdk-analytics-blueprints';

import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../../examples/redshift-warehouse';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp, testStack } from '../util/app';
import { redshiftGrantPaths, redshiftPaths } from './architectures/redshift';
import { source } from './context';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

const app = testApp({ builtinCloudFormationValidation: false });
const drStack = new RedshiftWarehouseDrStack(app, 'RedshiftWarehouseDr', { env: { ...TEST_ENV, region: 'us-west-2' } });
const sourceStack = new RedshiftWarehouseStack(app, 'RedshiftWarehouse', { env: TEST_ENV, copyGrant: drStack.copyGrant });

describe('examples/redshift-warehouse: runtime access', () => {
  const m = AccessModel.of(sourceStack);
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(sourceStack));
  proveAccess(m, [
    ...redshiftPaths(m, sourceStack.warehouse, { lakeBuckets: [sourceStack.lake.bucket], glueDatabases: ['lake'] }),
    ...generatedPaths(m),
  ]);
});

describe('examples/redshift-warehouse (DR region stack): runtime access', () => {
  const m = AccessModel.of(drStack);
  const key = m.value(drStack.copyGrant.encryptionKey.keyArn);
  // Redshift encrypts the copies in this region through the grant CreateSnapshotCopyGrant makes it create (KMS grants
  // themselves are not modelled by IAM policy simulation). What is proven: the key admits that grant, refuses grants
  // not for an AWS resource, and lets no AWS service in through its key policy.
  proveAccess(m, [
    ...redshiftGrantPaths(m, key, 'the snapshot copy grant lets Redshift encrypt copied snapshots with the DR key', true),
    { why: 'the copy-grant key lets no AWS service in through its key policy (Redshift uses it through the grant only)',
      principal: m.service('redshift.amazonaws.com'), action: 'kms:Decrypt', resource: key, expect: 'deny' },
    ...generatedPaths(m),
  ]);
});

describe('RedshiftWarehouse with audit logs in S3: runtime access', () => {
  const stack = testStack('Audit');
  const bucket = new s3.Bucket(stack, 'AuditBucket', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a'], isolatedSubnetIds: ['subnet-1'] });
  const warehouse = new RedshiftWarehouse(stack, 'Wh', {
    network: AnalyticsNetwork.fromVpc(vpc), clusterIdentifier: 'audited', auditLogging: RedshiftAuditLogging.s3({ bucket, keyPrefix: 'audit/' }),
  });
  const m = AccessModel.of(stack);
  const bucketArn = m.arnOf(bucket);
  const cluster = m.arnOf(warehouse.cluster);
  const other = cluster.replace(':cluster:audited', ':cluster:other');
  const log = `${bucketArn}/audit/AWSLogs/${m.account}/redshift/${m.region}/2026/01/02/${m.account}_redshift_${m.region}_audited_connectionlog_2026-01-02T10:00.gz`;
  // Redshift delivers S3 audit logs with its service principal, for the cluster (aws:SourceArn).
  // https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing-manage-log-files.html#db-auditing-bucket-permissions
  proveAccess(m, [
    { why: 'Redshift delivers the cluster\'s audit logs under the prefix', principal: m.service('redshift.amazonaws.com'), action: 's3:PutObject',
      resource: log, context: source(m, cluster), expect: 'allow' },
    { why: 'Redshift reads the bucket ACL to check the bucket owner', principal: m.service('redshift.amazonaws.com'), action: 's3:GetBucketAcl',
      resource: bucketArn, context: source(m, cluster), expect: 'allow' },
    { why: 'Redshift writes nothing for another cluster', principal: m.service('redshift.amazonaws.com'), action: 's3:PutObject',
      resource: log, context: source(m, other), expect: 'deny' },
    { why: 'Redshift writes nothing outside the prefix', principal: m.service('redshift.amazonaws.com'), action: 's3:PutObject',
      resource: `${bucketArn}/data/x.gz`, context: source(m, cluster), expect: 'deny' },
    ...generatedPaths(m),
  ]);
});
