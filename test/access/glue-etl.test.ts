/**
 * Runtime access of examples/glue-etl: the Spark job, the Python shell job and the crawler each reach exactly
 * their prefixes, keys, log groups, network and catalog database; EventBridge starts the workflow and
 * notifies failures.
 */
import { GlueEtlStack } from '../../examples/glue-etl';
import { expectAlarmDelivery } from '../core/alarm-delivery';
import { TEST_ENV, testApp } from '../util/app';
import { glueEtlPaths } from './architectures/glue-etl';
import { generatedPaths } from './generated';
import { AccessModel } from './model';
import { proveAccess } from './prove';

const stack = new GlueEtlStack(testApp({ builtinCloudFormationValidation: false }), 'GlueEtl', { env: TEST_ENV });
const m = AccessModel.of(stack);
const etl = stack.pipeline;

describe('examples/glue-etl: runtime access', () => {
  test('every alarm and every rule that targets a topic can publish to it and use its key', () => expectAlarmDelivery(stack, { eventRules: true }));
  proveAccess(m, [
    ...glueEtlPaths(m, etl, [
      { name: 'Spark job RawToParquet', kind: 'jobs', role: etl.sparkEtlJobs.RawToParquet.role, job: etl.sparkEtlJobs.RawToParquet.job,
        readPrefixes: ['raw/'], writePrefixes: ['curated/events/', 'glue/spark-ui/'], foreignPrefixes: ['other/'] },
      { name: 'Python shell job CheckPartition', kind: 'python-jobs', role: etl.pythonShellJobs.CheckPartition.role,
        job: etl.pythonShellJobs.CheckPartition.job, readPrefixes: ['curated/events/'], writePrefixes: [], foreignPrefixes: ['raw/'] },
      { name: 'crawler CuratedCrawler', kind: 'crawlers', role: etl.crawlers.CuratedCrawler.role,
        readPrefixes: ['curated/events/'], writePrefixes: [], foreignPrefixes: ['raw/', 'glue/temporary/'] },
    ]),
    ...generatedPaths(m),
    // The workflow-start role trusts EventBridge rules of this account only (aws:SourceAccount, aws:SourceArn).
    { why: 'a rule of another account cannot have EventBridge assume the workflow start role', principal: m.service('events.amazonaws.com'),
      action: 'sts:AssumeRole', resource: m.arnOf(etl.node.findChild('WorkflowStartRole')),
      context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:events:${m.region}:999999999999:rule/x` }, expect: 'deny' },
    { why: 'the workflow start role starts this workflow only', principal: m.role(etl.node.findChild('WorkflowStartRole')),
      action: 'glue:NotifyEvent', resource: `arn:aws:glue:${m.region}:${m.account}:workflow/other`, expect: 'deny' },
  ]);
});
