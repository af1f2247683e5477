/**
 * Runtime access of examples/opensearch-logs: the lifecycle function configures the domain through the master
 * role, the domain publishes its logs, Firehose indexes documents and backs up failures under its prefixes;
 * alarms reach the encrypted topic.
 */
import { OpenSearchLogsStack } from '../../examples/opensearch-logs';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { openSearchClusterPaths, openSearchIngestionPaths } from './architectures/opensearch';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

const stack = new OpenSearchLogsStack(testApp({ builtinCloudFormationValidation: false }), 'OpenSearchLogs', { env: TEST_ENV });
const m = AccessModel.of(stack);

describe('examples/opensearch-logs: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack));
  proveAccess(m, [
    ...openSearchClusterPaths(m, stack.search),
    ...openSearchIngestionPaths(m, stack.search, stack.ingestion, { backupBucket: stack.ingestion.backupBucket }),
    ...generatedPaths(m),
  ]);
});
