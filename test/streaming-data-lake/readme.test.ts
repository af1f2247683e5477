/**
 * The README's StreamingDataLake snippet is the code of examples/streaming-data-lake/quickstart: this test checks that
 * the README shows it verbatim and that it synthesizes as a new user's stack would (explicit env, no lookup, the four
 * cdk-nag packs clean).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { StreamingDataLakeQuickstartStack } from '../../examples/streaming-data-lake/quickstart';
import { TEST_ENV, missingContext, testApp } from '../util/app';
import { nagFindings } from '../util/nag';

const ROOT = path.join(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const section = readme.slice(readme.indexOf('## StreamingDataLake:'), readme.indexOf('### Defaults, and why'));

describe('README StreamingDataLake snippet', () => {
  test('is the code of examples/streaming-data-lake/quickstart between its README markers', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples', 'streaming-data-lake', 'quickstart', 'index.ts'), 'utf-8');
    const region = source.slice(source.indexOf('// README:start\n') + '// README:start\n'.length, source.indexOf('    // README:end'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)![1];
    expect(block).toEqual(region.split('\n').map(line => line.replace(/^ {4}/, '')).join('\n'));
  });

  test('synthesizes in a stack with an explicit env, with no lookup and no cdk-nag finding', () => {
    const stack = new StreamingDataLakeQuickstartStack(testApp(), 'LakeQuickstart', { env: TEST_ENV });
    Template.fromStack(stack);
    expect(missingContext(stack)).toEqual([]);
    expect(nagFindings(stack)).toEqual([]);
  });
});
