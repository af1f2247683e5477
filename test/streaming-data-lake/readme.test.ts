/**
 * The StreamingDataLake snippet of the README and of docs/streaming-data-lake.md is the code of
 * examples/streaming-data-lake/quickstart: this test checks that both pages show it verbatim and that it synthesizes
 * as a new user's stack would (explicit env, no lookup, the four cdk-nag packs clean).
 */
import { Template } from 'aws-cdk-lib/assertions';

import { StreamingDataLakeQuickstartStack } from '../../examples/streaming-data-lake/quickstart';
import { importedBy } from '../../scripts/sync-doc-snippets';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs StreamingDataLake snippet', () => {
  test.each(['README.md', 'docs/streaming-data-lake.md'])('%s shows the code of examples/streaming-data-lake/quickstart between its README markers', page => {
    const { blocks, imports, regions, source } = docSnippets(page, 'examples/streaming-data-lake/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
    for (const line of imports) expect(importedBy(line, source)).toBe(true);
  });

  test('synthesizes in a stack with an explicit env, with no lookup and no cdk-nag finding', () => {
    const stack = new StreamingDataLakeQuickstartStack(quickstartApp(), 'LakeQuickstart', { env: TEST_ENV });
    Template.fromStack(stack);
    expect(missingContext(stack)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});
