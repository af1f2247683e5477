import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

import { glueDatabaseName } from '../../core/glue-database-name';
import { ManagedPolicyRole } from '../../core/managed-policy-role';
import { acknowledgeWildcards } from '../../core/nag';
import type { RedshiftSpectrumOptions } from '../warehouse-props';

/**
 * The Spectrum role of a warehouse: read access to the lake buckets (and decrypt on their keys) and to the
 * Glue catalog definitions of the external schemas, in one customer-managed policy with the exact actions
 * Spectrum uses (not `bucket.grantRead`'s wildcard actions).
 * @see https://docs.aws.amazon.com/redshift/latest/dg/c-spectrum-iam-policies.html
 */
export function createSpectrumRole(scope: Construct, clusterIdentifier: string, spectrum: RedshiftSpectrumOptions): ManagedPolicyRole {
  const stack = Stack.of(scope);
  const role = new ManagedPolicyRole(scope, 'SpectrumRole', {
    // The regional principal: only Redshift in the warehouse's region may assume the role. Redshift documents
    // this restriction, and sts:ExternalId for database users; not aws:SourceAccount or aws:SourceArn.
    // https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service.html#authorizing-redshift-service-regions
    assumedBy: new iam.ServicePrincipal(`redshift.${stack.region}.amazonaws.com`),
    description: `Redshift Spectrum role of ${clusterIdentifier}: reads the lake buckets and their Glue catalog`,
  });
  // No lake bucket is a synth error of the warehouse; then no statement stands in (IAM rejects one without resources).
  const statements = spectrum.lakeBuckets.length === 0 ? [] : [
    new iam.PolicyStatement({
      sid: 'ReadLakeObjects',
      actions: ['s3:GetObject'],
      resources: spectrum.lakeBuckets.map(b => b.arnForObjects('*')),
    }),
    new iam.PolicyStatement({
      sid: 'ListLakeBuckets',
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: spectrum.lakeBuckets.map(b => b.bucketArn),
    }),
  ];
  const keys = spectrum.lakeBuckets.flatMap(b => (b.encryptionKey ? [b.encryptionKey.keyArn] : []));
  if (keys.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'DecryptLakeObjects', actions: ['kms:Decrypt'], resources: keys }));
  }
  const glueArn = (resource: string, resourceName?: string) =>
    stack.formatArn({ service: 'glue', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  const glueResources = [glueArn('catalog')];
  for (const name of spectrum.glueDatabases.map(glueDatabaseName)) {
    glueResources.push(glueArn('database', name), glueArn('table', `${name}/*`));
  }
  statements.push(new iam.PolicyStatement({
    sid: 'ReadGlueCatalog',
    actions: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables',
      'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
    resources: glueResources,
  }));
  statements.forEach(s => role.addToPrincipalPolicy(s));
  acknowledgeWildcards(role, {
    ReadLakeObjects: 'External tables span every object of the lake bucket; the role only reads (s3:GetObject).',
    ReadGlueCatalog: 'Spectrum reads the definitions of every table of the Glue databases behind its external schemas; read-only.',
  });
  return role;
}
