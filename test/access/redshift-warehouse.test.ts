/**
 * Runtime access of examples/redshift-warehouse: Spectrum reads the lake and its catalog database, read-only;
 * CloudWatch Logs encrypts the audit log groups; alarms reach the encrypted topic.
 */
import { redshiftPaths } from './architectures/redshift';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';
import { RedshiftWarehouseDrStack, RedshiftWarehouseStack } from '../../examples/redshift-warehouse';
import { testApp, TEST_ENV } from '../util/app';

describe('examples/redshift-warehouse: runtime access', () => {
  const stack = new RedshiftWarehouseStack(testApp({ builtinCloudFormationValidation: false }), 'RedshiftWarehouse', {
    env: TEST_ENV, drRegion: 'us-west-2', snapshotCopyGrantName: 'analytics-warehouse-dr',
  });
  const m = AccessModel.of(stack);
  proveAccess(m, [
    ...redshiftPaths(m, stack.warehouse, { lakeBuckets: [stack.lake.bucket], glueDatabases: ['lake'] }),
    ...generatedPaths(m),
  ]);
});

describe('examples/redshift-warehouse (DR region stack): runtime access', () => {
  const stack = new RedshiftWarehouseDrStack(testApp({ builtinCloudFormationValidation: false }), 'RedshiftWarehouseDr',
    { env: { ...TEST_ENV, region: 'us-west-2' } });
  const m = AccessModel.of(stack);
  // The DR stack holds a key and its snapshot copy grant: Redshift uses the key through the grant, which IAM
  // policy simulation does not model (KMS grants). What the simulation can prove: no service is let in by the key policy.
  proveAccess(m, [
    { why: 'the copy-grant key lets no AWS service in through its key policy (Redshift uses it through the grant only)',
      principal: m.service('redshift.amazonaws.com'), action: 'kms:Decrypt', resource: m.value(stack.copyGrant.encryptionKey.keyArn), expect: 'deny' },
    ...generatedPaths(m),
  ]);
});
