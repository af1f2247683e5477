/**
 * Runtime access of examples/glue-orchestration: the state machine starts exactly its crawler and job and notifies
 * failures through the encrypted alarm topic; EventBridge starts it on schedule (generated: the rule's role may
 * StartExecution); CloudWatch Logs uses the log group key; the pipeline's own paths hold as in the Glue ETL example.
 */
import { GlueOrchestrationStack } from '../../examples/glue-orchestration';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { glueOrchestrationPaths } from './architectures/glue-orchestration';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

const stack = new GlueOrchestrationStack(testApp({ builtinCloudFormationValidation: false }), 'GlueOrchestration', { env: TEST_ENV });
const m = AccessModel.of(stack);
const etl = stack.pipeline;
const machine = stack.orchestration;

describe('examples/glue-orchestration: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack, { eventRules: true }));
  proveAccess(m, [
    ...glueOrchestrationPaths(m, machine, {
      crawlers: [etl.crawlers.CuratedCrawler.crawler],
      jobs: [etl.sparkEtlJobs.RawToParquet.job],
      roles: [etl.crawlers.CuratedCrawler.role, etl.sparkEtlJobs.RawToParquet.role],
    }),
    { why: 'a rule of another account cannot have EventBridge assume the start role', principal: m.service('events.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(machine.startRole!),
      context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:events:${m.region}:999999999999:rule/x` }, expect: 'deny' },
    { why: 'the start role starts this state machine only', principal: m.role(machine.startRole!), action: 'states:StartExecution',
      resource: `arn:aws:states:${m.region}:${m.account}:stateMachine:other`, expect: 'deny' },
    ...generatedPaths(m),
  ]);
});
