/**
 * Runtime access of examples/athena-workgroup: the analyst granted `grantQuery` runs queries in the workgroup over the
 * clicks table and reads the results, and nothing else; the alarms and the failed-query rule reach the alarm topic;
 * the lake's own paths hold as in the streaming-lake example.
 */
import { AthenaWorkgroupStack } from '../../examples/athena-workgroup';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { athenaQueryPaths } from './architectures/athena';
import { streamingDataLakePaths } from './architectures/streaming-data-lake';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

const stack = new AthenaWorkgroupStack(testApp({ builtinCloudFormationValidation: false }), 'AthenaWorkgroup', { env: TEST_ENV });
const m = AccessModel.of(stack);

describe('examples/athena-workgroup: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack, { eventRules: true }));
  proveAccess(m, [
    ...athenaQueryPaths(m, stack.queries, stack.lake, stack.analyst),
    ...streamingDataLakePaths(m, stack.lake),
    ...generatedPaths(m),
  ]);
});
