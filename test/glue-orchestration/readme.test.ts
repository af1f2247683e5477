/**
 * The GlueEtlStateMachine snippet of docs/glue-orchestration.md is the code of examples/glue-orchestration/quickstart
 * between its README markers: this test checks that the page shows it verbatim and that it synthesizes as a new user's stack would
 * (explicit env, no lookup, no warning, the four cdk-nag packs clean).
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { GlueOrchestrationQuickstartStack } from '../../examples/glue-orchestration/quickstart';
import { importedBy } from '../../scripts/sync-doc-snippets';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs GlueEtlStateMachine snippet', () => {
  const stack = new GlueOrchestrationQuickstartStack(quickstartApp(), 'Quickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('is the code of examples/glue-orchestration/quickstart between its README markers', () => {
    const { blocks, imports, regions, source } = docSnippets('docs/glue-orchestration.md', 'examples/glue-orchestration/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
    for (const line of imports) expect(importedBy(line, source)).toBe(true);
  });

  test('synthesizes with no lookup, no warning and no cdk-nag finding', () => {
    expect(missingContext(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('runs the job then the crawler, started at 02:00 UTC every day', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 2 * * ? *)' });
    const definition = JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine'));
    expect(definition).toContain('raw-to-parquet');
    expect(definition).toContain('curated-crawler');
    expect(definition.indexOf('raw-to-parquet')).toBeLessThan(definition.indexOf('curated-crawler'));
  });
});
