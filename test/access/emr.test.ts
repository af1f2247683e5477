/**
 * Runtime access of examples/emr-spot (instance groups) and examples/emr-spot/fleets (instance fleets): EMR
 * launches and manages the nodes under AmazonEMRServicePolicy_v2's tag conditions and passes the instance
 * role; the nodes reach exactly their data locations, the logs, the keys for them and the catalog databases
 * they were given.
 */
import { EmrCluster } from 'cdk-analytics-blueprints';

import { EmrSpotStack } from '../../examples/emr-spot';
import { EmrFleetsStack } from '../../examples/emr-spot/fleets';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { EMR_TAG, emrPaths, launchPaths, launchRequestTags } from './architectures/emr';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

/**
 * The cluster tag is what lets EMR launch (issue 13): the launches allowed above are denied when the request
 * does not carry `for-use-with-amazon-emr-managed-policies=true`, as it did not before the construct tagged
 * the cluster.
 */
function provesTheClusterTagIsNeeded(m: AccessModel, cluster: EmrCluster): void {
  test('EMR may launch the nodes only because the cluster carries the EMR tag (the same requests without it are denied)', async () => {
    const tags = m.cfn.tagsOf(m.logicalId(cluster.cluster));
    expect(tags[EMR_TAG]).toBe('true');
    const { [EMR_TAG]: _dropped, ...withoutTag } = tags;
    const outcomes: string[] = [];
    for (const p of launchPaths(m, cluster)) {
      const tagged = (await m.evaluate({ ...p, context: launchRequestTags(tags) })).result;
      const untagged = (await m.evaluate({ ...p, context: launchRequestTags(withoutTag) })).result;
      outcomes.push(`${p.action} ${p.resource.split(':').pop()}: tagged ${tagged}, untagged ${untagged}`);
    }
    expect(outcomes.length).toBeGreaterThan(0);
    for (const o of outcomes) expect(o).toMatch(/tagged Allowed, untagged (ExplicitlyDenied|ImplicitlyDenied)$/);
  });
}

describe('examples/emr-spot: runtime access', () => {
  const stack = new EmrSpotStack(testApp({ builtinCloudFormationValidation: false }), 'EmrSpot', { env: TEST_ENV });
  const m = AccessModel.of(stack);
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...emrPaths(m, stack.cluster, {
      glueDatabases: ['analytics'],
      stepObjects: [`${m.arnOf(stack.lake.bucket)}/jobs/daily_aggregation.py`],
      foreignBucket: stack.lake.serverAccessLogsBucket,
    }),
    ...generatedPaths(m),
  ]);
  provesTheClusterTagIsNeeded(m, stack.cluster);
});

describe('examples/emr-spot/fleets: runtime access', () => {
  const stack = new EmrFleetsStack(testApp({ builtinCloudFormationValidation: false }), 'EmrFleets', { env: TEST_ENV });
  const m = AccessModel.of(stack);
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...emrPaths(m, stack.cluster, { glueDatabases: ['analytics'], foreignBucket: stack.lake.serverAccessLogsBucket }),
    ...generatedPaths(m),
  ]);
  provesTheClusterTagIsNeeded(m, stack.cluster);
});
