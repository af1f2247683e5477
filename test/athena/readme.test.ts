/**
 * The AthenaWorkgroup snippet of docs/athena.md is the code of examples/athena-workgroup/quickstart between its README
 * markers: this test checks that the page shows it verbatim and that it synthesizes as a new user's stack would
 * (explicit env, no lookup, no warning, the four cdk-nag packs clean).
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { AthenaWorkgroupQuickstartStack } from '../../examples/athena-workgroup/quickstart';
import { importedBy } from '../../scripts/sync-doc-snippets';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs AthenaWorkgroup snippet', () => {
  const stack = new AthenaWorkgroupQuickstartStack(quickstartApp(), 'Quickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('is the code of examples/athena-workgroup/quickstart between its README markers', () => {
    const { blocks, imports, regions, source } = docSnippets('docs/athena.md', 'examples/athena-workgroup/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
    for (const line of imports) expect(importedBy(line, source)).toBe(true);
  });

  test('synthesizes with no lookup, no warning and no cdk-nag finding', () => {
    expect(missingContext(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('gives the analyst role the workgroup, with the cutoff shown', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 10 * 1024 ** 3, EnforceWorkGroupConfiguration: true }),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [stack.resolve(stack.analystRole.roleName)],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['athena:StartQueryExecution']) })]),
      }),
    });
  });
});
