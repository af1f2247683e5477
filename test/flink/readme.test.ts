/**
 * The FlinkApplication snippet of docs/flink.md is the code of examples/flink-analytics/quickstart between its README
 * markers: this test checks that the page shows it verbatim and that it synthesizes as a new user's stack would
 * (explicit env, no lookup, no warning, the four cdk-nag packs clean).
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { FlinkQuickstartStack } from '../../examples/flink-analytics/quickstart';
import { importedBy } from '../../scripts/sync-doc-snippets';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs FlinkApplication snippet', () => {
  const stack = new FlinkQuickstartStack(quickstartApp(), 'Quickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('is the code of examples/flink-analytics/quickstart between its README markers', () => {
    const { blocks, imports, regions, source } = docSnippets('docs/flink.md', 'examples/flink-analytics/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
    for (const line of imports) expect(importedBy(line, source)).toBe(true);
  });

  test('synthesizes with no lookup, no warning and no cdk-nag finding', () => {
    expect(missingContext(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('runs the JAR from the bucket shown, with the property groups shown', () => {
    template.hasResourceProperties('AWS::KinesisAnalyticsV2::Application', {
      ApplicationConfiguration: Match.objectLike({
        ApplicationCodeConfiguration: Match.objectLike({
          CodeContent: { S3ContentLocation: Match.objectLike({ FileKey: 'clickstream-aggregation.jar' }) },
        }),
        FlinkApplicationConfiguration: Match.objectLike({ ParallelismConfiguration: Match.objectLike({ Parallelism: 2 }) }),
      }),
    });
  });
});
