/**
 * The run-time paths of a `RedshiftWarehouse`: Redshift assumes the Spectrum role, which reads (only) the
 * lake objects, decrypts them and reads the table definitions of the Glue databases it was given.
 * @see https://docs.aws.amazon.com/redshift/latest/dg/c-spectrum-iam-policies.html
 */
import { IConstruct } from 'constructs';
import { RedshiftWarehouse } from 'cdk-analytics-blueprints';
import { s3Kms } from '../context';
import { AccessModel, AccessPath } from '../model';

/** What the example gives Spectrum. */
export interface RedshiftPathOptions {
  /** The lake buckets (their bucket constructs). */
  readonly lakeBuckets: IConstruct[];
  readonly glueDatabases: string[];
}

/** The paths of one warehouse. */
export function redshiftPaths(m: AccessModel, warehouse: RedshiftWarehouse, options: RedshiftPathOptions): AccessPath[] {
  const role = warehouse.spectrumRole;
  if (!role) return [];
  const spectrum = m.role(role);
  const why = (s: string) => `${warehouse.node.path}: ${s}`;
  const glue = (r: string) => `arn:aws:glue:${m.region}:${m.account}:${r}`;
  const paths: AccessPath[] = [
    { why: why('Redshift assumes the Spectrum role for external schema queries'), principal: m.service('redshift.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(role), expect: 'allow' },
  ];
  for (const b of options.lakeBuckets) {
    const bucket = m.arnOf(b);
    const obj = `${bucket}/clicks/event_type=click/year=2026/month=12/day=02/hour=10/delivery-1`;
    const encryption = m.cfn.resolve(m.cfn.resource(m.logicalId(b)).Properties?.BucketEncryption) as
      { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: { KMSMasterKeyID?: string } }> };
    const key = encryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID;
    paths.push(
      { why: why('Spectrum lists the lake partitions'), principal: spectrum, action: 's3:ListBucket', resource: bucket, expect: 'allow' },
      { why: why('Spectrum reads the lake files'), principal: spectrum, action: 's3:GetObject', resource: obj, expect: 'allow' },
      { why: why('Spectrum never writes the lake'), principal: spectrum, action: 's3:PutObject', resource: obj, expect: 'deny' },
      { why: why('Spectrum never deletes from the lake'), principal: spectrum, action: 's3:DeleteObject', resource: obj, expect: 'deny' },
    );
    if (key) {
      paths.push({ why: why('Spectrum decrypts the lake files (S3 calls KMS for it)'), principal: spectrum, action: 'kms:Decrypt', resource: key,
        context: s3Kms(m, b, obj), expect: 'allow' });
    }
  }
  for (const db of options.glueDatabases) {
    for (const action of ['glue:GetTable', 'glue:GetPartitions']) {
      for (const resource of [glue('catalog'), glue(`database/${db}`), glue(`table/${db}/clicks`)]) {
        paths.push({ why: why(`Spectrum reads the table definitions of ${db}`), principal: spectrum, action, resource, expect: 'allow' });
      }
    }
    paths.push(
      { why: why(`Spectrum changes no table of ${db}`), principal: spectrum, action: 'glue:UpdateTable', resource: glue(`table/${db}/clicks`),
        expect: 'deny' },
      { why: why(`Spectrum creates no table in ${db}`), principal: spectrum, action: 'glue:CreateTable', resource: glue(`table/${db}/clicks`),
        expect: 'deny' });
  }
  paths.push({ why: why('Spectrum reads no other catalog database'), principal: spectrum, action: 'glue:GetTable',
    resource: glue('table/other_db/clicks'), expect: 'deny' });
  return paths;
}
