/**
 * The real-time snippets of docs/streaming-data-lake.md (section "Real time: Direct PUT, raw backup and consumers") are
 * the code of examples/clickstream-realtime/quickstart: this test checks that the page shows each marked region verbatim, in
 * order, and that the stack synthesizes as a new user's would (explicit env, no lookup, no warning, the four cdk-nag
 * packs clean).
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { ClickstreamRealtimeQuickstartStack } from '../../examples/clickstream-realtime/quickstart';
import { importedBy } from '../../scripts/sync-doc-snippets';
import { missingContext, quickstartApp, TEST_ENV } from '../util/app';
import { nagFindings } from '../util/nag';
import { docSnippets } from '../util/readme';

describe('docs real-time snippets', () => {
  const stack = new ClickstreamRealtimeQuickstartStack(quickstartApp(), 'RealtimeQuickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('are the code of examples/clickstream-realtime/quickstart between its README markers, in order', () => {
    const { blocks, imports, regions, source } = docSnippets('docs/streaming-data-lake.md', 'examples/clickstream-realtime/quickstart/index.ts');
    expect(regions).toHaveLength(3);
    expect(blocks).toEqual(regions);
    // The consumer's block starts with the imports of lambda and logs, the file's own.
    expect(imports).toEqual(["import * as lambda from 'aws-cdk-lib/aws-lambda';", "import * as logs from 'aws-cdk-lib/aws-logs';"]);
    for (const line of imports) expect(importedBy(line, source)).toBe(true);
  });

  test('synthesize with no lookup, no warning and no cdk-nag finding', () => {
    expect(missingContext(stack)).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('register the consumer on the stream with the options shown, and back up raw records under their prefix', () => {
    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: stack.resolve(stack.pageCounts.handler.functionName),
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 5,
      StartingPosition: 'LATEST',
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: Match.objectLike({ Prefix: Match.stringLikeRegexp('^clicks-raw/') }),
      }),
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: Match.objectLike({ Prefix: Match.stringLikeRegexp('^server-logs/') }),
    });
  });
});
