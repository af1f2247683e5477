/**
 * The README's FlinkApplication snippet is the code of examples/flink-analytics/quickstart between its README
 * markers: this test checks that the README shows it verbatim and that it synthesizes as a new user's stack would
 * (explicit env, no lookup, no warning, the four cdk-nag packs clean).
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { FlinkQuickstartStack } from '../../examples/flink-analytics/quickstart';
import { TEST_ENV, missingContext, testApp } from '../util/app';
import { nagFindings } from '../util/nag';
import { readmeSnippets } from '../util/readme';

describe('README FlinkApplication snippet', () => {
  const stack = new FlinkQuickstartStack(testApp(), 'Quickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('is the code of examples/flink-analytics/quickstart between its README markers', () => {
    const { blocks, imports, regions, source } = readmeSnippets('## FlinkApplication:', '### Defaults, and why', 'examples/flink-analytics/quickstart/index.ts');
    expect(regions).toHaveLength(1);
    expect(blocks).toEqual(regions);
    for (const line of imports) expect(source.split('\n')).toContain(line);
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
