/**
 * Runtime access of examples/emr-spot (instance groups) and examples/emr-spot/fleets (instance fleets): EMR
 * launches and manages the nodes under AmazonEMRServicePolicy_v2's tag conditions and passes the instance
 * role; the nodes reach exactly the lake, the logs, their keys and the catalog databases they were given.
 */
import { EmrCluster } from 'cdk-analytics-blueprints';
import { emrPaths } from './architectures/emr';
import { generatedPaths } from './generated';
import { EMR_CLUSTER_UNTAGGED } from './known-defects';
import { AccessModel } from './model';
import { proveAccess } from './prove';
import { EmrSpotStack } from '../../examples/emr-spot';
import { EmrFleetsStack } from '../../examples/emr-spot/fleets';
import { testApp, TEST_ENV } from '../util/app';

/**
 * The paths marked with the missing cluster tag fail for that reason only: with the tag EMR would propagate
 * from a tagged cluster in the request, the same requests are allowed.
 */
function provesTheTagIsTheOnlyMissingPiece(m: AccessModel, cluster: EmrCluster): void {
  test('the paths that fail for the missing cluster tag are allowed once the cluster carries it', async () => {
    const tagged = { 'aws:RequestTag/for-use-with-amazon-emr-managed-policies': 'true', 'aws:ResourceTag/for-use-with-amazon-emr-managed-policies': 'true',
      'aws:TagKeys': ['for-use-with-amazon-emr-managed-policies'] };
    const paths = emrPaths(m, cluster, { dataBuckets: [] }).filter(p => p.knownDefect === EMR_CLUSTER_UNTAGGED);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) {
      expect(`${p.action} ${p.resource}: ${(await m.evaluate({ ...p, context: { ...p.context, ...tagged } })).result}`)
        .toBe(`${p.action} ${p.resource}: Allowed`);
    }
  });
}

describe('examples/emr-spot: runtime access', () => {
  const stack = new EmrSpotStack(testApp({ builtinCloudFormationValidation: false }), 'EmrSpot', { env: TEST_ENV });
  const m = AccessModel.of(stack);
  proveAccess(m, [
    ...emrPaths(m, stack.cluster, {
      dataBuckets: [stack.lake.bucket],
      glueDatabases: ['analytics'],
      stepObjects: [`${m.arnOf(stack.lake.bucket)}/jobs/daily_aggregation.py`],
      foreignBucket: stack.lake.serverAccessLogsBucket,
    }),
    ...generatedPaths(m),
  ]);
  provesTheTagIsTheOnlyMissingPiece(m, stack.cluster);
});

describe('examples/emr-spot/fleets: runtime access', () => {
  const stack = new EmrFleetsStack(testApp({ builtinCloudFormationValidation: false }), 'EmrFleets', { env: TEST_ENV });
  const m = AccessModel.of(stack);
  proveAccess(m, [
    ...emrPaths(m, stack.cluster, { dataBuckets: [stack.lake.bucket], foreignBucket: stack.lake.serverAccessLogsBucket }),
    ...generatedPaths(m),
  ]);
  provesTheTagIsTheOnlyMissingPiece(m, stack.cluster);
});
