/**
 * The README's real-time snippets (section "Real time: Direct PUT, raw backup and consumers") are the code of
 * examples/clickstream-realtime/quickstart: this test checks that the README shows each marked region verbatim, in
 * order, and that the stack synthesizes as a new user's would (explicit env, no lookup, no warning, the four cdk-nag
 * packs clean).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ClickstreamRealtimeQuickstartStack } from '../../examples/clickstream-realtime/quickstart';
import { TEST_ENV, missingContext, testApp } from '../util/app';
import { nagFindings } from '../util/nag';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const section = readme.slice(readme.indexOf('### Real time: Direct PUT, raw backup and consumers'), readme.indexOf('### What drives cost'));

/** The regions of `source` between `// README:start` and `// README:end`, without the constructor's indentation. */
function markedRegions(source: string): string[] {
  return [...source.matchAll(/\/\/ README:start\n([\s\S]*?)\n\s*\/\/ README:end/g)]
    .map(m => m[1].split('\n').map(line => line.replace(/^ {4}/, '')).join('\n') + '\n');
}

describe('README real-time snippets', () => {
  const stack = new ClickstreamRealtimeQuickstartStack(testApp(), 'RealtimeQuickstart', { env: TEST_ENV });
  const template = Template.fromStack(stack);

  test('are the code of examples/clickstream-realtime/quickstart between its README markers, in order', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples', 'clickstream-realtime', 'quickstart', 'index.ts'), 'utf-8');
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(b => b[1]);
    // A block may start with the imports it needs beyond the README's earlier ones: each is one of the file's.
    const imports = blocks.flatMap(b => b.split('\n').filter(line => line.startsWith('import ')));
    expect(imports.length).toBeGreaterThan(0);
    for (const line of imports) expect(source.split('\n')).toContain(line);
    const withoutImports = blocks.map(b => b.replace(/^(import .*\n)+\n/, ''));
    expect(markedRegions(source)).toHaveLength(3);
    expect(withoutImports).toEqual(markedRegions(source));
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
